"""Notices of coordination (queued after commit, run by the worker): in the platform, and by
e-mail as each person chose (``core.notifications.notify``).

Scheduled jobs that call the services are in ``tasks.py``. A notice names the kind of event and
links to the plan, where the access rules apply; it never carries a plan's content.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from ctnet.coordination.policy import policy
from ctnet.core.models import Membership
from ctnet.core.notifications import Recipient, notify, recipients_among

# Event kind -> (subject, body); %(link)s is filled in.
NOTICES = {
    "assessment_requested": (
        gettext_noop("An assessment is asked of your organisation"),
        gettext_noop(
            "An action plan's owner asks your organisation to assess a commitment: %(link)s"
        ),
    ),
    "assessed": (
        gettext_noop("A commitment of your plan was assessed"),
        gettext_noop("An independent assessment of a commitment in your action plan: %(link)s"),
    ),
    "match_accepted": (
        gettext_noop("Your offer of assistance was accepted"),
        gettext_noop("A state accepted your organisation's offer of assistance: %(link)s"),
    ),
    "follow_up_assigned": (
        gettext_noop("A working group assigned your organisation an action"),
        gettext_noop(
            "A decision of a Compact working group assigns your organisation a follow-up: %(link)s"
        ),
    ),
    "follow_up_reported": (
        gettext_noop("An action of your working group was reported on"),
        gettext_noop(
            "A responsible entity reported a follow-up of a working group you chair done or "
            "dropped: %(link)s"
        ),
    ),
    "milestones_due": (
        gettext_noop("Milestones of your action plan are due"),
        gettext_noop(
            "Milestones of an action plan of your organisation are due within a week: %(link)s"
        ),
    ),
}

# Who is told: the people who act for the organisation in coordination.
NOTICE_ROLES = sorted(
    policy.ASSESSOR_ROLES
    | policy.OFFER_ROLES
    | {r for rs in policy.PLAN_AUTHORS.values() for r in rs}
)


def recipients_of(org_ids: list[int]) -> list[Recipient]:
    return recipients_among(
        Membership.objects.filter(organisation_id__in=org_ids, role__in=NOTICE_ROLES)
    )


def plan_path(plan_id: int) -> str:
    return reverse("coordination-plan", args=[plan_id])


@task()
def send_notice(kind: str, org_ids: list[int], path: str) -> int:
    """Notify the coordination members of the organisations, each in their language: one notice
    in the platform each, and the e-mail as each chose; returns the e-mails sent."""
    subject, body = NOTICES[kind]
    return notify(
        recipients_of(org_ids),
        kind=f"coordination.{kind}",
        link=path,
        compose=lambda url: (_(subject), _(body) % {"link": url}),
    )


def queue(kind: str, org_ids: list[int], path: str) -> None:
    """Send after the transaction commits: a rolled-back change tells nobody. ``path`` is the
    page the mail links to, where the access rules apply."""
    ids = sorted(set(org_ids))
    transaction.on_commit(lambda: send_notice.enqueue(kind, ids, path))
