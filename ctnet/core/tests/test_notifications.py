"""In-app notifications, the e-mail preference and the daily digest (issue 14, item 1)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ctnet.core import notifications
from ctnet.core.models import Membership, NoticeEmail, Notification
from ctnet.core.tasks import send_notice_digests
from ctnet.testing.base import CtnetTestCase


def _text(url: str) -> tuple[str, str]:
    from django.utils.translation import gettext as _

    # Strings of the project catalogue, so the language each person reads in shows.
    return _("Profile"), f"{_('Open')}: {url}"


class NotifyTests(CtnetTestCase):
    def _notify_fra(self) -> int:
        people = notifications.recipients_among(
            Membership.objects.filter(organisation=self.state_a)
        )
        return notifications.notify(people, kind="test.reply", link="/exchange/", compose=_text)

    def test_each_person_gets_a_notice_and_mail_as_chosen(self) -> None:
        self.bob.notice_email = NoticeEmail.NONE
        self.bob.save()
        self.alice.preferred_language = "fr"
        self.alice.save()
        self.assertEqual(self._notify_fra(), 1)  # alice by mail; bob in the platform only
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.org"]])
        self.assertEqual(mail.outbox[0].subject, "Profil")
        rows = Notification.objects.order_by("recipient__username")
        self.assertEqual([n.recipient for n in rows], [self.alice, self.bob])
        self.assertIsNotNone(rows[0].emailed_at)
        self.assertIsNone(rows[1].emailed_at)
        self.assertEqual(rows[0].title, "Profil")
        self.assertEqual(rows[1].link, "/exchange/")

    def test_an_inactive_member_gets_nothing(self) -> None:
        Membership.objects.filter(user=self.bob).update(is_active=False)
        self._notify_fra()
        self.assertEqual(
            list(Notification.objects.values_list("recipient", flat=True)), [self.alice.pk]
        )


class DigestTests(CtnetTestCase):
    def test_one_mail_a_day_per_person_with_the_days_notices(self) -> None:
        for user in (self.alice, self.bob):
            user.notice_email = NoticeEmail.DIGEST
            user.save()
        people = notifications.recipients_among(
            Membership.objects.filter(organisation=self.state_a)
        )
        for _ in range(3):
            notifications.notify(people, kind="test.reply", link="/exchange/", compose=_text)
        self.assertEqual(len(mail.outbox), 0)  # nothing at once
        old = Notification.objects.create(recipient=self.alice, kind="old", title="Yesterday's")
        Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
        self.assertEqual(send_notice_digests.call(), 2)
        by_person = {m.to[0]: m for m in mail.outbox}
        self.assertEqual(set(by_person), {"alice@example.org", "bob@example.org"})
        digest = by_person["alice@example.org"]
        self.assertEqual(digest.subject, "3 notices on ctnet today")
        self.assertEqual(digest.body.count("- Profile: http"), 3)
        self.assertNotIn("Yesterday", digest.body)
        self.assertIn("/notifications/", digest.body)
        # Mailed once: the next day's run has nothing left.
        self.assertEqual(send_notice_digests.call(), 0)

    def test_no_digest_for_each_or_none(self) -> None:
        Notification.objects.create(recipient=self.alice, kind="k", title="t")
        self.bob.notice_email = NoticeEmail.NONE
        self.bob.save()
        Notification.objects.create(recipient=self.bob, kind="k", title="t")
        self.assertEqual(send_notice_digests.call(), 0)
        self.assertEqual(len(mail.outbox), 0)


class NotificationPageTests(CtnetTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.mine = Notification.objects.create(
            recipient=self.alice, kind="k", title="A reply waits", link="/exchange/"
        )
        self.other = Notification.objects.create(recipient=self.bob, kind="k", title="Bob's")

    def test_list_badge_and_mark_read(self) -> None:
        self.login(self.alice)
        page = self.client.get("/notifications/")
        self.assertContains(page, "A reply waits")
        self.assertNotContains(page, "Bob's")
        self.assertContains(page, 'class="badge">1<')
        response = self.client.post(f"/notifications/{self.mine.pk}/read/", {"open": "1"})
        self.assertRedirects(response, "/exchange/", fetch_redirect_response=False)
        self.mine.refresh_from_db()
        self.assertIsNotNone(self.mine.read_at)
        self.assertNotContains(self.client.get("/notifications/?unread=1"), "A reply waits")

    def test_mark_all_read(self) -> None:
        Notification.objects.create(recipient=self.alice, kind="k", title="Second")
        self.login(self.alice)
        response = self.client.post("/notifications/read-all/")
        self.assertRedirects(response, "/notifications/", fetch_redirect_response=False)
        self.assertFalse(Notification.objects.filter(recipient=self.alice, read_at=None).exists())
        self.assertIsNone(Notification.objects.get(pk=self.other.pk).read_at)

    def test_refusals(self) -> None:
        anonymous = self.client.get("/notifications/")
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/login/", anonymous["Location"])
        self.login(self.alice)
        self.assertEqual(self.client.post(f"/notifications/{self.other.pk}/read/").status_code, 404)
        self.assertIsNone(Notification.objects.get(pk=self.other.pk).read_at)
        self.assertEqual(self.client.get(f"/notifications/{self.mine.pk}/read/").status_code, 405)
        self.assertEqual(self.client.get("/notifications/read-all/").status_code, 405)
        self.assertEqual(self.client.post("/notifications/").status_code, 405)

    def test_email_preference(self) -> None:
        self.login(self.alice)
        response = self.client.post("/account/notices/", {"notice_email": "digest"})
        self.assertRedirects(response, "/notifications/", fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.notice_email, NoticeEmail.DIGEST)
        bad = self.client.post(
            "/account/notices/", {"notice_email": "hourly"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
        self.assertEqual(bad.status_code, 400)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.notice_email, NoticeEmail.DIGEST)
        self.assertEqual(self.client.get("/account/notices/").status_code, 405)
        self.assertContains(self.client.get("/account/"), "One e-mail a day")


class NotificationApiTests(CtnetTestCase):
    def test_list_read_and_refusals(self) -> None:
        mine = [
            Notification.objects.create(recipient=self.alice, kind="k", title=f"n{i}")
            for i in range(3)
        ]
        other = Notification.objects.create(recipient=self.bob, kind="k", title="Bob's")
        token = self.token_for(self.alice)
        body = self.api("GET", "/notifications?limit=2", self.alice, token=token).json()
        self.assertEqual(body["count"], 3)
        self.assertEqual([n["title"] for n in body["items"]], ["n2", "n1"])
        read = self.api("POST", f"/notifications/{mine[0].pk}/read", self.alice, token=token)
        self.assertEqual(read.status_code, 200)
        self.assertIsNotNone(read.json()["read_at"])
        unread = self.api("GET", "/notifications?unread=true", self.alice, token=token).json()
        self.assertEqual(unread["count"], 2)
        self.assertEqual(
            self.api(
                "POST", f"/notifications/{other.pk}/read", self.alice, token=token
            ).status_code,
            404,
        )
        self.assertEqual(self.api("GET", "/notifications").status_code, 401)
        self.assertEqual(
            self.api(
                "GET", f"/notifications/{mine[0].pk}/read", self.alice, token=token
            ).status_code,
            405,
        )
        marked = self.api("POST", "/notifications/read-all", self.alice, token=token).json()
        self.assertEqual(marked, {"marked": 2})
        self.assertIsNone(Notification.objects.get(pk=other.pk).read_at)
