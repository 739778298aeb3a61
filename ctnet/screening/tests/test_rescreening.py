"""Re-screening does not duplicate work (issue 12, item 2): a traveller–entry pair already raised
or decided is attached to its hit (the run recorded as a sighting), decisions are remembered
until new evidence, and the queue shows one row per traveller."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.screening.demo import FLIGHT_FILE, demo_flight
from ctnet.screening.models import DecisionMemory, Hit, HitSighting, HitStatus, ScreeningRun
from ctnet.screening.services import review, watchlists
from ctnet.screening.tests.helpers import NATIONAL_CSV, ScreeningTestCase

YASIN = {"name": "Abdul Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}
REASON = "Photo and date of birth agree with the listing"


class RescreeningTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.watchlist = self.national_list(recipients=(self.state_b,))

    def screen(self, user, *travellers):
        response = self.api(
            "post",
            "/screening/screen",
            user,
            {"purpose": "BORDER", "travellers": list(travellers or [YASIN])},
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def matches(self, body) -> list[dict]:
        return [m for r in body["results"] for m in r["possible_matches"]]

    def confirm(self, hit_id: int) -> None:
        hit = Hit.objects.get(pk=hit_id)
        review.decide(acting_user=self.alice, hit=hit, outcome="CONFIRMED", reason=REASON)
        review.second_review(acting_user=self.bob, hit=hit, approve=True, reason=REASON)

    def test_the_same_traveller_twice_is_one_hit_seen_twice(self) -> None:
        first = self.matches(self.screen(self.alice))
        again = self.screen(self.alice)
        self.assertEqual([m["id"] for m in self.matches(again)], [m["id"] for m in first])
        self.assertEqual(again["run"]["possible_matches"], 0)
        hit = Hit.objects.get()
        self.assertEqual(hit.times_seen, 2)
        runs = ScreeningRun.objects.order_by("id")
        self.assertEqual(runs[1].seen_again, 1)
        self.assertEqual(list(hit.sightings.values_list("run_id", flat=True)), [r.pk for r in runs])
        # The run page of the second run shows the hit it found again.
        self.login(self.alice)
        page = self.client.get(f"/screening/runs/{runs[1].pk}/")
        self.assertContains(page, f"/screening/hits/{hit.pk}/")
        # Twice in one passenger list: still one hit, one sighting for the run.
        both = self.screen(self.alice, YASIN, {**YASIN, "id": "again"})
        self.assertEqual(Hit.objects.count(), 1)
        self.assertEqual(both["run"]["travellers_with_matches"], 2)
        self.assertEqual(HitSighting.objects.count(), 3)

    def test_a_confirmed_match_screened_again_is_attached_not_raised(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        self.confirm(hit_id)
        again = self.matches(self.screen(self.alice))
        # The screener is told again, with the decision: nobody is waved through.
        self.assertEqual([(m["id"], m["status"]) for m in again], [(hit_id, "CONFIRMED")])
        self.assertEqual(Hit.objects.count(), 1)
        memory = DecisionMemory.objects.get()
        self.assertEqual((memory.outcome, memory.hit_id), (HitStatus.CONFIRMED, hit_id))
        self.assertEqual(memory.expires_at, Hit.objects.get().retain_until)
        # Not back in the queue "to review".
        self.assertEqual(
            self.api("get", "/screening/queue?status=OPEN", self.alice).json()["count"], 0
        )

    def test_an_inconclusive_decision_is_remembered(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        review.decide(
            acting_user=self.alice,
            hit=Hit.objects.get(pk=hit_id),
            outcome="INCONCLUSIVE",
            reason="No photograph to compare",
        )
        again = self.matches(self.screen(self.alice))
        self.assertEqual([(m["id"], m["status"]) for m in again], [(hit_id, "INCONCLUSIVE")])
        self.assertEqual(DecisionMemory.objects.get().outcome, HitStatus.INCONCLUSIVE)

    def test_new_evidence_raises_a_new_hit_linked_to_the_decision(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        self.confirm(hit_id)
        memory = DecisionMemory.objects.get()
        with_doc = self.matches(self.screen(self.alice, {**YASIN, "document": "A1234567"}))
        self.assertEqual(len(with_doc), 1)
        new = Hit.objects.get(pk=with_doc[0]["id"])
        self.assertNotEqual(new.pk, hit_id)
        self.assertEqual((new.status, new.earlier_decision_id), (HitStatus.OPEN, memory.pk))
        self.assertEqual(with_doc[0]["earlier_decision"]["outcome"], "CONFIRMED")
        self.assertEqual(with_doc[0]["earlier_decision"]["hit"], hit_id)
        # The reviewer sees it on the page of the new hit.
        self.login(self.alice)
        page = self.client.get(f"/screening/hits/{new.pk}/")
        self.assertContains(page, 'id="earlier-decision"')
        self.assertContains(page, f"/screening/hits/{hit_id}/")
        # A new version of the entry is new evidence too.
        changed = NATIONAL_CSV.replace("Abood", "Abu Yasin")
        watchlists.import_watchlist(
            acting_user=self.alice, watchlist=self.watchlist, data=changed.encode(), file_name="v2"
        )
        reraised = self.matches(self.screen(self.alice))
        self.assertEqual(len(reraised), 1)
        self.assertNotIn(reraised[0]["id"], (hit_id, new.pk))
        self.assertEqual(Hit.objects.get(pk=reraised[0]["id"]).earlier_decision_id, memory.pk)

    def test_another_organisation_decides_for_itself(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        self.confirm(hit_id)
        theirs = self.matches(self.screen(self.charlie))
        self.assertEqual(len(theirs), 1)
        self.assertNotEqual(theirs[0]["id"], hit_id)
        self.assertEqual(theirs[0]["status"], "OPEN")
        self.assertIsNone(theirs[0]["earlier_decision"])
        # ... and nothing of KEN's run reaches FRA's hit.
        self.assertEqual(Hit.objects.get(pk=hit_id).times_seen, 1)

    def test_a_remembered_confirmation_whose_hit_is_gone_is_raised_again(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        self.confirm(hit_id)
        memory = DecisionMemory.objects.get()
        # The hit is gone but the memory is not (as a false positive's memory outlives its hit).
        Hit.objects.filter(pk=hit_id).delete()
        again = self.matches(self.screen(self.alice))
        self.assertEqual(len(again), 1)
        self.assertEqual(Hit.objects.get().earlier_decision_id, memory.pk)

    def test_purge_removes_sightings_and_remembered_decisions(self) -> None:
        hit_id = self.matches(self.screen(self.alice))[0]["id"]
        self.screen(self.alice)
        self.confirm(hit_id)
        self.assertEqual(HitSighting.objects.count(), 2)
        later = timezone.now() + timedelta(days=self.watchlist.hit_retention_days + 1)
        purged = review.purge_expired(later)
        self.assertEqual(purged["hits"], [hit_id])
        self.assertEqual(len(purged["sightings"]), 2)
        self.assertEqual(len(purged["decision_memory"]), 1)
        self.assertFalse(HitSighting.objects.exists())
        self.assertFalse(DecisionMemory.objects.exists())
        event = AuditEvent.objects.get(action="screening.purge")
        self.assertEqual(event.detail["counts"]["sightings"], 2)
        self.assertNotIn("Yasin", str(event.detail))
        self.assertEqual(ScreeningRun.objects.count(), 2)  # runs keep their counts

    def test_seeing_an_open_hit_again_keeps_it(self) -> None:
        self.screen(self.alice)
        hit = Hit.objects.get()
        Hit.objects.filter(pk=hit.pk).update(retain_until=timezone.now() + timedelta(days=1))
        self.screen(self.alice)
        hit.refresh_from_db()
        self.assertGreater(hit.retain_until, timezone.now() + timedelta(days=20))


class DemoFlightTwiceTests(ScreeningTestCase):
    def test_the_demo_flight_screened_twice_leaves_one_hit_per_person(self) -> None:
        un = self.un_list()
        flight = demo_flight(un)
        for _ in range(2):
            response = self.upload(
                "/screening/screen/upload", self.bob, file=_named(flight), purpose="BORDER"
            )
            self.assertEqual(response.status_code, 200, response.content)
        first, second = ScreeningRun.objects.order_by("id")
        self.assertGreaterEqual(first.possible_matches, 3)
        self.assertEqual(second.possible_matches, 0)
        self.assertEqual(second.seen_again, first.possible_matches)
        self.assertEqual(Hit.objects.count(), first.possible_matches)
        pairs = list(Hit.objects.values_list("traveller_key", "entry_id"))
        self.assertEqual(len(pairs), len(set(pairs)))
        self.assertEqual(set(Hit.objects.values_list("times_seen", flat=True)), {2})
        # The queue lists each traveller once.
        queue = self.api("get", "/screening/queue", self.bob).json()
        keys = [g["traveller"]["name"] for g in queue["items"]]
        self.assertEqual(len(keys), len(set(Hit.objects.values_list("traveller_key", flat=True))))


def _named(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(FLIGHT_FILE, data, content_type="application/octet-stream")


class QueueRefusalTests(ScreeningTestCase):
    def test_queue_refusals(self) -> None:
        self.assertEqual(self.api("get", "/screening/queue").status_code, 401)
        for user in (self.cso, self.olga, self.pat):
            self.assertEqual(self.api("get", "/screening/queue", user).status_code, 403)
        bad = self.api("get", "/screening/queue?status=MAYBE", self.alice)
        self.assertEqual(bad.status_code, 422)
        self.assertIn("status", bad.json()["detail"])
        self.assertEqual(self.api("post", "/screening/queue", self.alice, {}).status_code, 405)
        # Another organisation's hits are not in one's queue.
        self.national_list()
        self.api(
            "post",
            "/screening/screen",
            self.alice,
            {"purpose": "BORDER", "traveller": YASIN},
        )
        self.assertEqual(self.api("get", "/screening/queue", self.charlie).json()["count"], 0)
        self.assertEqual(self.api("get", "/screening/queue", self.alice).json()["count"], 1)
        self.login(self.alice)
        page = self.client.get("/screening/hits/")
        self.assertContains(page, 'class="traveller-group"', count=1)
        self.assertEqual(self.client.post("/screening/hits/").status_code, 405)
