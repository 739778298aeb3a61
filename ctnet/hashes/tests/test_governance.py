from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.hashes import governance, indexing, matching, services
from ctnet.hashes.models import Bank, CrisisState, SignalStatus
from ctnet.hashes.tests.helpers import HashesTestCase, pdq_of


class DisputeTests(HashesTestCase):
    def test_disagreements_flag_a_signal_disputed_and_agreement_clears_it(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(10))
        path = f"/hashes/signals/{signal.pk}/opinions"
        no_reason = self.api("POST", path, self.charlie, {"agrees": False, "reason": " "})
        self.assertEqual(no_reason.status_code, 400)
        first = self.api("POST", path, self.charlie, {"agrees": False, "reason": "news footage"})
        self.assertEqual(first.json()["status"], "ACTIVE")  # one voice is not a dispute
        # KEN's bank is AMBER and not shared: the secretariat cannot see it, France neither.
        self.assertEqual(
            self.api("POST", path, self.sam, {"agrees": False, "reason": "x"}).status_code, 404
        )
        signal2 = self.contribute(self.pat, self.shared_bank, pdq_of(11))
        services.confirm_signal(acting_user=self.alice, signal=signal2)
        path2 = f"/hashes/signals/{signal2.pk}/opinions"
        self.api("POST", path2, self.charlie, {"agrees": False, "reason": "satire, not propaganda"})
        second = self.api("POST", path2, self.cso, {"agrees": False, "reason": "journalism"})
        # CSO does not see a GREEN bank not shared with it.
        self.assertEqual(second.status_code, 404)
        second = self.api("POST", path2, self.sam, {"agrees": False, "reason": "journalism"})
        self.assertEqual(second.json()["status"], "DISPUTED")
        self.assertTrue(second.json()["disputed"])
        match = matching.match_hashes(self.pat, [("pdq", pdq_of(11))])[0].matches
        self.assertEqual(match[0][0].status, SignalStatus.DISPUTED)  # still shared, flagged
        # Disagreements must outnumber agreements: 2 against 1 stays disputed, 2 all clears it.
        body = self.api("POST", path2, self.alice, {"agrees": True, "reason": "seen in the attack"})
        self.assertEqual(body.json()["status"], "DISPUTED")
        body = self.api("POST", path2, self.pat, {"agrees": True, "reason": "confirmed"}).json()
        self.assertEqual(body["status"], "ACTIVE")
        # An organisation may change its mind; it still has one opinion.
        changed = self.api("POST", path2, self.sam, {"agrees": True, "reason": "reviewed again"})
        self.assertEqual(changed.json()["status"], "ACTIVE")
        detail = self.api("GET", f"/hashes/signals/{signal2.pk}", self.pat).json()
        self.assertEqual(len(detail["opinions"]), 4)  # one per organisation, replaceable

    def test_oversight_cannot_give_opinions(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(10))
        path = f"/hashes/signals/{signal.pk}/opinions"
        self.assertEqual(
            self.api("POST", path, self.olga, {"agrees": True, "reason": "x"}).status_code, 403
        )


class FalsePositiveTests(HashesTestCase):
    def test_reports_lower_trust_and_disable(self) -> None:
        signal = self.contribute(self.charlie, self.shared_bank, pdq_of(12))
        services.confirm_signal(acting_user=self.alice, signal=signal)
        path = f"/hashes/signals/{signal.pk}/false-positive"
        body = self.api("POST", path, self.pat, {"reason": "a cooking video"}).json()
        self.assertEqual((body["trust_score"], body["status"]), (75, "ACTIVE"))
        self.assertEqual(self.api("POST", path, self.pat, {"reason": "again"}).status_code, 400)
        body = self.api("POST", path, self.sam, {"reason": "a film trailer"}).json()
        self.assertEqual((body["trust_score"], body["status"]), (50, "DISABLED"))
        self.assertEqual(matching.match_hashes(self.pat, [("pdq", pdq_of(12))])[0].matches, [])
        feed = self.api("GET", "/hashes/feed", self.pat).json()["items"]
        self.assertEqual([(i["id"], i["deleted"]) for i in feed], [(signal.pk, True)])
        self.assertTrue(AuditEvent.objects.filter(action="hashes.signal.false_positive").exists())

    def test_civil_society_cannot_report(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(12))
        with self.assertRaises(Exception):  # noqa: B017 — PermissionDenied, checked by the policy
            governance.report_false_positive(acting_user=self.cso, signal=signal, reason="x")


class SurgeTests(HashesTestCase):
    @override_settings(HASHES_SURGE_MATCHES=5)
    def test_a_signal_matching_far_too_much_is_quarantined_and_audited(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(13))
        other = self.contribute(self.charlie, self.ken_bank, pdq_of(14))
        query = [("pdq", pdq_of(13))] * 5 + [("pdq", pdq_of(14))]
        matching.match_hashes(self.charlie, query)
        signal.refresh_from_db()
        self.assertEqual((signal.status, signal.match_count), (SignalStatus.ACTIVE, 5))
        results = matching.match_hashes(self.charlie, [("pdq", pdq_of(13))])
        self.assertEqual(results[0].matches[0][0].status, SignalStatus.QUARANTINED)
        signal.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(signal.status, SignalStatus.QUARANTINED)
        self.assertEqual(other.status, SignalStatus.ACTIVE)
        event = AuditEvent.objects.get(action="hashes.signal.quarantine")
        self.assertEqual((event.object_id, event.actor_id), (str(signal.pk), None))
        # Out of the index from now on.
        self.assertEqual(matching.match_hashes(self.charlie, [("pdq", pdq_of(13))])[0].matches, [])

    def test_transparency_counts_matches_per_bank_and_label(self) -> None:
        self.contribute(self.charlie, self.ken_bank, pdq_of(13), entity="QDe.004")
        matching.match_hashes(self.charlie, [("pdq", pdq_of(13))] * 3)
        body = self.api("GET", "/hashes/transparency", self.charlie).json()
        self.assertEqual(body["matches_by_bank"][0]["n"], 3)
        self.assertEqual(body["matches_by_entity"], [{"signal__entity": "QDe.004", "n": 3}])
        self.assertEqual(body["signals_by_status"], [{"status": "ACTIVE", "n": 1}])
        # The platform does not see KEN's bank: nothing of it in its report.
        self.assertEqual(
            self.api("GET", "/hashes/transparency", self.pat).json()["matches_by_bank"], []
        )
        bad = self.api(
            "GET",
            "/hashes/transparency?start=2030-01-01T00:00:00Z&end=2020-01-01T00:00:00Z",
            self.charlie,
        )
        self.assertEqual(bad.status_code, 400)

    def test_oversight_transparency_is_counts_per_organisation_without_names(self) -> None:
        self.contribute(self.charlie, self.ken_bank, pdq_of(13), entity="QDe.004")
        matching.match_hashes(self.charlie, [("pdq", pdq_of(13))] * 3)
        response = self.api("GET", "/hashes/transparency", self.olga)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        text = response.content.decode()
        # The AMBER bank shared with nobody is counted, never named; no entity, no hash value.
        for content in ("KEN bank", "FRA propaganda", "QDe.004", pdq_of(13)):
            self.assertNotIn(content, text)
        self.assertNotIn("matches_by_bank", body)
        self.assertNotIn("matches_by_entity", body)
        rows = {row["organisation"]: row for row in body["by_organisation"]}
        self.assertEqual(
            rows["KEN"],
            {"organisation": "KEN", "banks": 1, "signals": 1, "signals_added": 1, "matches": 3},
        )
        self.assertEqual(rows["FRA"]["banks"], 1)
        self.login(self.olga)
        page = self.client.get("/hashes/transparency/")
        self.assertContains(page, "KEN")
        for content in ("KEN bank", "FRA propaganda", "QDe.004"):
            self.assertNotContains(page, content)


class CrisisTests(HashesTestCase):
    def open_crisis(self, end: str = "EXPIRE") -> Bank:
        body = {
            "name": "Attack livestream",
            "incident": "City X, 2025-03-15",
            "hours": 24,
            "end": end,
            "tlp": "GREEN",
            "recipients": ["TECH-X"],
        }
        response = self.api("POST", "/hashes/banks/crisis", self.alice, body)
        self.assertEqual(response.status_code, 201, response.content)
        return Bank.objects.get(pk=response.json()["id"])

    def test_quick_sharing_then_expiry_by_the_command(self) -> None:
        bank = self.open_crisis()
        signal = self.contribute(self.alice, bank, pdq_of(15))
        self.assertEqual(signal.status, SignalStatus.ACTIVE)  # no second confirmation needed
        self.assertEqual(signal.incident, "City X, 2025-03-15")
        self.assertEqual(len(matching.match_hashes(self.pat, [("pdq", pdq_of(15))])[0].matches), 1)
        out = io.StringIO()
        call_command("hashes_expire_crisis", stdout=out)
        self.assertIn("closed 0", out.getvalue())  # time box not over yet
        later = timezone.now() + timedelta(hours=25)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("hashes_expire_crisis", stdout=out)
        bank.refresh_from_db()
        signal.refresh_from_db()
        self.assertEqual((bank.crisis_state, bank.is_open), (CrisisState.EXPIRED, False))
        self.assertEqual(signal.status, SignalStatus.EXPIRED)
        self.assertEqual(matching.match_hashes(self.pat, [("pdq", pdq_of(15))])[0].matches, [])
        feed = self.api("GET", "/hashes/feed", self.pat).json()["items"]
        self.assertEqual([(i["id"], i["status"]) for i in feed], [(signal.pk, "EXPIRED")])
        closed = self.contribute
        with self.assertRaises(Exception):  # noqa: B017 — ValidationError: the bank is closed
            closed(self.alice, bank, pdq_of(16))

    def test_closing_for_review_puts_unconfirmed_signals_back_under_confirmation(self) -> None:
        bank = self.open_crisis(end="REVIEW")
        lone = self.contribute(self.alice, bank, pdq_of(15))
        vouched = self.contribute(self.alice, bank, pdq_of(16))
        services.confirm_signal(acting_user=self.sam, signal=vouched)
        path = f"/hashes/banks/{bank.pk}/close"
        self.assertEqual(self.api("POST", path, self.pat, {"end": "REVIEW"}).status_code, 403)
        # Another state sees a GREEN bank but may not close it; civil society does not see it.
        self.assertEqual(self.api("POST", path, self.charlie, {"end": "REVIEW"}).status_code, 403)
        self.assertEqual(self.api("POST", path, self.cso, {"end": "REVIEW"}).status_code, 404)
        response = self.api("POST", path, self.alice, {"end": "REVIEW"})
        self.assertEqual(response.json()["crisis_state"], "REVIEW")
        lone.refresh_from_db()
        vouched.refresh_from_db()
        self.assertEqual((lone.status, vouched.status), (SignalStatus.PENDING, SignalStatus.ACTIVE))
        self.assertEqual(self.api("POST", path, self.alice, {"end": "REVIEW"}).status_code, 400)
        feed = self.api("GET", "/hashes/feed", self.pat).json()["items"]
        self.assertEqual({i["id"]: i["deleted"] for i in feed}, {lone.pk: True, vouched.pk: False})

    def test_time_box_is_capped(self) -> None:
        body = {"name": "x", "incident": "y", "hours": 10_000}
        self.assertEqual(
            self.api("POST", "/hashes/banks/crisis", self.alice, body).status_code, 400
        )
        self.assertEqual(self.api("POST", "/hashes/banks/crisis", self.bob, body).status_code, 403)


class IndexFileTests(HashesTestCase):
    def test_prebuilt_index_is_saved_and_loaded_at_its_checkpoint(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(17))
        indexing.prebuild_pdq_index.call()
        path = indexing.index_path()
        self.assertEqual(indexing.saved_checkpoint(path), indexing.current_checkpoint())
        indexing.reset_index_cache()
        with mock.patch.object(indexing, "build_pdq_index") as build:
            [(found, _d)] = matching.match_hashes(self.charlie, [("pdq", pdq_of(17))])[0].matches
        build.assert_not_called()  # loaded from the file
        self.assertEqual(found.pk, signal.pk)
        # A newer checkpoint makes the file stale: the process builds instead.
        self.contribute(self.charlie, self.ken_bank, pdq_of(18))
        self.assertEqual(
            len(matching.match_hashes(self.charlie, [("pdq", pdq_of(18))])[0].matches), 1
        )

    def test_a_damaged_or_old_index_file_is_rebuilt_not_used(self) -> None:
        signal = self.contribute(self.charlie, self.ken_bank, pdq_of(17))
        path = indexing.index_path()
        legacy = path.with_name("pdq-index-old.npz")
        legacy.parent.mkdir(parents=True, exist_ok=True)
        legacy.write_bytes(b"format 1")
        indexing.prebuild_pdq_index.call()
        self.assertFalse(legacy.exists())  # a format nothing reads any more is removed
        data = bytearray(path.read_bytes())
        data[-70] ^= 0x01  # inside the last array
        path.write_bytes(bytes(data))
        # The header still names the current checkpoint; the checksum refuses the arrays.
        self.assertEqual(indexing.saved_checkpoint(path), indexing.current_checkpoint())
        indexing.reset_index_cache()
        with (
            mock.patch.object(indexing, "build_pdq_index", wraps=indexing.build_pdq_index) as build,
            self.assertLogs("ctnet.hashes.indexing", "WARNING") as logs,
        ):
            [(found, _d)] = matching.match_hashes(self.charlie, [("pdq", pdq_of(17))])[0].matches
        build.assert_called_once()
        self.assertIn("fails its checksum", logs.output[0])
        self.assertEqual(found.pk, signal.pk)
