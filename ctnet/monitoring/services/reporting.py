"""Writes of reporting: a period's updates through draft -> submitted -> returned -> approved.

Four eyes: the approver is a head of the owning entity and not the update's submitter. An
approved update is final; a locked period takes no new or changed update (``PeriodLocked``,
HTTP 409). Every step is kept in ``UpdateEvent`` with a snapshot of what the update held, and
audited; the approver's queue and the reporters are told by ``notices``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User

from .. import access, notices
from ..models import Evidence, Period, PeriodUpdate, UpdateEvent, UpdateStatus
from ..policy import policy
from ..progress import combine
from ..storage import NewFile, check_and_store
from ..validation import clean_countries, clean_disaggregations, clean_update_values
from .framework import PeriodLocked

MAX_EVIDENCE = 20
EDITABLE_STATUSES = (UpdateStatus.DRAFT, UpdateStatus.RETURNED)


def _snapshot(update: PeriodUpdate) -> dict[str, Any]:
    return {
        "value": update.value,
        "numerator": update.numerator,
        "denominator": update.denominator,
        "narrative": update.narrative,
        "disaggregations": update.disaggregations,
        "country": update.country,
    }


def _event(update: PeriodUpdate, user: User, action: str, old: str, comment: str = "") -> None:
    UpdateEvent.objects.create(
        update=update,
        actor=user,
        action=action,
        from_status=old,
        to_status=update.status,
        comment=comment,
        snapshot={
            k: (str(v) if v is not None and k in ("value", "numerator", "denominator") else v)
            for k, v in _snapshot(update).items()
        },
    )
    audit.record(
        f"monitoring.update.{action}",
        actor=user,
        obj=update,
        detail={"from": old, "to": update.status, "period": update.period_id},
    )


def _lock_period(period_id: int) -> Period:
    period = (
        Period.objects.select_for_update()
        .select_related("indicator__result__project")
        .get(pk=period_id)
    )
    if period.is_locked:
        raise PeriodLocked(_("This period is locked: its approved figures are final."))
    return period


def _values(period: Period, data: dict[str, Any]) -> dict[str, Any]:
    indicator = period.indicator
    narrative = str(data.get("narrative") or "").strip()
    value, num, den = clean_update_values(
        indicator.measure,
        value=data.get("value"),
        numerator=data.get("numerator"),
        denominator=data.get("denominator"),
        narrative=narrative,
    )
    country = str(data.get("country") or "").strip().upper()
    if country:
        (country,) = clean_countries([country])
        if indicator.countries and country not in indicator.countries:
            raise ValidationError(_("This indicator is not measured in %(c)s.") % {"c": country})
    return {
        "value": value,
        "numerator": num,
        "denominator": den,
        "narrative": narrative,
        "disaggregations": clean_disaggregations(
            data.get("disaggregations") or [], indicator.dimensions, indicator.measure
        ),
        "country": country,
    }


def create_update(*, acting_user: User, period: Period, **data: Any) -> PeriodUpdate:
    project = period.indicator.result.project
    if not access.can_report(acting_user, project):
        raise PermissionDenied(_("Only the project's people and implementing partners report."))
    with transaction.atomic():
        period = _lock_period(period.pk)
        update = PeriodUpdate(period=period, created_by=acting_user, **_values(period, data))
        update.save()
        _event(update, acting_user, "create", "")
    return update


def _editable(acting_user: User, update: PeriodUpdate) -> tuple[PeriodUpdate, Period]:
    """The update locked for writing, after the period's lock and the reporter check."""
    period = _lock_period(update.period_id)
    locked = PeriodUpdate.objects.select_for_update().get(pk=update.pk)
    locked.period = period
    if not access.can_report(acting_user, period.indicator.result.project):
        raise PermissionDenied(_("Only the project's people and implementing partners report."))
    return locked, period


def edit_update(*, acting_user: User, update: PeriodUpdate, **data: Any) -> PeriodUpdate:
    with transaction.atomic():
        locked, period = _editable(acting_user, update)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Only a draft or a returned update can be changed."))
        for field, value in _values(period, data).items():
            setattr(locked, field, value)
        locked.save()
        _event(locked, acting_user, "edit", locked.status)
    return locked


def submit_update(*, acting_user: User, update: PeriodUpdate) -> PeriodUpdate:
    with transaction.atomic():
        locked, _period = _editable(acting_user, update)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Only a draft or a returned update can be submitted."))
        old = locked.status
        locked.status = UpdateStatus.SUBMITTED
        locked.submitted_by, locked.submitted_at = acting_user, timezone.now()
        locked.save(update_fields=["status", "submitted_by", "submitted_at"])
        _event(locked, acting_user, "submit", old)
        transaction.on_commit(lambda: notices.send_update_to_approve.enqueue(locked.pk))
    return locked


def _decide(acting_user: User, update: PeriodUpdate, status: str, comment: str) -> PeriodUpdate:
    with transaction.atomic():
        period = _lock_period(update.period_id)
        locked = PeriodUpdate.objects.select_for_update().get(pk=update.pk)
        project = period.indicator.result.project
        if not policy.can_manage_project(acting_user, project):
            raise PermissionDenied(_("Only the owning entity's heads decide on updates."))
        if not policy.can_approve(acting_user, project, locked):
            raise PermissionDenied(_("Four eyes: someone other than the submitter decides."))
        if locked.status != UpdateStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted update can be approved or returned."))
        old = locked.status
        locked.status = status
        locked.decided_by, locked.decided_at = acting_user, timezone.now()
        locked.return_comment = comment if status == UpdateStatus.RETURNED else ""
        locked.save(update_fields=["status", "decided_by", "decided_at", "return_comment"])
        _event(
            locked,
            acting_user,
            "approve" if status == UpdateStatus.APPROVED else "return",
            old,
            comment,
        )
        if status == UpdateStatus.APPROVED:
            _store_actual(period)
        if status == UpdateStatus.RETURNED:
            transaction.on_commit(lambda: notices.send_update_returned.enqueue(locked.pk))
    return locked


def _store_actual(period: Period) -> None:
    """Keep the period's actual (from its approved updates) on the period row."""
    approved = period.updates.filter(status=UpdateStatus.APPROVED).order_by("decided_at", "id")
    actual = combine(period.indicator.measure, approved)
    period.has_actual = True
    period.actual_value, period.actual_numerator = actual.value, actual.numerator
    period.actual_denominator, period.actual_dimensions = actual.denominator, actual.dimensions
    period.save(
        update_fields=[
            "has_actual",
            "actual_value",
            "actual_numerator",
            "actual_denominator",
            "actual_dimensions",
        ]
    )


def approve_update(*, acting_user: User, update: PeriodUpdate, comment: str = "") -> PeriodUpdate:
    return _decide(acting_user, update, UpdateStatus.APPROVED, comment.strip()[:2000])


def return_update(*, acting_user: User, update: PeriodUpdate, comment: str) -> PeriodUpdate:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what must change: a returned update needs a comment."))
    return _decide(acting_user, update, UpdateStatus.RETURNED, comment[:2000])


def add_evidence(
    *,
    acting_user: User,
    update: PeriodUpdate,
    title: str,
    url: str = "",
    new_file: NewFile | None = None,
) -> Evidence:
    """A file (core's upload checks) or a link, on an update that can still change."""
    if bool(url) == (new_file is not None):
        raise ValidationError(_("Evidence is either a file or a link."))
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError(_("A link starts with https:// or http://."))
    stored = check_and_store(new_file) if new_file is not None else None
    with transaction.atomic():
        locked, _period = _editable(acting_user, update)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Evidence is added while the update is a draft or returned."))
        if locked.evidence.count() >= MAX_EVIDENCE:
            raise ValidationError(
                _("An update has at most %(n)d pieces of evidence.") % {"n": MAX_EVIDENCE}
            )
        evidence = Evidence(
            update=locked, title=(title or "").strip()[:300], url=url[:1000], added_by=acting_user
        )
        if new_file is not None and stored is not None:
            evidence.content_type, evidence.sha256 = stored
            evidence.file_name, evidence.size = new_file.filename[:200], len(new_file.data)
        if not evidence.title:
            evidence.title = evidence.file_name or url[:300]
        evidence.save()
        audit.record(
            "monitoring.evidence.add",
            actor=acting_user,
            obj=locked,
            detail={
                "evidence": evidence.pk,
                "kind": "link" if url else "file",
                "sha256": evidence.sha256,
            },
        )
    return evidence
