"""Originator control (DESIGN.md rule 2): onward sharing only with the originator's approval.

A release request is of a request or of a bulletin. ``onward`` names one more organisation;
an approval makes a linked copy for it (same markings, same originator, the conditions
attached). ``export`` (bulletins only) asks to take the indicators out of the platform as a
STIX bundle; an approval lets the requesting organisation export it (``policy.can_take_out``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import needs_release
from ctnet.core.models import COMMUNITY_KINDS, Organisation, User
from ctnet.core.policy import acting_org
from ctnet.exchange.models import (
    Bulletin,
    ReleaseKind,
    ReleaseRequest,
    ReleaseStatus,
    Request,
)
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import notify_after_commit
from ctnet.exchange.services.release_copies import bulletin_copy, request_copy


def _holders(material: Request | Bulletin) -> list[int]:
    """Organisations that already hold the material: its originator and addressees."""
    return [material.originator_id, *material.recipient_orgs.values_list("pk", flat=True)]


def _check_filing(acting_user: User, material: Request | Bulletin, reason: str) -> Organisation:
    org = acting_org(acting_user)
    if not policy.can_send_exchange(acting_user) or org.pk == material.originator_id:
        raise PermissionDenied(_("Only a recipient organisation asks for a release."))
    if org.pk not in _holders(material):
        raise PermissionDenied(_("Only a recipient organisation asks for a release."))
    if not needs_release(material.tlp, material.handling):
        raise ValidationError(
            _("This material is not originator-controlled; no release is needed.")
        )
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for passing it on."))
    return org


def file_release(
    *,
    acting_user: User,
    material: Request | Bulletin,
    new_recipient: Organisation | None,
    reason: str,
    kind: str = ReleaseKind.ONWARD,
) -> ReleaseRequest:
    """A recipient asks the originator to pass the material on to ``new_recipient``, or
    (``kind="export"``, bulletins only) to export it out of the platform."""
    if kind not in ReleaseKind.values:
        raise ValidationError(_("The kind of release is onward or export."))
    org = _check_filing(acting_user, material, reason)
    if kind == ReleaseKind.EXPORT:
        if not isinstance(material, Bulletin):
            raise ValidationError(_("Only a bulletin's indicators are exported."))
        new_recipient = None
    elif new_recipient is None:
        raise ValidationError(_("Name the new recipient organisation."))
    elif not new_recipient.is_active or new_recipient.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("%(code)s cannot receive material.") % {"code": new_recipient.code})
    elif new_recipient.pk in _holders(material):
        raise ValidationError(_("%(code)s already has it.") % {"code": new_recipient.code})
    link: dict[str, Request | Bulletin] = (
        {"request": material} if isinstance(material, Request) else {"bulletin": material}
    )
    with transaction.atomic():
        release = ReleaseRequest.objects.create(
            **link,
            originator_id=material.originator_id,
            kind=kind,
            requested_by=acting_user,
            requesting_org=org,
            new_recipient=new_recipient,
            reason=reason.strip()[:5000],
        )
        audit.record(
            "exchange.release.file",
            actor=acting_user,
            obj=release,
            detail={
                "material": f"{type(material).__name__.lower()}:{material.pk}",
                "kind": kind,
                "new_recipient": new_recipient.code if new_recipient else None,
            },
        )
        notify_after_commit(
            "release_filed", "/exchange/releases/", [material.originator_id], heads_only=True
        )
    return release


def _decide(acting_user: User, release: ReleaseRequest) -> ReleaseRequest:
    if not policy.can_decide_release(acting_user, release):
        raise PermissionDenied(_("Only the originating organisation's head decides a release."))
    # Lock the release row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins to its request or bulletin.
    locked = (
        ReleaseRequest.objects.select_for_update(of=("self",))
        .select_related("request", "bulletin", "new_recipient")
        .get(pk=release.pk)
    )
    if locked.status != ReleaseStatus.PENDING:
        raise ValidationError(_("This release request is already decided."))
    return locked


def approve_release(
    *, acting_user: User, release: ReleaseRequest, conditions: str = ""
) -> ReleaseRequest:
    """Approve: a new copy, linked to the original, goes to the new recipient; or, for an
    export, the requesting organisation may now export the bulletin."""
    conditions = conditions.strip()[:5000]
    with transaction.atomic():
        locked = _decide(acting_user, release)
        detail: dict[str, object] = {"kind": locked.kind}
        if locked.kind == ReleaseKind.ONWARD:
            assert locked.new_recipient is not None  # the check constraint
            if locked.request_id:
                locked.copy = request_copy(acting_user, locked, conditions)
                path = f"/exchange/requests/{locked.copy.pk}/"
                notify_after_commit("request_sent", path, [locked.new_recipient.pk])
            else:
                locked.bulletin_copy = bulletin_copy(acting_user, locked, conditions)
                path = f"/exchange/bulletins/{locked.bulletin_copy.pk}/"
                notify_after_commit("bulletin", path, [locked.new_recipient.pk])
            detail["copy"] = locked.copy_id or locked.bulletin_copy_id
            detail["new_recipient"] = locked.new_recipient.code
        locked.status = ReleaseStatus.APPROVED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.conditions = conditions
        locked.save()
        audit.record("exchange.release.approve", actor=acting_user, obj=locked, detail=detail)
        notify_after_commit("release_decided", "/exchange/releases/", [locked.requesting_org_id])
    return locked


def refuse_release(*, acting_user: User, release: ReleaseRequest, reason: str) -> ReleaseRequest:
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for refusing."))
    with transaction.atomic():
        locked = _decide(acting_user, release)
        locked.status = ReleaseStatus.REFUSED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.refusal_reason = reason.strip()[:5000]
        locked.save()
        audit.record("exchange.release.refuse", actor=acting_user, obj=locked)
        notify_after_commit("release_decided", "/exchange/releases/", [locked.requesting_org_id])
    return locked
