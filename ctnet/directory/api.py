"""Directory API: search, routing, contact points, history, vCard, coverage, communication tests.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.models import Organisation, UNGroup
from ctnet.core.pagination import Pagination
from ctnet.directory import access, coverage, exports, services, taxonomy
from ctnet.directory.availability import contact_available
from ctnet.directory.models import ContactChange, ContactPoint, Receipt
from ctnet.directory.policy import policy
from ctnet.directory.search import route_contact, search_contacts

router = Router(tags=["directory"])


class HolderSchema(Schema):
    name: Annotated[str, Field(max_length=200)]
    title: Annotated[str, Field(max_length=200)] = ""


class ContactOut(Schema):
    id: int
    organisation: str = Field(alias="organisation.code")
    organisation_name: str = Field(alias="organisation.name")
    un_group: str = Field(alias="organisation.un_group")
    function: str
    office: str
    holders: list[HolderSchema]
    mandate: str
    topics: list[str] = Field(alias="topic_list")
    languages: list[str] = Field(alias="language_list")
    time_zone: str
    always_on: bool
    hours_start: str | None
    hours_end: str | None
    work_days: str
    urgent_procedure: str
    phone: str
    email: str
    pgp_fingerprint: str
    other_channel: str
    deputy_id: int | None
    published_to: str
    verified: bool
    last_confirmed_at: datetime
    confirm_due_at: datetime
    stale: bool = Field(alias="is_stale")
    available_now: bool
    version: int

    @staticmethod
    def resolve_hours_start(obj: ContactPoint) -> str | None:
        return f"{obj.hours_start:%H:%M}" if obj.hours_start else None

    @staticmethod
    def resolve_hours_end(obj: ContactPoint) -> str | None:
        return f"{obj.hours_end:%H:%M}" if obj.hours_end else None

    @staticmethod
    def resolve_available_now(obj: ContactPoint) -> bool:
        return contact_available(obj, timezone.now())


class ContactFields(Schema):
    """Editable fields; the service checks their content and names every problem (400)."""

    function: Annotated[str, Field(max_length=32)] | None = None
    office: Annotated[str, Field(max_length=200)] | None = None
    holders: Annotated[list[HolderSchema], Field(max_length=10)] | None = None
    mandate: Annotated[str, Field(max_length=5000)] | None = None
    topics: list[Annotated[str, Field(max_length=64)]] | None = None
    languages: list[Annotated[str, Field(max_length=8)]] | None = None
    time_zone: Annotated[str, Field(max_length=64)] | None = None
    always_on: bool | None = None
    hours_start: Annotated[str, Field(max_length=8)] | None = None
    hours_end: Annotated[str, Field(max_length=8)] | None = None
    work_days: Annotated[str, Field(max_length=20)] | None = None
    urgent_procedure: Annotated[str, Field(max_length=5000)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    pgp_fingerprint: Annotated[str, Field(max_length=100)] | None = None
    other_channel: Annotated[str, Field(max_length=300)] | None = None
    deputy_id: int | None = None
    published_to: Annotated[str, Field(max_length=16)] | None = None


class ContactCreate(ContactFields):
    organisation: Annotated[str, Field(max_length=32)]
    office: Annotated[str, Field(max_length=200)]


class ContactPatch(ContactFields):
    version: int


class VerifyIn(Schema):
    verified: bool = True


class ContactFilter(Schema):
    # A code (ISO3 or ISO2, an entity code) or a name in any of the six UN languages.
    country: Annotated[str | None, Field(None, max_length=100)] = None
    topic: Annotated[str | None, Field(None, max_length=64)] = None
    language: Annotated[str | None, Field(None, pattern=r"^[A-Za-z]{2}$")] = None
    un_group: UNGroup | None = None
    q: Annotated[str | None, Field(None, max_length=100)] = None
    verified: bool | None = None
    stale: bool | None = None
    available_now: bool = False


class RouteQuery(Schema):
    country: Annotated[str, Field(max_length=100)]
    topic: Annotated[str, Field(max_length=64)]


class SkippedOut(Schema):
    id: int
    office: str
    why: list[str]


class RouteOut(Schema):
    country: str
    topic: str
    chosen_as: str
    contact: ContactOut | None
    reasons: list[str]
    skipped: list[SkippedOut]


class ChangeOut(Schema):
    at: datetime
    actor: str = Field(alias="actor_label")
    action: str
    version: int
    changes: dict[str, Any]


class TopicOut(Schema):
    slug: str
    label: str


class CoverageStateOut(Schema):
    code: str
    name: str
    un_group: str
    status: str
    contacts: int
    stale: int


class CommTestIn(Schema):
    note: Annotated[str, Field(max_length=300)] = ""


class ReceiptOut(Schema):
    contact_id: int
    email: str
    sent_at: datetime
    confirmed_at: datetime | None
    seconds_to_confirm: float | None

    @staticmethod
    def resolve_seconds_to_confirm(obj: Receipt) -> float | None:
        delta = obj.time_to_confirm
        return delta.total_seconds() if delta is not None else None


class CommTestOut(Schema):
    id: int
    created_at: datetime
    note: str
    sent: int
    confirmed: int
    receipts: list[ReceiptOut]


def _given(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if "holders" in data and data["holders"] is not None:
        data["holders"] = [dict(h) for h in data["holders"]]
    return data


@router.get("/topics", response=list[TopicOut], summary="The expertise taxonomy")
@paginate(Pagination)
def list_topics(request: AuthenticatedHttpRequest) -> list[dict[str, str]]:
    access.visible_contacts(request.user)  # the directory's own door: 403 for the wrong role
    return [{"slug": slug, "label": str(label)} for slug, label in taxonomy.TOPICS.items()]


def _audited_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Above ``@paginate``: the page of contact points answered is one audited read (ids)."""

    @wraps(view)
    def with_audit(request: AuthenticatedHttpRequest, **kwargs: Any) -> Any:
        result = view(request, **kwargs)
        access.record_contact_reads(request.user, result["items"], "search")
        return result

    return with_audit


@router.get("/contacts", response=list[ContactOut], summary="Search contact points")
@_audited_page
@paginate(Pagination)
def list_contacts(request: AuthenticatedHttpRequest, filters: Query[ContactFilter]) -> Any:
    return search_contacts(request.user, **filters.dict())


@router.get("/route", response=RouteOut, summary="Who to contact in a country about a topic now")
def route(request: AuthenticatedHttpRequest, query: Query[RouteQuery]) -> dict[str, Any]:
    access.require_overview(request.user)
    answer = route_contact(request.user, country=query.country, topic=query.topic)
    return {
        "country": answer.organisation.code,
        "topic": answer.topic,
        "chosen_as": answer.chosen_as,
        "contact": answer.contact,
        "reasons": answer.reasons,
        "skipped": answer.skipped,
    }


@router.post("/contacts", response={201: ContactOut}, summary="Add a contact point")
def create_contact(request: AuthenticatedHttpRequest, payload: ContactCreate) -> Status:
    data = _given(payload)
    code = data.pop("organisation").strip().upper()
    org = Organisation.objects.filter(code=code, is_active=True).first()
    if org is None:
        raise HttpError(400, _("Unknown organisation %(code)s.") % {"code": code})
    contact = services.create_contact(acting_user=request.user, organisation=org, data=data)
    return Status(201, contact)


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request: AuthenticatedHttpRequest, contact_id: int) -> ContactPoint:
    return access.read_contact(request.user, contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut, summary="Edit (needs `version`)")
def update_contact(
    request: AuthenticatedHttpRequest, contact_id: int, payload: ContactPatch
) -> ContactPoint:
    contact = access.access_contact(request.user, contact_id)
    data = _given(payload)
    version = data.pop("version")
    return services.update_contact(
        acting_user=request.user,
        contact=contact,
        data=data,
        expected_version=version,
    )


@router.delete("/contacts/{contact_id}", response={204: None}, summary="Archive (needs version)")
def archive_contact(request: AuthenticatedHttpRequest, contact_id: int, version: int) -> Status:
    contact = access.access_contact(request.user, contact_id)
    services.archive_contact(
        acting_user=request.user,
        contact=contact,
        expected_version=version,
    )
    return Status(204, None)


@router.post("/contacts/{contact_id}/confirm", response=ContactOut, summary="Still true today")
def confirm_contact(request: AuthenticatedHttpRequest, contact_id: int) -> ContactPoint:
    contact = access.access_contact(request.user, contact_id)
    return services.confirm_contact(acting_user=request.user, contact=contact)


@router.post("/contacts/{contact_id}/verify", response=ContactOut, summary="Secretariat check")
def verify_contact(
    request: AuthenticatedHttpRequest, contact_id: int, payload: VerifyIn
) -> ContactPoint:
    contact = access.access_contact(request.user, contact_id)
    return services.verify_contact(
        acting_user=request.user,
        contact=contact,
        verified=payload.verified,
    )


@router.get("/contacts/{contact_id}/history", response=list[ChangeOut])
@paginate(Pagination)
def contact_history(request: AuthenticatedHttpRequest, contact_id: int) -> Any:
    contact = access.access_contact(request.user, contact_id)
    if not policy.can_edit_directory(request.user, contact.organisation):
        raise HttpError(403, _("Only the organisation's editors and the secretariat see history."))
    return ContactChange.objects.filter(contact=contact)


@router.get("/contacts/{contact_id}/vcard", summary="vCard 4.0", response={200: None})
def contact_vcard(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = access.access_contact(request.user, contact_id)
    services.record_export(
        acting_user=request.user,
        fmt="vcard",
        contact_ids=[contact.pk],
        filters={},
    )
    response = HttpResponse(exports.vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.vcf"'
    return response


@router.get("/coverage", response=list[CoverageStateOut], summary="Coverage per member state")
@paginate(Pagination)
def coverage_table(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    access.require_overview(request.user)
    return [
        {
            "code": s.organisation.code,
            "name": s.organisation.name,
            "un_group": group.code,
            "status": s.status,
            "contacts": s.contacts,
            "stale": s.stale,
        }
        for group in coverage.coverage()
        for s in group.states
    ]


def _comm_test_out(test: Any) -> dict[str, Any]:
    receipts = list(test.receipts.all())
    return {
        "id": test.pk,
        "created_at": test.created_at,
        "note": test.note,
        "sent": len(receipts),
        "confirmed": sum(1 for r in receipts if r.confirmed_at),
        "receipts": receipts,
    }


@router.post("/communication-tests", response={201: CommTestOut}, summary="Start a test")
def start_comm_test(request: AuthenticatedHttpRequest, payload: CommTestIn) -> Status:
    test = services.start_communication_test(acting_user=request.user, note=payload.note)
    return Status(201, _comm_test_out(test))


@router.get("/communication-tests/{test_id}", response=CommTestOut, summary="Test results")
def comm_test_results(request: AuthenticatedHttpRequest, test_id: int) -> dict[str, Any]:
    return _comm_test_out(access.access_communication_test(request.user, test_id))
