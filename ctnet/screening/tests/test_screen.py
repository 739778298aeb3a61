"""Screening through the API: single and batch JSON, passenger-list upload, refusals, and the
promise that a traveller who matched nothing leaves no trace."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.screening.models import Hit, ScreeningRun
from ctnet.screening.tests.helpers import (
    LISTED,
    UNLISTED,
    UNLISTED_NAME,
    ScreeningTestCase,
    passengers,
)

YASIN = {"name": "Abd al-Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}


class ScreenApiTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.watchlist = self.national_list()

    def screen(self, user, **payload):
        return self.api("post", "/screening/screen", user, {"purpose": "BORDER", **payload})

    def test_single_traveller_gets_an_explained_possible_match(self) -> None:
        response = self.screen(self.alice, traveller={"id": "T1", **YASIN})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        [result] = body["results"]
        self.assertEqual(result["traveller_id"], "T1")
        [match] = result["possible_matches"]
        self.assertGreaterEqual(match["score"], 0.85)
        self.assertEqual(match["entry"]["ref"], "FRA-1")
        self.assertEqual(match["status"], "OPEN")
        self.assertIn("dob:exact_match", match["reasons"])
        self.assertIn("Same date of birth.", match["explanation"])
        # The score's band (engine score.band at the deployment's threshold), in plain words too.
        self.assertEqual(match["band"], "strong" if match["score"] >= 0.97 else "possible")
        self.assertIn(match["band_label"], ("strong match", "possible match"))
        self.assertEqual(body["run"]["travellers"], 1)
        self.assertEqual(body["run"]["possible_matches"], 1)

    def test_transliterated_and_reordered_names_are_found(self) -> None:
        for name in ("Yasin Abdulrahman", "ABDUL RAHMAN YASSIN", "عبد الرحمن ياسين"):
            with self.subTest(name):
                response = self.screen(self.alice, traveller={**YASIN, "name": name})
                self.assertEqual(len(response.json()["results"]), 1, (name, response.content))

    def test_batch_with_bad_rows_screens_the_good_ones(self) -> None:
        response = self.screen(
            self.alice,
            travellers=[
                {"id": "A", **YASIN},
                {"id": "B", "name": "Jane Roe", "dob": "1990-02-30"},
                {"id": "C", "name": "John Roe", "nationality": "XXX"},
                {"id": "D", "name": "Lucie Marchetti", "dob": "1988", "nationality": "FRA"},
            ],
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual([b["line"] for b in body["bad_rows"]], [2, 3])
        self.assertIn("impossible date", body["bad_rows"][0]["message"])
        self.assertEqual(body["run"]["travellers"], 2)
        self.assertEqual(body["run"]["bad_rows"], 2)
        self.assertEqual([r["traveller_id"] for r in body["results"]], ["A"])

    def test_bad_requests_write_nothing(self) -> None:
        cases = [
            ({"purpose": "BORDER"}, 400),
            ({"purpose": "BORDER", "travellers": [{"name": "X", "dob": "tomorrow"}]}, 400),
            ({"traveller": YASIN}, 422),  # no purpose
            ({"purpose": "FISHING", "traveller": YASIN}, 422),
            ({"purpose": "BORDER", "traveller": YASIN, "threshold": 0.1}, 422),
            ({"purpose": "BORDER", "traveller": YASIN, "watchlists": [999999]}, 400),
        ]
        for payload, status in cases:
            with self.subTest(payload):
                response = self.api("post", "/screening/screen", self.alice, payload)
                self.assertEqual(response.status_code, status, response.content)
                self.assertTrue(response.json()["detail"])
        self.assertFalse(ScreeningRun.objects.exists())

    @override_settings(SCREENING_MAX_BATCH=2)
    def test_batch_size_is_bounded(self) -> None:
        response = self.screen(self.alice, travellers=[YASIN, YASIN, YASIN])
        self.assertEqual(response.status_code, 400)
        self.assertIn("At most 2", response.json()["detail"])

    @override_settings(SCREENING_TRAVELLERS_PER_HOUR=3)
    def test_rate_limit_counts_travellers(self) -> None:
        self.assertEqual(self.screen(self.alice, travellers=[YASIN, YASIN]).status_code, 200)
        response = self.screen(self.alice, travellers=[YASIN, YASIN])
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.screen(self.bob, travellers=[YASIN, YASIN]).status_code, 200)

    def test_refusals(self) -> None:
        self.assertEqual(self.screen(None, traveller=YASIN).status_code, 401)
        for user in (self.cso, self.pat, self.olga):
            with self.subTest(user.username):
                self.assertEqual(self.screen(user, traveller=YASIN).status_code, 403)

    def test_a_list_not_shared_with_you_is_not_screened(self) -> None:
        response = self.screen(self.charlie, traveller=YASIN)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["results"], [])
        asked = self.screen(self.charlie, traveller=YASIN, watchlists=[self.watchlist.pk])
        self.assertEqual(asked.status_code, 400)

    def test_closed_list_gives_a_reference_not_the_entry(self) -> None:
        Hit.objects.all().delete()
        self.watchlist.entries_visible = False
        self.watchlist.save()
        self.watchlist.recipient_orgs.add(self.state_b)
        response = self.screen(self.charlie, traveller=YASIN)
        [match] = response.json()["results"][0]["possible_matches"]
        self.assertFalse(match["entry_details_visible"])
        self.assertEqual(
            set(match["entry"]),
            {"id", "watchlist", "watchlist_name", "owner", "ref", "status", "version"},
        )
        self.assertEqual(match["entry"]["owner"], "FRA")


class PassengerListTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.national_list()

    def upload_list(self, user, name: str, data: bytes, **fields):
        return self.upload(
            "/screening/screen/upload",
            user,
            file=SimpleUploadedFile(name, data),
            purpose="BORDER",
            **fields,
        )

    def test_csv_upload_and_unmatched_traveller_leaves_no_trace(self) -> None:
        response = self.upload_list(self.alice, "af1143.csv", passengers(LISTED, UNLISTED))
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["run"]["channel"], "CSV")
        self.assertEqual(body["run"]["travellers"], 2)
        self.assertEqual([r["traveller_id"] for r in body["results"]], ["P1"])
        # Nowhere in the database: every table of every app, the audit log included.
        dump = io.StringIO()
        call_command("dumpdata", stdout=dump)
        self.assertIn("Abdul Rahman Yasin", dump.getvalue())  # the hit is kept, for review
        self.assertNotIn(UNLISTED_NAME, dump.getvalue())
        self.assertNotIn("NX0012345", dump.getvalue())
        event = AuditEvent.objects.get(action="screening.run")
        self.assertEqual(event.detail["travellers"], 2)
        self.assertEqual(len(event.detail["hits"]), 1)

    def test_bad_upload_names_file_and_line(self) -> None:
        cases = [
            ("wrong.csv", b"id,name\nP1,Ann\n", 400, "wrong.csv:1"),
            ("empty.csv", b"", 400, "empty"),
            ("bin.csv", b"\xff\xfe\x00garbage", 400, "bin.csv"),
            ("all-bad.csv", passengers("P1,Ann Lee,1990-13-01,,\n"), 400, "No traveller"),
        ]
        for name, data, status, message in cases:
            with self.subTest(name):
                response = self.upload_list(self.alice, name, data)
                self.assertEqual(response.status_code, status, response.content)
                self.assertIn(message, response.json()["detail"])
        self.assertFalse(ScreeningRun.objects.exists())

    def test_missing_purpose_is_refused(self) -> None:
        response = self.upload(
            "/screening/screen/upload",
            self.alice,
            file=SimpleUploadedFile("a.csv", passengers(LISTED)),
        )
        self.assertEqual(response.status_code, 422)

    @override_settings(SCREENING_MAX_UPLOAD_BYTES=1024)
    def test_oversized_upload(self) -> None:
        big = passengers(*[UNLISTED] * 40)
        response = self.upload_list(self.alice, "big.csv", big)
        self.assertEqual(response.status_code, 413)


class PaxlstUploadTests(ScreeningTestCase):
    def test_paxlst_upload_screens_with_flight_facts_and_lists_bad_passengers(self) -> None:
        import datetime as dt

        from ctnet.screening.engine.model import DateOfBirth, Traveller
        from ctnet.screening.engine.paxlst import Flight, write_paxlst

        self.national_list()
        travellers = [
            Traveller("A1", "Abdul Rahman Yasin", DateOfBirth.exact(dt.date(1960, 4, 10)), "IRQ"),
            Traveller("A2", UNLISTED_NAME, DateOfBirth.exact(dt.date(1991, 3, 14)), "NLD"),
        ]
        text = write_paxlst(
            travellers,
            Flight(number="KQ100", carrier="KQ", departure_airport="NBO", arrival_airport="CDG"),
            sender="KQ",
            recipient="FRAPIU",
            reference="R1",
            prepared_at=dt.datetime(2026, 11, 29, 8, 0),  # noqa: DTZ001
        )
        # A third passenger born on 30 February: listed by its segment, the others screened.
        broken = text.replace("DTM+329:910314'", "DTM+329:910230'")
        self.assertNotEqual(broken, text)
        response = self.upload(
            "/screening/screen/upload",
            self.alice,
            file=SimpleUploadedFile("kq100.edi", broken.encode()),
            purpose="BORDER",
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["run"]["channel"], "PAXLST")
        self.assertEqual(body["run"]["flight"]["flight_number"], "KQ100")
        self.assertEqual(body["run"]["travellers"], 1)
        self.assertEqual(len(body["bad_rows"]), 1)
        self.assertEqual([r["traveller_id"] for r in body["results"]], ["A1"])

    def test_truncated_paxlst_is_refused_whole(self) -> None:
        import datetime as dt

        from ctnet.screening.engine.model import Traveller
        from ctnet.screening.engine.paxlst import Flight, write_paxlst

        text = write_paxlst(
            [Traveller("A1", "Ann Lee")],
            Flight(number="KQ100"),
            sender="KQ",
            recipient="FRAPIU",
            reference="R1",
            prepared_at=dt.datetime(2026, 11, 29, 8, 0),  # noqa: DTZ001
        )
        cut = text[: text.index("UNT")]
        response = self.upload(
            "/screening/screen/upload",
            self.alice,
            file=SimpleUploadedFile("cut.edi", cut.encode()),
            purpose="BORDER",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cut.edi", response.json()["detail"])
        self.assertFalse(ScreeningRun.objects.exists())


class EngineMemoryTests(ScreeningTestCase):
    def test_the_process_forgets_the_names_it_was_asked_about(self) -> None:
        from ctnet.screening import matching
        from ctnet.screening.engine import normalise

        self.national_list()
        response = self.api(
            "post",
            "/screening/screen",
            self.alice,
            {"purpose": "BORDER", "traveller": {"name": "Quirinus Zebedee Oyelaran"}},
        )
        self.assertEqual(response.json()["results"], [])
        held = matching.current_index()
        self.assertEqual(held.index._alt_cache, {})
        self.assertEqual(normalise.skeleton.cache_info().currsize, 0)


class ThresholdSettingTests(ScreeningTestCase):
    def test_platform_default_is_the_engines_calibrated_threshold(self) -> None:
        from django.conf import settings

        from ctnet.screening.engine.score import DEFAULT_THRESHOLD

        self.assertEqual(settings.SCREENING_THRESHOLD, DEFAULT_THRESHOLD)


class UploadStaysInMemoryTests(ScreeningTestCase):
    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_api_upload_never_touches_the_disk(self) -> None:
        from unittest import mock

        self.national_list()
        with mock.patch(
            "django.core.files.uploadedfile.tempfile.NamedTemporaryFile",
            side_effect=AssertionError("a passenger list was written to disk"),
        ):
            response = self.upload(
                "/screening/screen/upload",
                self.alice,
                file=SimpleUploadedFile("flight.csv", passengers(LISTED, UNLISTED)),
                purpose="BORDER",
            )
        self.assertEqual(response.status_code, 200, response.content)

    @override_settings(SCREENING_MAX_UPLOAD_BYTES=1024)
    def test_oversized_body_is_refused_before_it_is_read(self) -> None:
        big = passengers(*[UNLISTED] * 2000)  # ~100 KB, past the limit and the framing allowance
        response = self.upload(
            "/screening/screen/upload",
            self.alice,
            file=SimpleUploadedFile("big.csv", big),
            purpose="BORDER",
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("larger than", response.json()["detail"])
        self.assertFalse(ScreeningRun.objects.exists())


class RunApiTests(ScreeningTestCase):
    def test_a_run_is_its_organisations_only(self) -> None:
        self.national_list()
        body = self.api(
            "post", "/screening/screen", self.alice, {"purpose": "VISA", "traveller": YASIN}
        ).json()
        run_id = body["run"]["id"]
        own = self.api("get", f"/screening/runs/{run_id}", self.bob)
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.json()["purpose"], "VISA")
        self.assertEqual([w["name"] for w in own.json()["watchlists"]], ["FRA returning fighters"])
        self.assertEqual(
            self.api("get", f"/screening/runs/{run_id}", self.charlie).status_code, 404
        )
        self.assertEqual(self.api("get", f"/screening/runs/{run_id}", self.olga).status_code, 403)
        self.assertEqual(self.api("get", "/screening/runs", self.alice).json()["count"], 1)
        self.assertEqual(self.api("get", "/screening/runs", self.charlie).json()["count"], 0)
