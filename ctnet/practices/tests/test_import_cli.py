"""Bulk import (all or nothing, bad lines named) and the ``ctnet practices`` commands."""

from __future__ import annotations

import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from django.core.exceptions import PermissionDenied

from ctnet.cli import main
from ctnet.core.models import AuditEvent
from ctnet.practices import services
from ctnet.practices.importer import ImportFailed, import_practices
from ctnet.practices.models import Practice
from ctnet.practices.tests.helpers import PracticeTestCase


def line(**fields) -> str:
    record = {
        "title": "Contrôle des frontières terrestres",
        "summary": "Postes frontières équipés de systèmes d'information sur les voyageurs.",
        "body": "Connexion des postes aux bases de données d'INTERPOL.",
        "language": "fr",
        "origin": "FRA",
        "themes": ["border-security"],
    }
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


class ImportTests(PracticeTestCase):
    def test_good_file_is_imported_published_and_searchable(self) -> None:
        lines = [line(), "", line(title="Border posts", language="en", origin="unoct")]
        with self.captureOnCommitCallbacks(execute=True):
            created = import_practices(acting_user=self.sam, lines=lines)
        self.assertEqual(len(created), 2)
        self.assertEqual({p.status for p in Practice.objects.all()}, {"published"})
        self.assertEqual(created[1].originator, self.unoct)
        self.assertTrue(AuditEvent.objects.filter(action="practice.import").exists())

    def test_bad_lines_are_named_and_nothing_is_written(self) -> None:
        lines = [
            line(),
            line(title=None),
            line(language="de"),
            "{not json",
            line(origin="ATLANTIS"),
            line(themes=["astrology"]),
            "[1, 2]",
        ]
        with self.assertRaises(ImportFailed) as caught:
            import_practices(acting_user=self.sam, lines=lines)
        numbers = [n for n, _message in caught.exception.errors]
        self.assertEqual(numbers, [2, 3, 4, 5, 6, 7])
        messages = dict(caught.exception.errors)
        self.assertIn("title", messages[2])
        self.assertIn("de", messages[3])
        self.assertIn("ATLANTIS", messages[5])
        self.assertEqual(Practice.objects.count(), 0)

    def test_unknown_recipient_is_named(self) -> None:
        with self.assertRaises(ImportFailed) as caught:
            import_practices(
                acting_user=self.sam, lines=[line(), line(tlp="AMBER", recipients=["NOPE"])]
            )
        self.assertEqual(caught.exception.errors[0][0], 2)
        self.assertIn("NOPE", caught.exception.errors[0][1])

    def test_a_failure_while_writing_rolls_everything_back(self) -> None:
        # The second practice fails after the first was written: the first must be gone too.
        real = services.create_practice
        calls = []

        def failing(**kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(**kwargs)

        with (
            mock.patch.object(services, "create_practice", failing),
            self.assertRaises(RuntimeError),
        ):
            import_practices(acting_user=self.sam, lines=[line(), line(title="Deux")])
        self.assertEqual(len(calls), 2)
        self.assertEqual(Practice.objects.count(), 0)
        self.assertFalse(AuditEvent.objects.filter(action__startswith="practice.").exists())

    def test_only_the_secretariat_imports(self) -> None:
        with self.assertRaises(PermissionDenied):
            import_practices(acting_user=self.alice, lines=[line()])
        self.assertEqual(Practice.objects.count(), 0)


class CliTests(PracticeTestCase):
    def run_cli(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with (
            redirect_stdout(out),
            redirect_stderr(err),
            self.captureOnCommitCallbacks(execute=True),
        ):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()

    def test_import_then_search_json(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "p.jsonl"
            path.write_text(line() + "\n" + line(title="Frontières maritimes") + "\n", "utf-8")
            code, out, _err = self.run_cli("practices", "import", str(path))
        self.assertEqual(code, 0)
        self.assertIn("imported 2", out)
        code, out, _err = self.run_cli(
            "practices", "search", "frontières", "--limit", "10", "--json"
        )
        self.assertEqual(code, 0)
        rows = json.loads(out)
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual(set(row), {"id", "title", "score", "language"})
            self.assertIsInstance(row["id"], int)
            self.assertIsInstance(row["score"], float)
            self.assertEqual(row["language"], "fr")

    def test_bad_file_reports_line_numbers(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "p.jsonl"
            path.write_text(line() + "\n" + line(language="xx") + "\n", "utf-8")
            code, _out, err = self.run_cli("practices", "import", str(path))
        self.assertEqual(code, 1)
        self.assertIn("p.jsonl:2:", err)
        self.assertIn("nothing imported", err)
        self.assertEqual(Practice.objects.count(), 0)

    def test_search_refusals(self) -> None:
        self.assertEqual(self.run_cli("practices", "search", "  ", "--json")[0], 2)
        self.assertEqual(self.run_cli("practices", "search", "x", "--as", "nobody")[0], 2)
        code, out, _err = self.run_cli("practices", "search", "x", "--as", "olga", "--json")
        self.assertEqual((code, json.loads(out)), (0, []))
