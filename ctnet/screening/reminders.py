"""The reminder that listed entries are due for review (DESIGN rule 3: review dates act).

A scheduled job (``ctnet manage screening_review_reminders``, daily): each organisation that owns
entries whose review date has come gets one e-mail to its watchlist owners (its heads), with the
number of entries and a link, never a name or a reference (the pages behind sign-in hold them,
as for hit notices). It repeats every day while entries stay due.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from ctnet.core import audit
from ctnet.core.models import Membership
from ctnet.screening.policy import policy
from ctnet.screening.services.entry_reviews import due_by_owner


def _owner_mails(org_id: int, due: int) -> list[tuple[str, str, None, list[str]]]:
    rows = (
        Membership.objects.filter(
            organisation_id=org_id,
            is_active=True,
            role__in=sorted(policy.WATCHLIST_OWNER_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", "user__preferred_language")
    )
    mails = []
    for email, lang in rows:
        with translation.override(lang or "en"):
            link = f"{settings.SITE_URL}{reverse('screening-watchlists')}"
            mails.append(
                (
                    ngettext(
                        "An entry of your watchlists is due for review",
                        "%(n)d entries of your watchlists are due for review",
                        due,
                    )
                    % {"n": due},
                    ngettext(
                        "The review date of %(n)d entry of your organisation's watchlists has "
                        "come. Review it, or import a new edition of the list: %(link)s",
                        "The review date of %(n)d entries of your organisation's watchlists has "
                        "come. Review them, or import a new edition of the list: %(link)s",
                        due,
                    )
                    % {"n": due, "link": link},
                    None,
                    [email],
                )
            )
    return mails


@task()
def send_review_reminders() -> int:
    """E-mail the owners of entries due for review; returns how many mails left."""
    due = due_by_owner()
    mails = [mail for org_id, n in sorted(due.items()) for mail in _owner_mails(org_id, n)]
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    if due:
        # Counts per organisation only: no entry and no person in the log.
        audit.record(
            "screening.review_reminders",
            object_type="screening.entry",
            detail={"due": {str(k): v for k, v in sorted(due.items())}, "mails": sent},
        )
    return sent
