"""Hash-sharing API: hashing, matching, the delta feed, banks, signals and their governance.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet import ratelimits
from ctnet.core import ratelimit
from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.markings import TLP
from ctnet.core.pagination import Pagination
from ctnet.hashes import access, governance, imports, indexing, matching, reports, services
from ctnet.hashes.engine.signals import VpdqSignal
from ctnet.hashes.models import ContentCategory, CrisisEnd, Signal
from ctnet.hashes.policy import policy
from ctnet.hashes.presenters import bank_dict, signal_dict
from ctnet.hashes.uploads import UploadRefused, hash_upload

router = Router(tags=["hashes"])

Text = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=2000)]
# Long enough for a vPDQ hash (a JSON list of frames); each signal type checks its own length.
HashValue = Annotated[str, Field(max_length=VpdqSignal.max_length)]


class HashOut(Schema):
    name: str
    size: int
    pdq: str | None
    quality: int | None
    md5: str
    sha256: str
    pdq_usable: bool
    # The seven other dihedral PDQ hashes (rotated/mirrored copies): match them too to catch a
    # turned or flipped re-upload.
    pdq_variants: list[str]
    # Videos: the vPDQ hash (python-threatexchange's text form), its frame count and duration.
    vpdq: str | None = None
    vpdq_frames: int = 0
    duration: float | None = None
    message: str


class QueryIn(Schema):
    signal_type: Annotated[str, Field(max_length=16)]
    value: HashValue


class MatchIn(Schema):
    queries: list[QueryIn]
    max_distance: int | None = None


class BankIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    description: LongText = ""
    tlp: TLP = TLP.AMBER
    recipients: list[Annotated[str, Field(max_length=32)]] = []
    requires_confirmation: bool = True
    legal_basis: Annotated[str, Field(max_length=500)] = ""
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] = ""


class CrisisIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    incident: Text
    hours: int
    end: CrisisEnd = CrisisEnd.REVIEW
    tlp: TLP = TLP.AMBER
    recipients: list[Annotated[str, Field(max_length=32)]] = []
    legal_basis: Annotated[str, Field(max_length=500)] = ""
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] = ""


class MarkingIn(Schema):
    tlp: TLP
    handling: list[Annotated[str, Field(max_length=4)]] = []


class CloseIn(Schema):
    end: CrisisEnd


class SignalIn(Schema):
    signal_type: Annotated[str, Field(max_length=16)]
    value: HashValue
    category: ContentCategory
    legal_basis: Annotated[str, Field(max_length=500)]
    entity: Annotated[str, Field(max_length=200)] = ""
    behaviour: Text = ""
    incident: Text = ""
    quality: Annotated[int, Field(ge=0, le=100)] | None = None


class ImportIn(Schema):
    category: ContentCategory
    legal_basis: Annotated[str, Field(max_length=500)]
    entity: Annotated[str, Field(max_length=200)] = ""


class OpinionIn(Schema):
    agrees: bool
    reason: LongText


class ReasonIn(Schema):
    reason: LongText


# The feed is a cursor, not offset-paged: ``since`` is a change sequence (a 64-bit integer in the
# database), so anything larger is refused with a 422 instead of overflowing the query; a
# ``limit`` above the deployment's page size is served at that size.
MAX_CHANGE_SEQ = 2**63 - 1
MAX_FEED_LIMIT = 10_000  # the largest CTNET_HASHES_FEED_PAGE_SIZE accepts


class FeedQuery(Schema):
    since: Annotated[int, Field(ge=0, le=MAX_CHANGE_SEQ)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_FEED_LIMIT)] | None = None


class PeriodQuery(Schema):
    start: datetime | None = None
    end: datetime | None = None


def _throttle(request: AuthenticatedHttpRequest) -> None:
    if not ratelimit.authorize(ratelimits.HASH_QUERIES_PER_USER, str(request.user.pk)):
        raise HttpError(429, _("Too many hashing or matching calls. Wait a minute and retry."))


# --- Hashing and matching --------------------------------------------------------------------


@router.post("/hash", response=HashOut, summary="Hash an image, video or file (nothing stored)")
def hash_file(request: AuthenticatedHttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    access.require_hashes(request.user)
    _throttle(request)
    try:
        hashed = hash_upload(file, dihedral=True)
    except UploadRefused as exc:
        raise HttpError(exc.status, exc.message) from None
    video = hashed.video
    return {
        "pdq_variants": hashed.pdq_variants,
        "name": file.name or "",
        "size": hashed.size,
        **{k: getattr(hashed.hashes, k) for k in ("pdq", "quality", "md5", "sha256")},
        "pdq_usable": hashed.pdq_usable,
        "vpdq": video.vpdq if video else None,
        "vpdq_frames": len(video.frames) if video else 0,
        "duration": round(video.duration, 3) if video else None,
        "message": hashed.pdq_message,
    }


@router.post("/match", summary="Match a batch of hashes against the banks you can see")
def match(request: AuthenticatedHttpRequest, payload: MatchIn) -> dict[str, Any]:
    _throttle(request)
    queries = [(q.signal_type, q.value) for q in payload.queries]
    results = matching.match_hashes(request.user, queries, payload.max_distance)
    return {
        "checkpoint": indexing.current_checkpoint(),
        "results": [
            {
                "index": r.index,
                "signal_type": r.signal_type,
                "value": r.value,
                "matches": [
                    {"distance": d, **_percentages(r, s), **signal_dict(s)} for s, d in r.matches
                ],
            }
            for r in results
        ],
    }


def _percentages(result: matching.QueryResult, signal: Signal) -> dict[str, float]:
    """vPDQ: the shares of the query's and the banked video's unique frames that matched."""
    if signal.pk not in result.video:
        return {}
    query, compared = result.video[signal.pk]
    return {"query_match_percent": round(query, 1), "compared_match_percent": round(compared, 1)}


@router.get("/feed", summary="Signals changed since a checkpoint, with tombstones")
def feed(request: AuthenticatedHttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    page = reports.feed_page(request.user, query.since, query.limit)
    return {
        "checkpoint": page.checkpoint,
        "epoch": page.epoch,
        "next": page.next,
        "has_more": page.has_more,
        "items": [
            {"id": s.pk, "deleted": True, "status": s.status, "change": s.change_seq}
            if deleted
            else {"deleted": False, "change": s.change_seq, **signal_dict(s, with_vouchers=False)}
            for s, deleted in page.items
        ],
    }


@router.get("/transparency", summary="Counts per bank, label and status over a period")
def transparency(request: AuthenticatedHttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    if not policy.can_see_hash_transparency(request.user):
        raise PermissionDenied
    end = query.end or timezone.now()
    start = query.start or end - timedelta(days=30)
    if start >= end:
        raise HttpError(400, _("The period must start before it ends."))
    return reports.transparency_report(request.user, start, end)


# --- Banks -----------------------------------------------------------------------------------


def _audited_page(object_type: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Above ``@paginate``: the page answered is one audited read of its AMBER rows (ids)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def with_audit(request: AuthenticatedHttpRequest, **kwargs: Any) -> Any:
            result = view(request, **kwargs)
            shown = [(item["id"], item["tlp"]) for item in result["items"]]
            access.record_reads(request.user, shown, object_type=object_type, why="list")
            return result

        return with_audit

    return decorate


@router.get("/banks", response=list[dict[str, Any]], summary="Banks you can see")
@_audited_page("hashes.bank")
@paginate(Pagination)
def list_banks(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    banks = access.visible_banks(request.user).select_related("originator")
    return [bank_dict(b) for b in banks]


@router.post("/banks", response={201: dict}, summary="Create a bank")
def create_bank(request: AuthenticatedHttpRequest, payload: BankIn) -> Status:
    access.require_hashes(request.user)
    data = payload.dict()
    data["recipients"] = organisations_by_code(data["recipients"])
    bank = services.create_bank(acting_user=request.user, **data)
    return Status(201, bank_dict(bank))


@router.post("/banks/crisis", response={201: dict}, summary="Open a crisis bank")
def open_crisis(request: AuthenticatedHttpRequest, payload: CrisisIn) -> Status:
    access.require_hashes(request.user)
    data = payload.dict()
    data["recipients"] = organisations_by_code(data["recipients"])
    bank = services.open_crisis_bank(acting_user=request.user, **data)
    return Status(201, bank_dict(bank))


@router.get("/banks/{bank_id}", summary="One bank")
def get_bank(request: AuthenticatedHttpRequest, bank_id: int) -> dict[str, Any]:
    return bank_dict(access.access_bank(request.user, bank_id))


@router.post("/banks/{bank_id}/marking", summary="Raise (any reader) or lower (the owner)")
def change_marking(
    request: AuthenticatedHttpRequest, bank_id: int, payload: MarkingIn
) -> dict[str, Any]:
    bank = access.access_bank(request.user, bank_id)
    bank = services.change_bank_marking(
        acting_user=request.user, bank=bank, tlp=payload.tlp, handling=payload.handling
    )
    return bank_dict(bank)


@router.post("/banks/{bank_id}/close", summary="End a crisis bank: review or expiry")
def close_crisis(
    request: AuthenticatedHttpRequest, bank_id: int, payload: CloseIn
) -> dict[str, Any]:
    bank = access.access_bank(request.user, bank_id)
    bank = governance.close_crisis_bank(acting_user=request.user, bank=bank, end=payload.end)
    return bank_dict(bank)


@router.get("/banks/{bank_id}/signals", response=list[dict[str, Any]], summary="Signals of a bank")
@_audited_page("hashes.signal")
@paginate(Pagination)
def list_signals(request: AuthenticatedHttpRequest, bank_id: int) -> list[dict[str, Any]]:
    bank = access.access_bank(request.user, bank_id)
    signals = (
        access.visible_signals(request.user)
        .filter(bank=bank)
        .select_related("bank", "contributor")
        .prefetch_related("confirmations__organisation")
    )
    return [signal_dict(s) for s in signals]


@router.post("/banks/{bank_id}/signals", response={201: dict}, summary="Contribute a signal")
def contribute(request: AuthenticatedHttpRequest, bank_id: int, payload: SignalIn) -> Status:
    bank = access.access_bank(request.user, bank_id)
    signal = services.contribute_signal(acting_user=request.user, bank=bank, **payload.dict())
    return Status(201, signal_dict(signal, with_vouchers=False))


@router.post(
    "/banks/{bank_id}/import",
    response={201: dict, 400: dict},
    summary="Import hashes exported by threatexchange or HMA (all or nothing)",
)
def import_export(
    request: AuthenticatedHttpRequest,
    bank_id: int,
    file: File[UploadedFile],
    payload: Form[ImportIn],
) -> Status:
    bank = access.access_bank(request.user, bank_id)
    if (file.size or 0) > imports.MAX_IMPORT_BYTES:
        raise HttpError(413, _("The file is too large."))
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HttpError(400, _("The file is not UTF-8 text.")) from None
    try:
        signals = imports.import_signals(
            acting_user=request.user, bank=bank, text=text, **payload.dict()
        )
    except DjangoValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages), "errors": exc.messages})
    items = [signal_dict(s, with_vouchers=False) for s in signals]
    return Status(201, {"count": len(items), "items": items})


# --- Signals and governance ------------------------------------------------------------------


def _signal(request: AuthenticatedHttpRequest, signal_id: int) -> Signal:
    return access.access_signal(request.user, signal_id)


@router.get("/signals/{signal_id}", summary="One signal with who vouched and opinions")
def get_signal(request: AuthenticatedHttpRequest, signal_id: int) -> dict[str, Any]:
    signal = _signal(request, signal_id)
    opinions = signal.opinions.select_related("organisation")
    return {
        **signal_dict(signal),
        "opinions": [
            {"organisation": o.organisation.code, "agrees": o.agrees, "reason": o.reason}
            for o in opinions
        ],
        "false_positive_reports": signal.fp_reports.count(),
    }


@router.post("/signals/{signal_id}/confirm", summary="Confirm as a second organisation")
def confirm(request: AuthenticatedHttpRequest, signal_id: int) -> dict[str, Any]:
    signal = services.confirm_signal(acting_user=request.user, signal=_signal(request, signal_id))
    return signal_dict(signal, with_vouchers=False)


@router.post("/signals/{signal_id}/opinions", summary="Agree or disagree with the labels")
def give_opinion(
    request: AuthenticatedHttpRequest, signal_id: int, payload: OpinionIn
) -> dict[str, Any]:
    signal = _signal(request, signal_id)
    governance.give_label_opinion(
        acting_user=request.user, signal=signal, agrees=payload.agrees, reason=payload.reason
    )
    return signal_dict(signal, with_vouchers=False)


@router.post("/signals/{signal_id}/false-positive", summary="Report a false positive")
def false_positive(
    request: AuthenticatedHttpRequest, signal_id: int, payload: ReasonIn
) -> dict[str, Any]:
    signal = governance.report_false_positive(
        acting_user=request.user, signal=_signal(request, signal_id), reason=payload.reason
    )
    return signal_dict(signal, with_vouchers=False)


@router.post("/signals/{signal_id}/remove", summary="Remove (contributor or bank owner)")
def remove(request: AuthenticatedHttpRequest, signal_id: int, payload: ReasonIn) -> dict[str, Any]:
    signal = services.remove_signal(
        acting_user=request.user, signal=_signal(request, signal_id), reason=payload.reason
    )
    return signal_dict(signal, with_vouchers=False)
