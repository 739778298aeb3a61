"""Notices that the exchange services send (queued after commit, run by the worker): in the
platform, and by e-mail as each person chose (``core.notifications``).

Scheduled jobs that call the services are in ``tasks.py``; keeping the two apart means a service
can import ``send_notice`` and a job can import a service, with no cycle between them.

Notices never carry the exchanged content (a subject line of a RED request does not belong in a
mailbox); they name the kind of event and link to the page, where the access rules apply.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext
from django_tasks import task

from ctnet.core.models import Membership
from ctnet.core.notifications import Recipient, notify, recipients_among
from ctnet.exchange.policy import policy

# Event kind -> (subject, body); %(link)s is filled in. Bodies stay free of content on purpose.
NOTICES = {
    "request_sent": (
        N_("New request for information"),
        N_("A new request is waiting for your organisation: %(link)s"),
    ),
    "reply": (N_("New reply in an exchange"), N_("There is a new reply in an exchange: %(link)s")),
    "status": (
        N_("Exchange status changed"),
        N_("An exchange you take part in has moved on: %(link)s"),
    ),
    "overdue": (
        N_("Request overdue"),
        N_("A request has passed its deadline without an answer: %(link)s"),
    ),
    "release_filed": (
        N_("Release request awaiting your decision"),
        N_("A recipient asks to pass on your organisation's material: %(link)s"),
    ),
    "release_decided": (
        N_("Release request decided"),
        N_("Your release request was decided: %(link)s"),
    ),
    "bulletin": (
        N_("New bulletin"),
        N_("A new bulletin is addressed to your organisation: %(link)s"),
    ),
    "person_corrected": (
        N_("Correction of a person record"),
        N_(
            "The originator corrected a person record you hold; the correction is applied: %(link)s"
        ),
    ),
    "person_withdrawn": (
        N_("Withdrawal of a person record"),
        N_("The originator withdrew a person record you held; it has been deleted: %(link)s"),
    ),
}


def recipients_of(org_ids: list[int], *, heads_only: bool = False) -> list[Recipient]:
    """The members who act for these organisations in the exchange (their heads only for what
    commits the organisation, such as a release decision)."""
    roles = policy.EXCHANGE_RELEASE_ROLES if heads_only else policy.EXCHANGE_ROLES
    return recipients_among(
        Membership.objects.filter(organisation_id__in=org_ids, role__in=sorted(roles))
    )


@task()
def send_notice(kind: str, path: str, org_ids: list[int], heads_only: bool = False) -> int:
    """Notify every exchange member of the given organisations, each in their language: in the
    platform, and by e-mail as each chose (``core.notifications``); returns the e-mails sent."""
    subject, body = NOTICES[kind]
    return notify(
        recipients_of(org_ids, heads_only=heads_only),
        kind=f"exchange.{kind}",
        link=path,
        compose=lambda url: (_(subject), _(body) % {"link": url}),
    )


def _review_reminder_text(due: int, url: str) -> tuple[str, str]:
    subject = ngettext(
        "A person record of your organisation is due for review",
        "%(n)d person records of your organisation are due for review",
        due,
    ) % {"n": due}
    body = ngettext(
        "The review date of %(n)d person record your organisation shared has come. "
        "Review it: %(link)s",
        "The review date of %(n)d person records your organisation shared has come. "
        "Review them: %(link)s",
        due,
    ) % {"n": due, "link": url}
    return subject, body


def send_review_reminder(org_id: int, due: int, path: str) -> int:
    """Tell an organisation's exchange heads that ``due`` of its person records have reached
    their review date: the number and a link, never a name (the page holds them). Returns the
    e-mails sent."""
    return notify(
        recipients_of([org_id], heads_only=True),
        kind="exchange.person_review",
        link=path,
        compose=lambda url: _review_reminder_text(due, url),
    )
