"""Human review: decisions with reasons, four eyes, remembered false positives, notices to the
list owner, retention purge."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.screening.models import (
    DecisionMemory,
    Hit,
    HitNotice,
    HitStatus,
    ScreeningRun,
)
from ctnet.screening.services import review, watchlists
from ctnet.screening.tests.helpers import NATIONAL_CSV, ScreeningTestCase

YASIN = {"name": "Abdul Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}


class ReviewTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.watchlist = self.national_list(recipients=(self.state_b,))

    def screen(self, user, traveller=YASIN):
        response = self.api(
            "post", "/screening/screen", user, {"purpose": "BORDER", "traveller": traveller}
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def first_hit(self, user=None) -> int:
        body = self.screen(user or self.alice)
        return int(body["results"][0]["possible_matches"][0]["id"])

    def decide(self, user, hit_id: int, **payload):
        return self.api("post", f"/screening/hits/{hit_id}/decision", user, payload)

    def second(self, user, hit_id: int, approve: bool, reason: str = "Checked the passport copy"):
        return self.api(
            "post",
            f"/screening/hits/{hit_id}/second-review",
            user,
            {"approve": approve, "reason": reason},
        )

    def test_a_reason_is_required(self) -> None:
        hit_id = self.first_hit()
        for reason in ("", "   ", "ok"):
            response = self.decide(self.alice, hit_id, outcome="FALSE_POSITIVE", reason=reason)
            self.assertEqual(response.status_code, 400)
        self.assertEqual(Hit.objects.get(pk=hit_id).status, HitStatus.OPEN)

    def test_confirmation_needs_a_second_person(self) -> None:
        hit_id = self.first_hit()
        response = self.decide(
            self.alice,
            hit_id,
            outcome="CONFIRMED",
            reason="Photo and date of birth agree with the listing",
            notify_owner=True,
            disseminate=True,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "PROPOSED")
        self.assertFalse(HitNotice.objects.exists())  # nothing leaves on one person's word
        own = self.second(self.alice, hit_id, True)
        self.assertEqual(own.status_code, 403)
        self.assertIn("second person", own.json()["detail"])
        self.assertEqual(self.second(self.charlie, hit_id, True).status_code, 404)
        approved = self.second(self.bob, hit_id, True)
        self.assertEqual(approved.status_code, 200, approved.content)
        self.assertEqual(approved.json()["status"], "CONFIRMED")
        notice = HitNotice.objects.get()
        self.assertEqual(notice.owner, self.state_a)  # the list owner
        self.assertEqual(notice.traveller["name"], "Abdul Rahman Yasin")
        # The list says details are there; only opening the notice (audited) shows them.
        [row] = self.api("get", "/screening/notices", self.alice).json()["items"]
        self.assertEqual((row["traveller"], row["traveller_details"]), (None, True))
        opened = self.api("get", f"/screening/notices/{notice.pk}", self.alice).json()
        self.assertEqual(opened["traveller"]["name"], "Abdul Rahman Yasin")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="read", object_type="screening.hitnotice", object_id=str(notice.pk)
            ).exists()
        )
        trail = self.api("get", f"/screening/hits/{hit_id}", self.bob).json()["reviews"]
        self.assertEqual([r["by"] for r in trail], ["alice", "bob"])
        self.assertEqual(
            list(
                AuditEvent.objects.filter(object_type="screening.hit", object_id=str(hit_id))
                .exclude(action="read")
                .values_list("action", flat=True)
            ),
            ["screening.hit.decide", "screening.hit.second_review"],
        )
        self.assertEqual(self.second(self.bob, hit_id, True).status_code, 409)

    def test_notice_reaches_the_owner_of_another_organisation(self) -> None:
        hit_id = self.first_hit(self.charlie)  # Kenya screens against France's shared list
        self.decide(
            self.charlie,
            hit_id,
            outcome="CONFIRMED",
            reason="Fingerprints confirmed by the border police",
            notify_owner=True,
        )
        from ctnet.core.models import Membership, Role
        from ctnet.testing.base import make_person

        kenyan = make_person("kofficer", self.state_b, Role.OFFICER)
        self.assertEqual(self.second(kenyan, hit_id, True).status_code, 200)
        notice = HitNotice.objects.get()
        self.assertEqual(notice.traveller, {})  # notified, not disseminated
        listed = self.api("get", "/screening/notices", self.alice).json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual(listed["items"][0]["sender"], "KEN")
        self.assertFalse(listed["items"][0]["traveller_details"])
        self.assertEqual(
            self.api("get", f"/screening/notices/{notice.pk}", self.sam).status_code, 404
        )
        # The sender may read its notice but not acknowledge it; the owner may, once.
        ack = f"/screening/notices/{notice.pk}/acknowledge"
        self.assertEqual(self.api("post", ack, self.charlie).status_code, 403)
        self.assertEqual(self.api("post", ack, self.alice).status_code, 200)
        self.assertEqual(self.api("post", ack, self.alice).status_code, 409)
        self.assertTrue(Membership.objects.filter(user=kenyan).exists())

    def test_second_reviewer_may_send_it_back(self) -> None:
        hit_id = self.first_hit()
        self.decide(self.alice, hit_id, outcome="CONFIRMED", reason="Looks like the same man")
        response = self.second(self.bob, hit_id, False, "Different place of birth on the passport")
        self.assertEqual(response.json()["status"], "OPEN")
        self.assertEqual(
            self.decide(
                self.alice, hit_id, outcome="INCONCLUSIVE", reason="Need the photo"
            ).status_code,
            200,
        )

    def test_decided_twice_is_a_conflict_and_others_see_nothing(self) -> None:
        hit_id = self.first_hit()
        reason = "Different person: other father's name"
        self.assertEqual(
            self.decide(self.alice, hit_id, outcome="FALSE_POSITIVE", reason=reason).status_code,
            200,
        )
        self.assertEqual(
            self.decide(self.bob, hit_id, outcome="CONFIRMED", reason=reason).status_code, 409
        )
        self.assertEqual(
            self.api("get", f"/screening/hits/{hit_id}", self.charlie).status_code, 404
        )
        self.assertEqual(
            self.decide(self.charlie, hit_id, outcome="CONFIRMED", reason=reason).status_code, 404
        )
        for user in (self.cso, self.olga, self.pat):
            self.assertEqual(self.api("get", f"/screening/hits/{hit_id}", user).status_code, 403)

    def test_notice_only_for_confirmed(self) -> None:
        hit_id = self.first_hit()
        response = self.decide(
            self.alice, hit_id, outcome="FALSE_POSITIVE", reason="Not him at all", notify_owner=True
        )
        self.assertEqual(response.status_code, 400)

    def test_false_positive_is_remembered_until_new_evidence(self) -> None:
        hit_id = self.first_hit()
        self.decide(
            self.alice, hit_id, outcome="FALSE_POSITIVE", reason="Namesake: other passport photo"
        )
        self.assertTrue(DecisionMemory.objects.filter(entry__ref="FRA-1").exists())
        again = self.screen(self.alice)
        self.assertEqual(again["results"], [])
        self.assertEqual(again["run"]["suppressed_false_positives"], 1)
        # Another organisation decides for itself.
        self.assertEqual(len(self.screen(self.charlie)["results"]), 1)
        # New evidence on the traveller's side (a document) raises it again ...
        with_doc = self.screen(self.alice, {**YASIN, "document": "A1234567"})
        self.assertEqual(len(with_doc["results"]), 1)
        # ... and so does a new version of the entry.
        changed = NATIONAL_CSV.replace("Abood", "Abu Yasin")
        watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=self.watchlist,
            data=changed.encode(),
            file_name="v2.csv",
        )
        self.assertEqual(len(self.screen(self.alice)["results"]), 1)

    def test_purge_after_retention(self) -> None:
        hit_id = self.first_hit()
        self.decide(
            self.alice, hit_id, outcome="FALSE_POSITIVE", reason="Namesake: other passport photo"
        )
        hit = Hit.objects.get(pk=hit_id)
        self.assertLessEqual(hit.retain_until, timezone.now() + timedelta(days=8))
        open_id = self.first_hit(self.charlie)
        purged = review.purge_expired(timezone.now() + timedelta(days=400))
        self.assertEqual(sorted(purged["hits"]), sorted([hit_id, open_id]))
        self.assertEqual(len(purged["decision_memory"]), 1)
        self.assertFalse(Hit.objects.exists())
        self.assertEqual(ScreeningRun.objects.count(), 2)  # counts stay
        event = AuditEvent.objects.get(action="screening.purge")
        self.assertEqual(event.detail["counts"]["hits"], 2)
        self.assertNotIn("Yasin", str(event.detail))

    def test_notice_mail_names_no_one(self) -> None:
        hit_id = self.first_hit()
        self.decide(
            self.alice,
            hit_id,
            outcome="CONFIRMED",
            reason="Same man, same passport",
            notify_owner=True,
            disseminate=True,
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.second(self.bob, hit_id, True)
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn("Yasin", mail.outbox[0].body)
        self.assertIn("/screening/notices/", mail.outbox[0].body)

    def test_stats_are_counts_for_oversight(self) -> None:
        self.first_hit()
        self.assertEqual(self.api("get", "/screening/stats", self.cso).status_code, 403)
        stats = self.api("get", "/screening/stats", self.olga).json()
        self.assertEqual(stats["travellers"], 1)
        self.assertEqual(stats["hits_by_status"], {"OPEN": 1})


class QueueReadTests(ScreeningTestCase):
    def test_reading_the_queue_is_audited_with_the_hits_shown(self) -> None:
        self.national_list()
        self.api(
            "post",
            "/screening/screen",
            self.alice,
            {"purpose": "BORDER", "traveller": YASIN},
        )
        hit = Hit.objects.get()
        listing = self.api("get", "/screening/hits?status=OPEN&limit=10", self.bob)
        self.assertEqual(listing.status_code, 200)
        self.assertEqual(listing.json()["count"], 1)
        event = AuditEvent.objects.filter(action="read", object_type="screening.hit").last()
        self.assertIn(str(hit.pk), event.detail["why"])
        self.assertEqual(event.actor, self.bob)
        self.assertEqual(self.api("get", "/screening/hits?limit=0", self.bob).status_code, 422)


class StatsPageTests(ScreeningTestCase):
    def test_oversight_reads_counts_per_organisation_and_no_names(self) -> None:
        self.national_list(recipients=(self.state_b,))
        for user in (self.alice, self.charlie):
            self.api("post", "/screening/screen", user, {"purpose": "BORDER", "traveller": YASIN})
        client = self.login(self.olga)
        response = client.get("/screening/stats/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "KEN")
        self.assertContains(response, "FRA")
        self.assertNotContains(response, "Yasin")
        own = self.login(self.charlie, self.client_class()).get("/screening/stats/")
        self.assertEqual(own.status_code, 200)
        self.assertNotContains(own, "<td>FRA</td>", html=False)
        self.assertEqual(
            self.login(self.cso, self.client_class()).get("/screening/stats/").status_code, 403
        )
