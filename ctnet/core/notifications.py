"""Notices in the platform, and the e-mails beside them as each person chose.

Every capability's ``notices.py`` hands its notice to ``notify``: one ``Notification`` row per
person (always), and an e-mail at once to those whose preference is "each notice". Those on
"daily digest" get one e-mail a day listing the day's notices (``send_notice_digests``, on the
schedule); those on "none" read them in the platform only. The rule of the e-mails holds here
too: the kind of event and a link, never the exchanged content.

Marking a notice read is the person's own reading state, like an e-mail client's, not an act on
the network's data: it is not written to the audit log (the event that caused the notice is).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctnet.core.models import Membership, NoticeEmail, Notification, User

# A digest lists at most this many notices; the rest are counted, the page lists them all.
DIGEST_MAX_LINES = 50
# The digest covers the day; a notice older than this when the job runs is left to the page.
DIGEST_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    language: str
    notice_email: str


def recipients_among(memberships: QuerySet[Membership]) -> list[Recipient]:
    """The active people of these memberships, with what notify needs to reach them."""
    rows = (
        memberships.filter(is_active=True, user__is_active=True)
        .values_list("user_id", "user__email", "user__preferred_language", "user__notice_email")
        .order_by("user_id")
        .distinct()
    )
    return [Recipient(uid, email or "", lang or "en", mode) for uid, email, lang, mode in rows]


def recipients_by_organisation(memberships: QuerySet[Membership]) -> dict[int, list[Recipient]]:
    """``recipients_among`` in one query, grouped by the organisation each acts for."""
    rows = (
        memberships.filter(is_active=True, user__is_active=True)
        .values_list(
            "organisation_id",
            "user_id",
            "user__email",
            "user__preferred_language",
            "user__notice_email",
        )
        .order_by("organisation_id", "user_id")
    )
    found: dict[int, list[Recipient]] = {}
    for org_id, uid, email, lang, mode in rows:
        found.setdefault(org_id, []).append(Recipient(uid, email or "", lang or "en", mode))
    return found


def notify(
    recipients: Iterable[Recipient], *, kind: str, link: str, compose: Callable[[str], Any]
) -> int:
    """One notice per person in the platform, and its e-mail where they want each; returns how
    many e-mails left.

    ``compose(url)`` returns ``(title, body)`` and is called in each person's language with the
    page's full address; it must not put exchanged content in either.
    """
    now = timezone.now()
    rows: list[Notification] = []
    mails: list[tuple[str, str, None, list[str]]] = []
    seen: set[int] = set()
    for person in recipients:
        if person.user_id in seen:
            continue
        seen.add(person.user_id)
        with translation.override(person.language):
            title, body = compose(f"{settings.SITE_URL}{link}")
        mail_now = person.notice_email == NoticeEmail.EACH and bool(person.email)
        rows.append(
            Notification(
                recipient_id=person.user_id,
                kind=kind,
                title=str(title)[:300],
                body=str(body),
                link=link,
                created_at=now,
                emailed_at=now if mail_now else None,
            )
        )
        if mail_now:
            mails.append((str(title), str(body), None, [person.email]))
    Notification.objects.bulk_create(rows)
    return send_mass_mail(mails, fail_silently=False) if mails else 0


# --- Reading -----------------------------------------------------------------------------------


def notifications_of(user: Any) -> QuerySet[Notification]:
    """A person's own notices, newest first; nobody else's, whatever the role."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return notifications_of(user).filter(read_at=None).count()


def access_notification(user: Any, notification_id: int) -> Notification:
    """The person's own notice, or 404: another's looks exactly like one that does not exist."""
    found = notifications_of(user).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found


# --- The person's reading state ----------------------------------------------------------------


def mark_read(*, acting_user: User, notification: Notification) -> Notification:
    """Mark one of the person's notices read (again read: nothing changes)."""
    if notification.recipient_id != acting_user.pk:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, acting_user: User) -> int:
    """Mark every unread notice of the person read; how many were unread."""
    with transaction.atomic():
        return notifications_of(acting_user).filter(read_at=None).update(read_at=timezone.now())


# --- The daily digest --------------------------------------------------------------------------


def _digest_mail(user: User, notices: list[Notification]) -> tuple[str, str, None, list[str]]:
    with translation.override(user.preferred_language or "en"):
        n = len(notices)
        subject = ngettext("%(n)d notice on ctnet today", "%(n)d notices on ctnet today", n) % {
            "n": n
        }
        lines = [
            f"- {notice.title}: {settings.SITE_URL}{notice.link}" if notice.link else notice.title
            for notice in notices[:DIGEST_MAX_LINES]
        ]
        if n > DIGEST_MAX_LINES:
            more = n - DIGEST_MAX_LINES
            lines.append(ngettext("and %(n)d more", "and %(n)d more", more) % {"n": more})
        intro = _("Your notices of the day (you chose one e-mail a day in your profile):")
        page = _("All your notices: %(link)s") % {
            "link": f"{settings.SITE_URL}{reverse('notifications')}"
        }
        return subject, "\n".join([intro, "", *lines, "", page]), None, [user.email]


def send_digests() -> int:
    """One e-mail per person on "daily digest" listing the day's notices not yet mailed
    (titles and links, no content); returns how many e-mails left. Run daily by the job
    ``core.tasks.send_notice_digests``."""
    now = timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at=None,
            created_at__gte=now - DIGEST_WINDOW,
            recipient__notice_email=NoticeEmail.DIGEST,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_person: dict[int, list[Notification]] = {}
    for notice in pending:
        by_person.setdefault(notice.recipient_id, []).append(notice)
    mails = [_digest_mail(notices[0].recipient, notices) for notices in by_person.values()]
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    ids = [notice.pk for notices in by_person.values() for notice in notices]
    # Marked once the mails left: a failed send leaves them for the next run.
    Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return sent
