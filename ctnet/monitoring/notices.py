"""What monitoring sends: an update waits for approval, an update was returned, reports are due.

Every notice goes through core's ``notify`` (``core.notifications``): a notice in the platform
for each person, and an e-mail at once, in a daily digest or not at all as each chose in their
profile. Notices carry no figures and no project title (a title can be AMBER): a count and a
link to the pages behind sign-in. Sent by ``services.reporting`` on commit, and by the daily job
``send_reports_due`` (``settings.SCHEDULE``). This module calls no service.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from ctnet.core import audit
from ctnet.core.models import Membership
from ctnet.core.notifications import Recipient, notify, recipients_among

from .models import Period, PeriodUpdate, ProjectStatus
from .policy import policy

# The statuses of a project whose periods are still reported on.
RUNNING = (ProjectStatus.IMPLEMENTATION, ProjectStatus.FINALISATION)


def _people(
    org_id: int, roles: frozenset[str], *, exclude_user: int | None = None
) -> list[Recipient]:
    members = Membership.objects.filter(organisation_id=org_id, role__in=sorted(roles))
    if exclude_user is not None:
        members = members.exclude(user_id=exclude_user)
    return recipients_among(members)


def _to_approve_text(url: str) -> tuple[str, str]:
    return (
        _("A project update waits for your approval"),
        _("A colleague submitted a project update; four eyes: please review it: %(link)s")
        % {"link": url},
    )


@task()
def send_update_to_approve(update_id: int) -> int:
    """Tell the owner's heads (not the submitter) that an update waits for their decision."""
    update = (
        PeriodUpdate.objects.select_related("period__indicator__result__project")
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    project = update.period.indicator.result.project
    return notify(
        _people(project.originator_id, policy.MANAGER_ROLES, exclude_user=update.submitted_by_id),
        kind="monitoring.update_to_approve",
        link=reverse("monitoring-update", args=[update.pk]),
        compose=_to_approve_text,
    )


def _returned_text(url: str) -> tuple[str, str]:
    return (
        _("Your project update was returned"),
        _("Your project update was returned with a comment: %(link)s") % {"link": url},
    )


@task()
def send_update_returned(update_id: int) -> int:
    """Tell the submitter that their update came back with a comment."""
    update = PeriodUpdate.objects.filter(pk=update_id).only("id", "submitted_by_id").first()
    if update is None or update.submitted_by_id is None:
        return 0
    # The submitter as a member (any of their active memberships reaches the same person).
    submitter = Membership.objects.filter(user_id=update.submitted_by_id)
    return notify(
        recipients_among(submitter),
        kind="monitoring.update_returned",
        link=reverse("monitoring-update", args=[update.pk]),
        compose=_returned_text,
    )


def due_periods() -> QuerySet[Period]:
    """Periods ended and not yet reported (no approved actual, not locked), of projects still
    running: what the daily reminder counts and the "what waits" count reads."""
    return Period.objects.filter(
        end__lte=timezone.localdate(),
        has_actual=False,
        locked_at__isnull=True,
        indicator__result__project__status__in=RUNNING,
    )


def due_by_owner() -> Counter[int]:
    """``due_periods`` counted by owning entity."""
    rows = due_periods().values_list("indicator__result__project__originator_id", flat=True)
    return Counter(rows)


def _due_text(n: int, url: str) -> tuple[str, str]:
    subject = ngettext("A project report is due", "%(n)d project reports are due", n) % {"n": n}
    body = ngettext(
        "%(n)d period of your projects has ended without an approved report: %(link)s",
        "%(n)d periods of your projects have ended without an approved report: %(link)s",
        n,
    ) % {"n": n, "link": url}
    return subject, body


@task()
def send_reports_due() -> int:
    """Once a day: each owning entity's reporters hear how many period reports are due."""
    due = due_by_owner()
    link = reverse("monitoring-due")
    sent = 0
    for org_id, n in sorted(due.items()):
        sent += notify(
            _people(org_id, policy.REPORTER_ROLES),
            kind="monitoring.reports_due",
            link=link,
            compose=partial(_due_text, n),
        )
    if due:
        audit.record(
            "monitoring.reports_due",
            object_type="monitoring.period",
            detail={"due": {str(k): v for k, v in sorted(due.items())}, "mails": sent},
        )
    return sent
