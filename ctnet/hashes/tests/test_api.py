from __future__ import annotations

from django.test import override_settings

from ctnet import ratelimits
from ctnet.core.models import AuditEvent
from ctnet.hashes import indexing, matching, services
from ctnet.hashes.engine.hashing import hash_bytes
from ctnet.hashes.engine.signals import PdqSignal
from ctnet.hashes.models import HashIndexState, Signal
from ctnet.hashes.tests.helpers import HashesTestCase, image_bytes, pdq_of, recompressed

SHA = "a" * 64


class ContributeConfirmShareTests(HashesTestCase):
    def test_pending_until_a_second_organisation_confirms(self) -> None:
        path = f"/hashes/banks/{self.shared_bank.pk}/signals"
        body = {
            "signal_type": "pdq",
            "value": pdq_of(1).upper(),
            "category": "PROPAGANDA",
            "legal_basis": "Loi 2015-912",
            "entity": "QDe.004",
        }
        response = self.api("POST", path, self.alice, body)
        self.assertEqual(response.status_code, 201, response.content)
        signal_id = response.json()["id"]
        self.assertEqual(response.json()["status"], "PENDING")
        self.assertEqual(response.json()["value"], pdq_of(1))  # normalised
        query = {"queries": [{"signal_type": "pdq", "value": pdq_of(1)}]}
        # Pending: the platform neither sees nor matches it; its contributor does.
        self.assertEqual(self.api("GET", f"/hashes/signals/{signal_id}", self.pat).status_code, 404)
        self.assertEqual(
            self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"], []
        )
        mine = self.api("POST", "/hashes/match", self.bob, query).json()["results"][0]["matches"]
        self.assertEqual([m["id"] for m in mine], [signal_id])
        # The contributor cannot confirm its own signal.
        own = self.api("POST", f"/hashes/signals/{signal_id}/confirm", self.bob)
        self.assertEqual(own.status_code, 403)
        # The secretariat reviews pending signals and confirms.
        response = self.api("POST", f"/hashes/signals/{signal_id}/confirm", self.sam)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "ACTIVE")
        again = self.api("POST", f"/hashes/signals/{signal_id}/confirm", self.sam)
        self.assertEqual(again.status_code, 400)
        matches = self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"]
        self.assertEqual([m["id"] for m in matches], [signal_id])
        self.assertEqual(
            [(v["organisation"], v["as"]) for v in matches[0]["vouched_by"]],
            [("FRA", "contributor"), ("UNOCT", "confirmer")],
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="hashes.signal.confirm", object_id=str(signal_id))
        )

    def test_charlie_does_not_see_pending_signals_of_another_state(self) -> None:
        signal = self.contribute(self.alice, self.shared_bank, pdq_of(2))
        path = f"/hashes/signals/{signal.pk}/confirm"
        self.assertEqual(self.api("POST", path, self.charlie).status_code, 404)


class UploadAndMatchTests(HashesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.signal = cls.contribute(cls.alice, cls.shared_bank, pdq_of(3), behaviour="flag")
        from ctnet.hashes import services

        services.confirm_signal(acting_user=cls.charlie, signal=cls.signal)
        cls.hidden = cls.contribute(cls.charlie, cls.ken_bank, pdq_of(4))

    def test_platform_uploads_a_recompressed_copy_and_learns_who_vouched(self) -> None:
        copy = recompressed(3)
        self.assertNotEqual(copy, image_bytes(3))
        hashed = self.upload("/hashes/hash", self.pat, copy)
        self.assertEqual(hashed.status_code, 200, hashed.content)
        body = hashed.json()
        self.assertTrue(body["pdq_usable"])
        self.assertEqual(len(body["sha256"]), 64)
        # The seven turned and mirrored copies, to be matched as well by a careful client.
        self.assertEqual(len(body["pdq_variants"]), 7)
        self.assertNotIn(body["pdq"], body["pdq_variants"])
        distance = PdqSignal.distance(body["pdq"], pdq_of(3))
        self.assertLessEqual(distance, 31)
        self.assertGreater(distance, 0)
        query = {"queries": [{"signal_type": "pdq", "value": body["pdq"]}]}
        result = self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]
        [match] = result["matches"]
        self.assertEqual(match["id"], self.signal.pk)
        self.assertEqual(match["distance"], distance)
        self.assertEqual(match["labels"]["entity"], "QDe.115")
        self.assertEqual(match["labels"]["behaviour"], "flag")
        self.assertEqual([v["organisation"] for v in match["vouched_by"]], ["FRA", "KEN"])
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.match_count, 1)

    def test_platform_does_not_see_a_bank_not_shared_with_it(self) -> None:
        query = {"queries": [{"signal_type": "pdq", "value": pdq_of(4)}]}
        self.assertEqual(
            self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"], []
        )
        self.assertEqual(
            self.api("GET", f"/hashes/banks/{self.ken_bank.pk}", self.pat).status_code, 404
        )
        self.assertEqual(
            self.api("GET", f"/hashes/signals/{self.hidden.pk}", self.pat).status_code, 404
        )
        banks = self.api("GET", "/hashes/banks", self.pat).json()["items"]
        self.assertEqual([b["name"] for b in banks], ["FRA propaganda"])
        # Charlie, who owns it, matches it; nobody counted the platform's miss.
        self.hidden.refresh_from_db()
        self.assertEqual(self.hidden.match_count, 0)
        got = self.api("POST", "/hashes/match", self.charlie, query).json()["results"][0]
        self.assertEqual([m["id"] for m in got["matches"]], [self.hidden.pk])

    def test_distance_limit_is_configurable_and_capped(self) -> None:
        far = f"{int(pdq_of(3), 16) ^ ((1 << 20) - 1):064x}"  # 20 bits away
        query = {"queries": [{"signal_type": "pdq", "value": far}], "max_distance": 10}
        self.assertEqual(
            self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"], []
        )
        query["max_distance"] = 20
        self.assertEqual(
            len(self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"]),
            1,
        )
        query["max_distance"] = 40
        response = self.api("POST", "/hashes/match", self.pat, query)
        self.assertEqual(response.status_code, 400)
        self.assertIn("max_distance", response.json()["detail"])
        with override_settings(HASHES_PDQ_MAX_DISTANCE=19):
            query.pop("max_distance")
            self.assertEqual(
                self.api("POST", "/hashes/match", self.pat, query).json()["results"][0]["matches"],
                [],
            )

    def test_exact_hashes_match_exactly(self) -> None:
        sig = self.contribute(self.charlie, self.ken_bank, SHA, signal_type="sha256")
        query = {
            "queries": [
                {"signal_type": "sha256", "value": SHA.upper()},
                {"signal_type": "sha256", "value": "b" * 64},
            ]
        }
        results = self.api("POST", "/hashes/match", self.charlie, query).json()["results"]
        self.assertEqual([m["id"] for m in results[0]["matches"]], [sig.pk])
        self.assertEqual(results[1]["matches"], [])

    def test_index_follows_the_checkpoint(self) -> None:
        query = [("pdq", pdq_of(5))]
        self.assertEqual(matching.match_hashes(self.charlie, query)[0].matches, [])
        before = indexing.current_index()
        new = self.contribute(self.charlie, self.ken_bank, pdq_of(5))
        [(found, distance)] = matching.match_hashes(self.charlie, query)[0].matches
        self.assertEqual((found.pk, distance), (new.pk, 0))
        self.assertGreater(indexing.current_index().checkpoint, before.checkpoint)

    def test_query_count_of_a_match_is_pinned(self) -> None:
        indexing.current_index()  # warm: the first match of a process builds the index
        self.assertIsNotNone(self.pat.active_membership)  # cached per request in real use
        queries = [("pdq", pdq_of(3)), ("pdq", pdq_of(4)), ("sha256", SHA)] * 10
        # Checkpoint, visible signals, confirmations; then counting in one transaction
        # (savepoint, window insert, window update, signal update, surge check) and the audit
        # row (savepoint, head, insert, head update, release), release.
        with self.assertNumQueries(14):
            results = matching.match_hashes(self.pat, queries)
        self.assertEqual(sum(len(r.matches) for r in results), 10)
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.match_count, 10)
        # Nothing matched: one query, nothing written.
        with self.assertNumQueries(1):
            matching.match_hashes(self.pat, [("sha256", "c" * 64)] * 50)

    def test_query_count_of_the_match_api_is_pinned(self) -> None:
        token = self.token_for(self.pat)
        self.api("GET", "/me", self.pat, token=token)  # the token's first use is written once
        values: list[str] = []
        # Token with membership, the hashing allowance (savepoint, bucket, write,
        # release), then what the match itself costs (see above, with the surge check's read),
        # and the checkpoint of the answer: the same for 2 matched signals and for 10.
        for seeds in (range(40, 42), range(42, 50)):
            for seed in seeds:
                signal = self.contribute(self.alice, self.shared_bank, pdq_of(seed))
                services.confirm_signal(acting_user=self.sam, signal=signal)
                values.append(pdq_of(seed))
            indexing.current_index()  # the checkpoint moved: build outside the count
            body = {"queries": [{"signal_type": "pdq", "value": v} for v in values]}
            with self.assertNumQueries(20):
                response = self.api("POST", "/hashes/match", self.pat, body, token=token)
            matched = {m["id"] for r in response.json()["results"] for m in r["matches"]}
            self.assertEqual(len(matched), len(values))


class FeedTests(HashesTestCase):
    def test_feed_pages_by_checkpoint_and_sends_tombstones(self) -> None:
        a = self.contribute(self.charlie, self.shared_bank, pdq_of(6))
        b = self.contribute(self.charlie, self.shared_bank, pdq_of(7))
        pending = self.contribute(self.alice, self.shared_bank, pdq_of(8))
        from ctnet.hashes import services

        services.confirm_signal(acting_user=self.alice, signal=a)
        services.confirm_signal(acting_user=self.alice, signal=b)
        first = self.api("GET", "/hashes/feed?since=0&limit=1", self.pat).json()
        self.assertTrue(first["has_more"])
        self.assertEqual([i["id"] for i in first["items"]], [a.pk])
        # The database's epoch: a cursor is only worth resuming within the same one.
        epoch = HashIndexState.objects.get().epoch
        self.assertEqual(first["epoch"], epoch)
        rest = self.api("GET", f"/hashes/feed?since={first['next']}", self.pat).json()
        self.assertFalse(rest["has_more"])
        self.assertEqual([i["id"] for i in rest["items"]], [b.pk])
        self.assertNotIn(pending.pk, [i["id"] for i in first["items"] + rest["items"]])
        self.assertEqual(rest["next"], rest["checkpoint"])
        # Nothing changed: an empty page at the same checkpoint.
        same = self.api("GET", f"/hashes/feed?since={rest['next']}", self.pat).json()
        self.assertEqual((same["items"], same["next"]), ([], rest["next"]))
        services.remove_signal(acting_user=self.charlie, signal=b, reason="wrong image")
        services.remove_signal(acting_user=self.alice, signal=pending, reason="duplicate")
        delta = self.api("GET", f"/hashes/feed?since={rest['next']}", self.pat).json()
        # The pending one was never shared with the platform: no tombstone reveals it.
        self.assertEqual(
            delta["items"],
            [{"id": b.pk, "deleted": True, "status": "REMOVED", "change": delta["next"] - 1}],
        )

    def test_feed_cursor_out_of_range_is_a_422_not_a_500(self) -> None:
        # Past a 64-bit integer the database would overflow; beyond the page size is refused.
        for query in (f"since={2**63}", "since=10000000000000000000000000000000", "limit=10001"):
            with self.subTest(query=query):
                r = self.api("GET", f"/hashes/feed?{query}", self.pat)
                self.assertEqual(r.status_code, 422)
                self.assertIn("detail", r.json())
        edge = self.api("GET", f"/hashes/feed?since={2**63 - 1}", self.pat)
        self.assertEqual((edge.status_code, edge.json()["items"]), (200, []))

    def test_feed_is_only_what_is_shared_with_the_platform(self) -> None:
        self.contribute(self.charlie, self.ken_bank, pdq_of(9))
        self.assertEqual(self.api("GET", "/hashes/feed", self.pat).json()["items"], [])
        self.assertEqual(len(self.api("GET", "/hashes/feed", self.charlie).json()["items"]), 1)


class BadInputAndRefusalTests(HashesTestCase):
    def test_malformed_and_unknown_hashes_are_400_and_nothing_is_stored(self) -> None:
        path = f"/hashes/banks/{self.ken_bank.pk}/signals"
        base = {"category": "PROPAGANDA", "legal_basis": "law"}
        for bad, word in (
            ({"signal_type": "pdq", "value": "abc"}, "64 hexadecimal"),
            ({"signal_type": "pdq", "value": "z" * 64}, "hexadecimal"),
            ({"signal_type": "sha1", "value": "a" * 40}, "unknown signal type"),
            ({"signal_type": "vpdq", "value": "a" * 64}, "JSON list of"),
            ({"signal_type": "pdq", "value": pdq_of(1), "quality": 20}, "quality"),
        ):
            response = self.api("POST", path, self.charlie, {**base, **bad})
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn(word, response.json()["detail"])
        query = {
            "queries": [
                {"signal_type": "md5", "value": "a" * 32},
                {"signal_type": "md5", "value": "xyz"},
            ]
        }
        response = self.api("POST", "/hashes/match", self.charlie, query)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Hash 1", response.json()["detail"])
        self.assertEqual(Signal.objects.count(), 0)
        self.assertFalse(AuditEvent.objects.filter(action="hashes.match").exists())

    def test_duplicate_is_400(self) -> None:
        self.contribute(self.charlie, self.ken_bank, SHA, signal_type="sha256")
        response = self.api(
            "POST",
            f"/hashes/banks/{self.ken_bank.pk}/signals",
            self.charlie,
            {"signal_type": "sha256", "value": SHA, "category": "OTHER", "legal_basis": "x"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Signal.objects.count(), 1)

    def test_batch_limit(self) -> None:
        with override_settings(HASHES_MAX_BATCH=2):
            query = {"queries": [{"signal_type": "md5", "value": "a" * 32}] * 3}
            response = self.api("POST", "/hashes/match", self.pat, query)
        self.assertEqual(response.status_code, 400)
        self.assertIn("At most 2", response.json()["detail"])

    def test_bad_uploads(self) -> None:
        truncated = image_bytes(1)[:2000]
        response = self.upload("/hashes/hash", self.pat, truncated)
        self.assertEqual(response.status_code, 400)
        self.assertIn("decoded", response.json()["detail"])
        with override_settings(HASHES_MAX_UPLOAD_BYTES=1024):
            response = self.upload("/hashes/hash", self.pat, image_bytes(1))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.upload("/hashes/hash", self.pat, b"").status_code, 400)
        text = self.upload("/hashes/hash", self.pat, b"hello", name="a.txt").json()
        self.assertEqual((text["pdq"], text["md5"]), (None, hash_bytes(b"hello", "a").md5))

    def test_flat_image_is_refused_for_matching(self) -> None:
        from PIL import Image

        from ctnet.hashes.engine.synthetic import jpeg_bytes

        flat = jpeg_bytes(Image.new("RGB", (300, 300), (120, 120, 120)))
        body = self.upload("/hashes/hash", self.pat, flat).json()
        self.assertFalse(body["pdq_usable"])
        self.assertIn("too flat", body["message"])

    def test_refusal_paths(self) -> None:
        query = {"queries": [{"signal_type": "md5", "value": "a" * 32}]}
        self.assertEqual(self.api("POST", "/hashes/match", None, query).status_code, 401)
        self.assertEqual(self.api("GET", "/hashes/feed").status_code, 401)
        self.assertEqual(self.upload("/hashes/hash", None, image_bytes(1)).status_code, 401)
        # Oversight reads the audit log, not hashes.
        self.assertEqual(self.api("POST", "/hashes/match", self.olga, query).status_code, 403)
        self.assertEqual(self.api("GET", "/hashes/feed", self.olga).status_code, 403)
        # Wrong role: civil society may not contribute; an officer may not own a bank.
        cso_bank = self.api("POST", "/hashes/banks", self.cso, {"name": "x"})
        self.assertEqual(cso_bank.status_code, 403)
        self.assertEqual(
            self.api("POST", "/hashes/banks", self.bob, {"name": "x"}).status_code, 403
        )
        self.assertEqual(self.api("GET", "/hashes/match", self.pat).status_code, 405)
        self.assertEqual(self.api("GET", "/hashes/hash", self.pat).status_code, 405)
        self.assertEqual(self.api("GET", "/hashes/banks/999999", self.pat).status_code, 404)
        self.assertEqual(self.api("GET", "/hashes/signals/999999", self.pat).status_code, 404)


class HashThrottleTests(HashesTestCase):
    def test_matching_calls_are_rate_limited_per_person(self) -> None:
        from unittest import mock

        from django.utils import timezone

        from ctnet.core import ratelimit

        token = self.token_for(self.pat)
        body = {"queries": [{"signal_type": "md5", "value": "0" * 32}]}
        # The clock of the rate limiter stands still, so the bucket does not refill mid-test.
        frozen = timezone.now()
        with mock.patch.object(ratelimit.timezone, "now", return_value=frozen):
            for _ in range(ratelimits.HASH_QUERIES_PER_USER.capacity):
                ok = self.api("POST", "/hashes/match", self.pat, body, token=token)
                self.assertEqual(ok.status_code, 200)
            response = self.api("POST", "/hashes/match", self.pat, body, token=token)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many", response.json()["detail"])
