"""Watchlists: creation, import of the UN list's two real editions and of CSV, refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ctnet.core.models import AuditEvent
from ctnet.screening.demo import UN_EDITIONS, un_edition
from ctnet.screening.engine.unlist import diff_editions, parse_un_list
from ctnet.screening.models import Entry, EntryStatus, Watchlist, WatchlistImport
from ctnet.screening.tests.helpers import NATIONAL_CSV, ScreeningTestCase


def _engine_diff():
    old, new = (parse_un_list(un_edition(name), name) for name in UN_EDITIONS)
    return diff_editions(old, new)


class UnListImportTests(ScreeningTestCase):
    def test_second_edition_adds_changes_and_delists_what_the_engine_diff_says(self) -> None:
        watchlist = self.un_list(editions=UN_EDITIONS)
        first, second = WatchlistImport.objects.filter(watchlist=watchlist).order_by("at", "id")
        diff = _engine_diff()
        self.assertEqual(
            first.added, Entry.objects.filter(watchlist=watchlist).count() - second.added
        )
        self.assertEqual(sorted(second.report["added"]), sorted(e.entry_id for e in diff.added))
        self.assertEqual(
            sorted(second.report["delisted"]), sorted(e.entry_id for e in diff.removed)
        )
        self.assertEqual(set(second.report["changed"]), set(diff.changed))
        self.assertGreater(second.delisted, 0)
        self.assertEqual(second.edition[:10], "2018-10-29")
        # De-listed entries are kept for history, marked, and a changed one has a new version.
        gone = Entry.objects.get(watchlist=watchlist, ref=second.report["delisted"][0])
        self.assertEqual(gone.status, EntryStatus.DELISTED)
        self.assertIsNotNone(gone.delisted_at)
        changed_ref = next(iter(second.report["changed"]))
        self.assertEqual(Entry.objects.get(watchlist=watchlist, ref=changed_ref).version, 2)

    def test_same_edition_again_changes_nothing(self) -> None:
        watchlist = self.un_list()
        again = self.upload(
            f"/screening/watchlists/{watchlist.pk}/import",
            self.sam,
            file=SimpleUploadedFile(UN_EDITIONS[1], un_edition(UN_EDITIONS[1])),
        )
        self.assertEqual(again.status_code, 201, again.content)
        body = again.json()
        self.assertEqual((body["added"], body["changed"], body["delisted"]), (0, 0, 0))
        self.assertEqual(body["unchanged"], Entry.objects.filter(watchlist=watchlist).count())

    def test_delisted_person_is_no_longer_screened(self) -> None:
        watchlist = self.un_list(editions=UN_EDITIONS)
        report = watchlist.imports.order_by("-at", "-id").first().report
        gone = next(
            e
            for e in Entry.objects.filter(ref__in=report["delisted"], entity_type="individual")
            if e.dobs and e.dobs[0]["kind"] == "exact"
        )
        response = self.api(
            "post",
            "/screening/screen",
            self.alice,
            {
                "traveller": {"name": gone.primary_name, "dob": gone.dobs[0]["date"]},
                "purpose": "BORDER",
            },
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["results"], [])


class CsvImportTests(ScreeningTestCase):
    def test_relisting_and_report(self) -> None:
        watchlist = self.national_list()
        without_2 = "\n".join(line for line in NATIONAL_CSV.splitlines() if "FRA-2" not in line)
        from ctnet.screening.services import watchlists

        job = watchlists.import_watchlist(
            acting_user=self.alice, watchlist=watchlist, data=without_2.encode(), file_name="b.csv"
        )
        self.assertEqual(job.report["delisted"], ["FRA-2"])
        job = watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=watchlist,
            data=NATIONAL_CSV.encode(),
            file_name="c.csv",
        )
        self.assertEqual(job.report["relisted"], ["FRA-2"])
        self.assertEqual(Entry.objects.get(ref="FRA-2").status, EntryStatus.ACTIVE)

    def test_a_list_is_parsed_in_memory(self) -> None:
        from unittest import mock

        refused = AssertionError("a watchlist was written to a temporary file")
        with (
            mock.patch("tempfile.NamedTemporaryFile", side_effect=refused),
            mock.patch("tempfile.mkstemp", side_effect=refused),
        ):
            watchlist = self.un_list(editions=UN_EDITIONS[:1])
            self.national_list()
        self.assertGreater(watchlist.entries.count(), 1000)

    def _import(self, watchlist: Watchlist, name: str, data: bytes):
        return self.upload(
            f"/screening/watchlists/{watchlist.pk}/import",
            self.alice,
            file=SimpleUploadedFile(name, data),
        )

    def test_bad_files_name_file_and_line_and_import_nothing(self) -> None:
        watchlist = self.national_list()
        before = (Entry.objects.count(), WatchlistImport.objects.count())
        cases = [
            ("wrong.csv", b"id,name,dob\nX,Y,1990\n", "wrong.csv:1"),
            (
                "date.csv",
                b"id,name,aliases,dob,nationality\nA,Ann Lee,,1990,GBR\nB,Bo Lee,,2019-02-30,\n",
                "date.csv:3",
            ),
            ("nat.csv", b"id,name,aliases,dob,nationality\nA,Ann Lee,,1990,XXX\n", "nat.csv:2"),
            ("cut.xml", un_edition(UN_EDITIONS[1])[:5000], "cut.xml:"),
            ("empty.csv", b"  \n", "empty.csv"),
        ]
        for name, data, where in cases:
            with self.subTest(name):
                response = self._import(watchlist, name, data)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(where, response.json()["detail"])
        self.assertEqual((Entry.objects.count(), WatchlistImport.objects.count()), before)

    def test_import_is_audited_with_counts(self) -> None:
        watchlist = self.national_list()
        event = AuditEvent.objects.filter(action="screening.watchlist.import").last()
        self.assertEqual(event.object_id, str(watchlist.pk))
        self.assertEqual(event.detail["added"], 3)


class WatchlistAccessTests(ScreeningTestCase):
    def test_create_refusals(self) -> None:
        payload = {"name": "L", "legal_basis": "law", "purpose": "border"}
        self.assertEqual(self.api("post", "/screening/watchlists", None, payload).status_code, 401)
        for user in (self.bob, self.cso, self.pat, self.olga):
            with self.subTest(user.username):
                response = self.api("post", "/screening/watchlists", user, payload)
                self.assertEqual(response.status_code, 403)
        missing = self.api(
            "post", "/screening/watchlists", self.alice, {**payload, "legal_basis": " "}
        )
        self.assertEqual(missing.status_code, 400)
        self.assertIn("legal basis", missing.json()["detail"])
        red = self.api("post", "/screening/watchlists", self.alice, {**payload, "tlp": "RED"})
        self.assertEqual(red.status_code, 400)
        created = self.api("post", "/screening/watchlists", self.alice, payload)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["owner"], "FRA")

    def test_amber_list_is_unknown_to_others_and_import_is_the_owners(self) -> None:
        watchlist = self.national_list()
        self.assertEqual(
            self.api("get", f"/screening/watchlists/{watchlist.pk}", self.charlie).status_code, 404
        )
        un = self.un_list()
        response = self.upload(
            f"/screening/watchlists/{un.pk}/import",
            self.alice,
            file=SimpleUploadedFile("x.csv", NATIONAL_CSV.encode()),
        )
        self.assertEqual(response.status_code, 403)

    def test_hidden_entries_stay_with_the_owner(self) -> None:
        watchlist = self.national_list(entries_visible=False, recipients=(self.state_b,))
        path = f"/screening/watchlists/{watchlist.pk}"
        self.assertEqual(self.api("get", path, self.charlie).status_code, 200)
        self.assertEqual(self.api("get", f"{path}/entries", self.charlie).status_code, 404)
        entry = Entry.objects.get(ref="FRA-1")
        self.assertEqual(
            self.api("get", f"/screening/entries/{entry.pk}", self.charlie).status_code, 404
        )
        own = self.api("get", f"/screening/entries/{entry.pk}", self.alice)
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.json()["legal_status"], "suspect")
        self.assertTrue(AuditEvent.objects.filter(action="read", object_id=str(entry.pk)).exists())
        listing = self.api("get", f"{path}/entries?q=yasin", self.alice)
        self.assertEqual([e["ref"] for e in listing.json()["items"]], ["FRA-1"])
        # A page of names is a read of people too: one audit row with the ids shown.
        event = AuditEvent.objects.filter(action="read", actor=self.alice).last()
        self.assertEqual(event.detail["why"], f"entries [{entry.pk}]")
        paged = self.api("get", f"{path}/entries?limit=2&offset=1", self.alice).json()
        self.assertEqual(
            (paged["count"], [e["ref"] for e in paged["items"]]), (3, ["FRA-2", "FRA-3"])
        )
        self.assertEqual(self.api("get", f"{path}/entries?limit=0", self.alice).status_code, 422)


class ImportCommandTests(ScreeningTestCase):
    def test_scheduled_import_prints_the_report_and_refuses_strangers(self) -> None:
        import io
        import tempfile
        from pathlib import Path

        from django.core.management import CommandError, call_command

        watchlist = self.national_list()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fra-v2.csv"
            path.write_text(NATIONAL_CSV.replace("Karim Benali", "Karim Ben Ali"), encoding="utf-8")
            out = io.StringIO()
            call_command("screening_import", watchlist.pk, str(path), "--as", "alice", stdout=out)
            self.assertIn("0 added, 1 changed, 0 de-listed", out.getvalue())
            with self.assertRaises(CommandError):
                call_command("screening_import", watchlist.pk, str(path), "--as", "charlie")
            with self.assertRaises(CommandError):
                call_command("screening_import", watchlist.pk, str(path), "--as", "nobody")
