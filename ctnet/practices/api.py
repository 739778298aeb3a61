"""Practice library API: list, search, read, write, workflow, endorsements, comments, files.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import MAX_LIMIT, MAX_OFFSET, Pagination
from ctnet.practices import access, attachments, services
from ctnet.practices.models import Practice
from ctnet.practices.search import (
    MAX_QUERY_CHARS,
    BadQuery,
    search_filters,
    search_page,
)
from ctnet.practices.similarity import similar_practices
from ctnet.practices.validation import clean_practice

router = Router(tags=["practices"])


class PracticeIn(Schema):
    title: Annotated[str, Field(max_length=300)]
    summary: Annotated[str, Field(max_length=3000)]
    body: Annotated[str, Field(max_length=60000)] = ""
    language: str
    themes: list[str]
    regions: list[str] = []
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    outcomes: Annotated[str, Field(max_length=10000)] = ""
    contact_reference: Annotated[str, Field(max_length=300)] = ""
    tlp: str = "GREEN"
    recipients: list[str] = []
    # H0-H3; H3 needs its restriction stated in handling_note.
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] = ""


class PracticeOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    language: str
    origin: str = Field(alias="originator.code")
    themes: list[str]
    regions: list[str]
    period_start: dt.date | None
    period_end: dt.date | None
    outcomes: str
    contact_reference: str
    tlp: str
    handling: list[str]
    handling_note: str
    status: str
    version: int
    review_comment: str
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


class NeighbourOut(Schema):
    id: int
    title: str
    language: str
    originator: str
    score: float


class MarkingIn(Schema):
    tlp: Annotated[str, Field(max_length=16)]
    handling: list[Annotated[str, Field(max_length=4)]] = []


class TransitionIn(Schema):
    action: str
    comment: Annotated[str, Field(max_length=5000)] = ""


class TransitionOut(Schema):
    practice: PracticeOut
    duplicates: list[NeighbourOut]


class NoteIn(Schema):
    note: Annotated[str, Field(max_length=2000)]


class CommentIn(Schema):
    body: Annotated[str, Field(max_length=8000)]


class EndorsementOut(Schema):
    id: int
    organisation: str = Field(alias="organisation.code")
    note: str
    created_at: dt.datetime


class CommentOut(Schema):
    id: int
    organisation: str = Field(alias="organisation.code")
    author: str = Field(alias="author.username")
    body: str
    created_at: dt.datetime


class VersionOut(Schema):
    number: int
    content: dict
    editor: str = Field(alias="edited_by.username")
    created_at: dt.datetime


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


class SearchParams(Schema):
    # The length limit is checked by the search itself, so that the answer is the same
    # 400 with a sentence from the API, the page and the CLI.
    q: str = ""
    # Core's bounds; the default stays 10, the best few being what a search is read for.
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 10
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
    theme: list[str] = []
    region: list[str] = []
    origin: Annotated[str | None, Field(None, max_length=32)] = None
    language: Annotated[str | None, Field(None, max_length=2)] = None


class ListParams(Schema):
    status: Annotated[str | None, Field(None, max_length=16)] = None
    language: Annotated[str | None, Field(None, max_length=2)] = None


class SearchHitOut(Schema):
    id: int
    title: str
    language: str
    origin: str
    themes: list[str]
    score: float
    snippet: str


def _data(payload: Schema) -> Any:
    try:
        return clean_practice(payload.dict())
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    # Every result the search ranks (at any offset), not only this page's.
    count: int


@router.get("/search", response=SearchPageOut, summary="Search across the six languages")
def search(request: AuthenticatedHttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    access.require_reader(request.user)
    if len(params.q) > MAX_QUERY_CHARS * 4:
        raise HttpError(
            400, _("The query is too long: at most %(n)d characters.") % {"n": MAX_QUERY_CHARS}
        )
    try:
        filters = search_filters(params.theme, params.region, params.origin, params.language)
        access.spend_search(request.user)
        hits, count = search_page(
            request.user, params.q, offset=params.offset, limit=params.limit, filters=filters
        )
        access.record_result_reads(request.user, [h.practice for h in hits])
    except BadQuery as exc:
        raise HttpError(400, str(exc)) from None
    except access.SearchThrottled:
        raise HttpError(429, _("Too many searches. Wait a minute and retry.")) from None
    items = [
        {
            "id": h.practice.pk,
            "title": h.practice.title,
            "language": h.practice.language,
            "origin": h.practice.originator.code,
            "themes": h.practice.themes,
            "score": h.score,
            "snippet": h.snippet,
        }
        for h in hits
    ]
    return {"items": items, "count": count}


@router.get("", response=list[PracticeOut], summary="Practices you may see")
@paginate(Pagination)
def list_practices(
    request: AuthenticatedHttpRequest, params: Query[ListParams]
) -> QuerySet[Practice]:
    access.require_reader(request.user)
    qs = access.visible_practices(request.user).select_related("originator")
    if params.status:
        qs = qs.filter(status=params.status)
    if params.language:
        qs = qs.filter(language=params.language)
    return qs.order_by("-updated_at", "-id")


@router.post("", response={201: PracticeOut}, summary="Write a new practice (a draft)")
def create_practice(request: AuthenticatedHttpRequest, payload: PracticeIn) -> Status:
    data = _data(payload)
    practice = services.create_practice(acting_user=request.user, data=data)
    return Status(201, practice)


@router.get("/{int:practice_id}", response=PracticeOut)
def get_practice(request: AuthenticatedHttpRequest, practice_id: int) -> Practice:
    return access.access_practice(request.user, practice_id)


@router.put("/{int:practice_id}", response=PracticeOut, summary="Edit (a new version)")
def update_practice(
    request: AuthenticatedHttpRequest, practice_id: int, payload: PracticeIn
) -> Practice:
    practice = access.access_practice(request.user, practice_id)
    data = _data(payload)
    return services.update_practice(acting_user=request.user, practice=practice, data=data)


@router.post("/{int:practice_id}/transitions", response=TransitionOut)
def transition(request: AuthenticatedHttpRequest, practice_id: int, payload: TransitionIn) -> dict:
    practice = access.access_practice(request.user, practice_id)
    result = services.transition_practice(
        acting_user=request.user, practice=practice, action=payload.action, comment=payload.comment
    )
    return {"practice": result.practice, "duplicates": result.duplicates}


@router.post(
    "/{int:practice_id}/marking",
    response=PracticeOut,
    summary="Raise (any reader) or lower (the originator) the marking",
)
def change_marking(
    request: AuthenticatedHttpRequest, practice_id: int, payload: MarkingIn
) -> Practice:
    access.require_reader(request.user)  # oversight: 403, it reads no content
    practice = access.access_practice(request.user, practice_id)
    return services.change_practice_marking(
        acting_user=request.user, practice=practice, tlp=payload.tlp, handling=payload.handling
    )


@router.get("/{int:practice_id}/versions", response=list[VersionOut])
@paginate(Pagination)
def versions(request: AuthenticatedHttpRequest, practice_id: int) -> QuerySet:
    practice = access.access_practice(request.user, practice_id)
    return practice.versions.select_related("edited_by").order_by("-number")


@router.get("/{int:practice_id}/similar", response=list[NeighbourOut])
@paginate(Pagination)
def similar(request: AuthenticatedHttpRequest, practice_id: int) -> list:
    practice = access.access_practice(request.user, practice_id)
    return similar_practices(request.user, practice)


@router.get("/{int:practice_id}/endorsements", response=list[EndorsementOut])
@paginate(Pagination)
def endorsements(request: AuthenticatedHttpRequest, practice_id: int) -> QuerySet:
    practice = access.access_practice(request.user, practice_id)
    return practice.endorsements.select_related("organisation").order_by("created_at", "pk")


@router.post("/{int:practice_id}/endorsements", response={201: EndorsementOut})
def endorse(request: AuthenticatedHttpRequest, practice_id: int, payload: NoteIn) -> Status:
    practice = access.access_practice(request.user, practice_id)
    endorsement = services.endorse_practice(
        acting_user=request.user, practice=practice, note=payload.note
    )
    return Status(201, endorsement)


@router.get("/{int:practice_id}/comments", response=list[CommentOut])
@paginate(Pagination)
def comments(request: AuthenticatedHttpRequest, practice_id: int) -> QuerySet:
    practice = access.access_practice(request.user, practice_id)
    return practice.comments.select_related("organisation", "author").order_by("created_at", "pk")


@router.post("/{int:practice_id}/comments", response={201: CommentOut})
def comment(request: AuthenticatedHttpRequest, practice_id: int, payload: CommentIn) -> Status:
    practice = access.access_practice(request.user, practice_id)
    created = services.comment_on_practice(
        acting_user=request.user,
        practice=practice,
        body=payload.body,
    )
    return Status(201, created)


@router.post("/{int:practice_id}/attachments", response={201: AttachmentOut})
def upload(request: AuthenticatedHttpRequest, practice_id: int, file: File[UploadedFile]) -> Status:
    practice = access.access_practice(request.user, practice_id)
    if (file.size or 0) > attachments.MAX_ATTACHMENT_BYTES:
        raise HttpError(413, _("The file is too large."))
    created = attachments.add_attachment(
        acting_user=request.user,
        practice=practice,
        filename=file.name or "",
        content_type=file.content_type or "",
        data=file.read(),
    )
    return Status(201, created)


@router.get("/{int:practice_id}/attachments/{int:attachment_id}", response={200: None})
def download(
    request: AuthenticatedHttpRequest, practice_id: int, attachment_id: int
) -> FileResponse:
    attachment = access.access_attachment(request.user, practice_id, attachment_id)
    return attachments.download_response(attachment)
