"""The reminder that listed entries are due for review (DESIGN rule 3: review dates act).

A scheduled job (``ctnet manage screening_review_reminders``, daily): each organisation that owns
entries whose review date has come gets one e-mail to its watchlist owners (its heads), with the
number of entries and a link, never a name or a reference (the pages behind sign-in hold them,
as for hit notices). It repeats every day while entries stay due.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext
from django_tasks import task

from ctnet.core import audit
from ctnet.core.models import Membership
from ctnet.core.notifications import notify, recipients_among
from ctnet.screening.policy import policy
from ctnet.screening.services.entry_reviews import due_by_owner


def _reminder_text(due: int, url: str) -> tuple[str, str]:
    subject = ngettext(
        "An entry of your watchlists is due for review",
        "%(n)d entries of your watchlists are due for review",
        due,
    ) % {"n": due}
    body = ngettext(
        "The review date of %(n)d entry of your organisation's watchlists has "
        "come. Review it, or import a new edition of the list: %(link)s",
        "The review date of %(n)d entries of your organisation's watchlists has "
        "come. Review them, or import a new edition of the list: %(link)s",
        due,
    ) % {"n": due, "link": url}
    return subject, body


def _remind_owner(org_id: int, due: int) -> int:
    people = recipients_among(
        Membership.objects.filter(
            organisation_id=org_id, role__in=sorted(policy.WATCHLIST_OWNER_ROLES)
        )
    )
    return notify(
        people,
        kind="screening.review_reminder",
        link=reverse("screening-watchlists"),
        compose=lambda url: _reminder_text(due, url),
    )


@task()
def send_review_reminders() -> int:
    """Tell the owners of entries due for review (in the platform, and by e-mail as each
    chose); returns how many mails left."""
    due = due_by_owner()
    sent = sum(_remind_owner(org_id, n) for org_id, n in sorted(due.items()))
    if due:
        # Counts per organisation only: no entry and no person in the log.
        audit.record(
            "screening.review_reminders",
            object_type="screening.entry",
            detail={"due": {str(k): v for k, v in sorted(due.items())}, "mails": sent},
        )
    return sent
