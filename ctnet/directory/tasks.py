"""Background tasks of the directory, run by ``ctnet worker``.

Re-confirmation reminders go to the entry's own address and to the people who may confirm it
(its organisation's coordinator or focal point). Each threshold mails once per confirmation
cycle, so running the task every hour from cron sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ctnet.core import audit
from ctnet.core.models import Membership, Role
from ctnet.core.notifications import Recipient, notify, recipients_by_organisation
from ctnet.directory.models import ContactPoint, ReminderSent

# Days before an entry turns stale at which its organisation is reminded.
REMINDER_DAYS = (30, 7)
EDITOR_ROLES = (Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT)


def _editors_by_org(org_ids: set[int]) -> dict[int, list[Recipient]]:
    return recipients_by_organisation(
        Membership.objects.filter(organisation_id__in=org_ids, role__in=EDITOR_ROLES)
    )


def _threshold(contact: ContactPoint, now: datetime) -> int:
    """The smallest reminder threshold the entry has reached (7 before 30)."""
    left = contact.confirm_due_at - now
    return min(d for d in REMINDER_DAYS if left <= timedelta(days=d))


def _reminder_text(contact: ContactPoint, days: int, url: str) -> tuple[str, str]:
    subject = _("Directory entry to re-confirm within %(days)d days: %(office)s") % {
        "days": days,
        "office": contact.office,
    }
    body = _(
        'The directory entry "%(office)s" of %(org)s was last confirmed on %(date)s. '
        "Unless it is confirmed by %(due)s it will be flagged as stale to the whole "
        'network. Check it and press "Still true" here: %(link)s'
    ) % {
        "office": contact.office,
        "org": contact.organisation.name,
        "date": f"{contact.last_confirmed_at:%Y-%m-%d}",
        "due": f"{contact.confirm_due_at:%Y-%m-%d}",
        "link": url,
    }
    return subject, body


def _send(contact: ContactPoint, days: int, editors: list[Recipient]) -> None:
    """The editors are told in the platform and by e-mail as each chose, in their language;
    the entry's own address, which may be no member's, gets the e-mail whatever happens."""
    path = f"/directory/contacts/{contact.pk}/"
    notify(
        editors,
        kind="directory.reconfirm",
        link=path,
        compose=partial(_reminder_text, contact, days),
    )
    if contact.email and contact.email not in {e.email for e in editors}:
        subject, body = _reminder_text(contact, days, f"{settings.SITE_URL}{path}")
        send_mail(subject, body, None, [contact.email])


@task()
def send_reconfirmation_reminders() -> int:
    """Mail reminders for entries about to turn stale; returns how many were sent."""
    now = timezone.now()
    period = timedelta(days=settings.DIRECTORY_RECONFIRM_DAYS)
    # Not stale yet, but due within the widest threshold.
    due = list(
        ContactPoint.objects.filter(
            is_active=True,
            last_confirmed_at__gte=now - period,
            last_confirmed_at__lt=now - period + timedelta(days=max(REMINDER_DAYS)),
        ).select_related("organisation")
    )
    done = set(
        ReminderSent.objects.filter(contact__in=[c.pk for c in due]).values_list(
            "contact_id", "days_before", "cycle"
        )
    )
    editors = _editors_by_org({c.organisation_id for c in due})
    sent = 0
    for contact in due:
        days = _threshold(contact, now)
        if (contact.pk, days, contact.last_confirmed_at) in done:
            continue
        people = editors.get(contact.organisation_id, [])
        recipients = {contact.email, *(p.email for p in people)} - {""}
        if not recipients and not people:
            continue
        with transaction.atomic():
            ReminderSent.objects.create(
                contact=contact, days_before=days, cycle=contact.last_confirmed_at
            )
            audit.record(
                "directory.reminder",
                obj=contact,
                organisation=contact.organisation,
                detail={"days_before": days, "recipients": len(recipients)},
            )
            # Mail only once the row that prevents a second reminder is committed.
            transaction.on_commit(partial(_send, contact, days, people))
        sent += 1
    return sent
