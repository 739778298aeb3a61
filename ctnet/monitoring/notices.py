"""What monitoring sends: an update waits for approval, an update was returned, reports are due.

Mails carry no figures and no project title (a title can be AMBER): a count and a link to the
pages behind sign-in. Sent by ``services.reporting`` on commit, and by the daily job
``send_reports_due`` (``settings.SCHEDULE``). This module calls no service.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from ctnet.core import audit
from ctnet.core.models import Membership

from .models import Period, PeriodUpdate, ProjectStatus
from .policy import policy

Mail = tuple[str, str, None, list[str]]


def _people(
    org_id: int, roles: frozenset[str], *, exclude_user: int | None = None
) -> list[tuple[str, str]]:
    rows = (
        Membership.objects.filter(
            organisation_id=org_id, is_active=True, role__in=sorted(roles), user__is_active=True
        )
        .exclude(user__email="")
        .exclude(user_id=exclude_user or 0)
        .values_list("user__email", "user__preferred_language")
    )
    return list(rows)


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
    mails: list[Mail] = []
    for email, lang in _people(
        project.originator_id, policy.MANAGER_ROLES, exclude_user=update.submitted_by_id
    ):
        with translation.override(lang or "en"):
            link = f"{settings.SITE_URL}{reverse('monitoring-update', args=[update.pk])}"
            mails.append(
                (
                    _("A project update waits for your approval"),
                    _(
                        "A colleague submitted a project update; four eyes: please review "
                        "it: %(link)s"
                    )
                    % {"link": link},
                    None,
                    [email],
                )
            )
    return send_mass_mail(mails, fail_silently=False) if mails else 0


@task()
def send_update_returned(update_id: int) -> int:
    """Tell the submitter that their update came back with a comment."""
    update = PeriodUpdate.objects.select_related("submitted_by").filter(pk=update_id).first()
    if update is None or update.submitted_by is None or not update.submitted_by.email:
        return 0
    with translation.override(update.submitted_by.preferred_language or "en"):
        link = f"{settings.SITE_URL}{reverse('monitoring-update', args=[update.pk])}"
        mail: Mail = (
            _("Your project update was returned"),
            _("Your project update was returned with a comment: %(link)s") % {"link": link},
            None,
            [update.submitted_by.email],
        )
    return send_mass_mail([mail], fail_silently=False)


def due_by_owner() -> Counter[int]:
    """Periods ended and not yet reported (no approved actual), counted by owning entity,
    for projects still running."""
    today = timezone.localdate()
    rows = Period.objects.filter(
        end__lte=today,
        has_actual=False,
        locked_at__isnull=True,
        indicator__result__project__status__in=[
            ProjectStatus.IMPLEMENTATION,
            ProjectStatus.FINALISATION,
        ],
    ).values_list("indicator__result__project__originator_id", flat=True)
    return Counter(rows)


@task()
def send_reports_due() -> int:
    """Once a day: each owning entity's reporters hear how many period reports are due."""
    due = due_by_owner()
    mails: list[Mail] = []
    for org_id, n in sorted(due.items()):
        for email, lang in _people(org_id, policy.REPORTER_ROLES):
            with translation.override(lang or "en"):
                link = f"{settings.SITE_URL}{reverse('monitoring-due')}"
                mails.append(
                    (
                        ngettext("A project report is due", "%(n)d project reports are due", n)
                        % {"n": n},
                        ngettext(
                            "%(n)d period of your projects has ended without an approved "
                            "report: %(link)s",
                            "%(n)d periods of your projects have ended without an approved "
                            "report: %(link)s",
                            n,
                        )
                        % {"n": n, "link": link},
                        None,
                        [email],
                    )
                )
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    if due:
        audit.record(
            "monitoring.reports_due",
            object_type="monitoring.period",
            detail={"due": {str(k): v for k, v in sorted(due.items())}, "mails": sent},
        )
    return sent
