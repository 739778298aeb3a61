"""What waits for me (issue 14, item 1): counts per role through ``CapabilityConfig.waiting``,
on the home page and as menu badges, in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from ctnet.core.capabilities import waiting_for
from ctnet.core.models import Notification
from ctnet.directory.tests.helpers import make_contact
from ctnet.exchange.models import Delivery
from ctnet.exchange.tests.helpers import ExchangeTestCase
from ctnet.practices import services as practice_services
from ctnet.practices.tests.helpers import PracticeTestCase

# Session, user with membership, OTP device, the unread notifications, and one SELECT for every
# count that waits for a national coordinator (twelve, over five capabilities).
HOME_QUERIES_COORDINATOR = 5


def counts(user: object) -> dict[str, int]:
    return {str(w.label): w.number for w in waiting_for(user)}


class WaitingTests(ExchangeTestCase):
    def test_urgent_and_overdue_requests_per_side(self) -> None:
        urgent = self.send(self.state_b)  # request_data is urgent by default
        self.send(self.state_b, priority="normal")
        self.assertEqual(counts(self.charlie)["Urgent requests open"], 1)
        self.assertEqual(counts(self.alice)["Urgent requests open"], 0)  # the sender's is not
        Delivery.objects.filter(request=urgent).update(deadline=timezone.now() - timedelta(hours=1))
        self.assertEqual(counts(self.charlie)["Requests overdue"], 1)
        self.assertEqual(counts(self.alice)["Requests overdue"], 1)  # both sides see it late
        Delivery.objects.filter(request=urgent).update(status="answered")
        self.assertEqual(counts(self.charlie)["Urgent requests open"], 0)
        self.assertEqual(counts(self.charlie)["Requests overdue"], 0)

    def test_each_role_gets_its_own_kinds(self) -> None:
        # A head decides releases; an officer does not (policy.EXCHANGE_RELEASE_ROLES).
        self.assertIn("Release requests to decide", counts(self.alice))
        self.assertNotIn("Release requests to decide", counts(self.bob))
        # Practices to review are the secretariat's.
        self.assertIn("Practices to review", counts(self.sam))
        self.assertNotIn("Practices to review", counts(self.alice))
        # Oversight reads no content, so nothing of the exchange or screening waits for it.
        self.assertEqual(counts(self.olga), {})
        self.assertNotIn("Possible matches to review", counts(self.cso))  # no screening for CSOs

    def test_practices_and_directory(self) -> None:
        practice = PracticeTestCase.write(self.alice, "Prison programme", "Mentors for inmates")
        practice_services.transition_practice(
            acting_user=self.alice, practice=practice, action="submit"
        )
        self.assertEqual(counts(self.sam)["Practices to review"], 1)
        with override_settings(DIRECTORY_RECONFIRM_DAYS=180):
            make_contact(self.state_a, "Old office", age_days=200)
            make_contact(self.state_a, "Fresh office", age_days=10)
            make_contact(self.state_b, "Kenya's old office", age_days=300)
            self.assertEqual(counts(self.alice)["Directory entries to re-confirm"], 1)
            self.assertNotIn("Directory entries to re-confirm", counts(self.bob))  # not an editor


class HomePageTests(ExchangeTestCase):
    def test_home_shows_counts_that_link_to_the_work(self) -> None:
        self.send(self.state_b)
        self.login(self.charlie)
        home = self.client.get("/")
        self.assertContains(
            home,
            '<a href="/exchange/?box=urgent"><span class="count">1</span> Urgent requests open',
        )
        # The menu's Exchange entry carries the badge of what waits behind it.
        self.assertContains(home, 'Exchange <span class="badge">1<')
        work = self.client.get("/exchange/?box=urgent")
        self.assertContains(work, "Travel of a suspected facilitator")

    def test_home_for_oversight_says_nothing_waits(self) -> None:
        self.login(self.olga)
        self.assertContains(self.client.get("/"), "Nothing waits for your role.")

    def test_query_count_does_not_grow_with_the_data(self) -> None:
        self.login(self.charlie)
        for total in (2, 10):
            while Delivery.objects.filter(organisation=self.state_b).count() < total:
                self.send(self.state_b)
            with self.assertNumQueries(HOME_QUERIES_COORDINATOR):
                response = self.client.get("/")
            self.assertContains(response, f'<span class="count">{total}</span>')

    def test_counts_are_computed_once_per_request(self) -> None:
        # The menu badges and the home list read the same counts: one set of queries.
        self.login(self.charlie)
        with self.assertNumQueries(HOME_QUERIES_COORDINATOR):
            self.client.get("/")

    def test_a_notice_lands_in_the_platform_beside_its_mail(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            request = self.send(self.state_b)
        notice = Notification.objects.get(recipient=self.charlie)
        self.assertEqual(notice.kind, "exchange.request_sent")
        self.assertEqual(notice.link, f"/exchange/requests/{request.pk}/")
        # No exchanged content, in the platform as in the mail.
        self.assertNotIn(request.subject, notice.title + notice.body)
        self.assertTrue(any(m.to == ["charlie@example.org"] for m in mail.outbox))
        self.login(self.charlie)
        self.assertContains(self.client.get("/"), 'Notifications <span class="badge">1<')
