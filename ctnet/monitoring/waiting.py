"""What waits for a person in monitoring: the querysets behind the home page's counts and the
lists of ``/monitoring/due/`` (``?show=`` one of ``SHOWS``), so a count and the list it links
to are the same rows.

Counts only on the home page, never a title: each is a queryset that core counts with every
other capability's in one query (``core.capabilities.waiting_for``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting

from . import access
from .models import PartnerRole, Period, PeriodUpdate, UpdateStatus
from .notices import RUNNING
from .policy import policy

MENU = "monitoring"
# The lists of the due page, each a filter of ``?show=``.
SHOWS = ("approve", "returned", "due", "late")


def may_approve(user: Any) -> bool:
    return policy.can_create_project(user)


def may_report(user: Any) -> bool:
    membership = policy.membership(user)
    return membership is not None and membership.role in policy.REPORTER_ROLES


def to_approve(user: Any) -> QuerySet[PeriodUpdate]:
    """Updates submitted on the projects of the person's entity, waiting for a head's decision;
    never their own submissions (four eyes)."""
    if not may_approve(user):
        return PeriodUpdate.objects.none()
    return (
        PeriodUpdate.objects.filter(
            status=UpdateStatus.SUBMITTED,
            period__indicator__result__project__in=access.visible_projects(user).filter(
                originator_id=user.active_membership.organisation_id
            ),
        )
        .exclude(submitted_by_id=user.pk)
        .order_by("submitted_at", "id")
    )


def returned_to(user: Any) -> QuerySet[PeriodUpdate]:
    """The person's own updates returned for changes, on projects they still see."""
    if not may_report(user):
        return PeriodUpdate.objects.none()
    return PeriodUpdate.objects.filter(
        status=UpdateStatus.RETURNED,
        submitted_by_id=user.pk,
        period__indicator__result__project__in=access.visible_projects(user),
    ).order_by("decided_at", "id")


def _unreported(user: Any) -> QuerySet[Period]:
    """Ended, unreported, unlocked periods of the running projects that the person's
    organisation owns or implements."""
    if not may_report(user):
        return Period.objects.none()
    org_id = user.active_membership.organisation_id
    ours = access.visible_projects(user).filter(
        Q(originator_id=org_id)
        | Q(partners__organisation_id=org_id, partners__role=PartnerRole.IMPLEMENTING),
        status__in=RUNNING,
    )
    return Period.objects.filter(
        indicator__result__project__in=ours.values("pk"),
        end__lte=timezone.localdate(),
        has_actual=False,
        locked_at__isnull=True,
    ).order_by("end", "id")


def _grace_start() -> Any:
    """The earliest end of a period still within its days to report (``progress.is_due``)."""
    return timezone.localdate() - timedelta(days=settings.MONITORING_REPORT_DAYS)


def reports_due(user: Any) -> QuerySet[Period]:
    """Reports to write, still within ``CTNET_MONITORING_REPORT_DAYS`` of the period's end."""
    return _unreported(user).filter(end__gte=_grace_start())


def reports_late(user: Any) -> QuerySet[Period]:
    """Reports past their days (``progress.is_late``)."""
    return _unreported(user).filter(end__lt=_grace_start())


def monitoring_waiting(user: Any) -> list[Waiting]:
    if not policy.can_use_monitoring(user):
        return []
    due = reverse("monitoring-due")
    found: list[Waiting] = []
    if may_approve(user):
        found.append(
            Waiting(_("Project updates to approve"), to_approve(user), f"{due}?show=approve", MENU)
        )
    if may_report(user):
        found += [
            Waiting(
                _("Project updates returned to you"),
                returned_to(user),
                f"{due}?show=returned",
                MENU,
            ),
            Waiting(_("Project reports due"), reports_due(user), f"{due}?show=due", MENU),
            Waiting(
                _("Project reports late"),
                reports_late(user),
                f"{due}?show=late",
                MENU,
                urgent=True,
            ),
        ]
    return found
