"""Issue 13, item 1: cutting the end of the audit log is caught, through the function and the
command, whatever is done to the head; checkpoints outside the database name what is missing."""

from __future__ import annotations

import io
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from django.test import override_settings

from ctnet.cli import main as ctnet_main
from ctnet.core import audit
from ctnet.core.models import AuditEvent, AuditHead
from ctnet.core.tests.test_audit import _raw_update
from ctnet.testing.base import CtnetTestCase


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = ctnet_main(list(argv))
    return code, out.getvalue()


class TruncationTests(CtnetTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.file = Path(self.tmp.name) / "checkpoints.jsonl"
        overrides = override_settings(AUDIT_CHECKPOINT_FILE=self.file)
        overrides.enable()
        self.addCleanup(overrides.disable)
        for i in range(6):
            audit.record("test.event", actor=self.alice, object_type="x", object_id=i)

    def _cut_tail(self, rows: int) -> AuditEvent:
        """Delete the last ``rows`` events; return the event that is now last."""
        ids = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:rows])
        _raw_update(
            f"DELETE FROM core_auditevent WHERE id IN ({','.join(['%s'] * len(ids))})",  # noqa: S608
            ids,
        )
        return AuditEvent.objects.order_by("-id")[0]

    def _assert_broken(self, fragment: str, *argv: str) -> None:
        result = audit.verify_with_checkpoints(self.file)
        self.assertFalse(result.ok, result)
        self.assertIn(fragment, " | ".join(result.problems))
        code, out = _run("audit", "verify", *argv)
        self.assertEqual(code, 1, out)
        self.assertIn("AUDIT CHAIN BROKEN", out)
        self.assertIn(fragment, out)

    def test_intact_chain_with_checkpoints(self) -> None:
        code, out = _run("audit", "checkpoint")
        self.assertEqual(code, 0, out)
        self.assertEqual(self.file.read_text().strip(), out.strip())
        audit.record("test.event", actor=self.alice)
        code, out = _run("audit", "verify")
        self.assertEqual(code, 0, out)
        self.assertIn("intact", out)
        self.assertIn("1 checkpoints", out)

    def test_tail_cut_and_head_rewritten_without_the_key(self) -> None:
        last = self._cut_tail(2)
        count = AuditEvent.objects.count()
        _raw_update(
            "UPDATE core_audithead SET count = %s, last_hash = %s WHERE id = 1",
            [count, last.row_hash],
        )
        self._assert_broken("not signed with the audit key")

    def test_rewritten_head_is_not_laundered_by_the_next_append(self) -> None:
        last = self._cut_tail(2)
        _raw_update(
            "UPDATE core_audithead SET count = %s, last_hash = %s WHERE id = 1",
            [AuditEvent.objects.count(), last.row_hash],
        )
        audit.record("test.after", actor=self.alice)
        self._assert_broken("not signed with the audit key")

    def test_tail_cut_and_head_deleted(self) -> None:
        self._cut_tail(2)
        _raw_update("DELETE FROM core_audithead", [])
        self._assert_broken("audit head is missing")

    def test_every_row_and_the_head_deleted(self) -> None:
        _raw_update("DELETE FROM core_auditevent", [])
        _raw_update("DELETE FROM core_audithead", [])
        self._assert_broken("the log was emptied")

    def test_tail_cut_with_an_old_signed_head_put_back(self) -> None:
        """A head saved from a backup is validly signed; only a checkpoint outside catches it."""
        old = AuditHead.objects.get()
        old_values = [old.count, old.last_hash, old.mac]
        audit.record("test.event", actor=self.alice)
        audit.record("test.event", actor=self.alice)
        self.assertEqual(_run("audit", "checkpoint")[0], 0)
        total = AuditEvent.objects.count()
        self._cut_tail(2)
        _raw_update(
            "UPDATE core_audithead SET count = %s, last_hash = %s, mac = %s WHERE id = 1",
            old_values,
        )
        self.assertTrue(audit.verify_chain().ok)  # the head alone cannot tell
        self._assert_broken(f"rows {total - 1}-{total} missing after checkpoint at {total}")

    def test_checkpoint_named_on_the_command_line(self) -> None:
        other = Path(self.tmp.name) / "elsewhere.jsonl"
        code, out = _run("audit", "checkpoint", "--print-only")
        self.assertEqual(code, 0)
        self.assertFalse(self.file.exists())
        other.write_text(out)
        total = AuditEvent.objects.count()
        self._cut_tail(1)
        code, out = _run("audit", "verify", "--checkpoint", str(other))
        self.assertEqual(code, 1)
        self.assertIn(f"row {total} missing after checkpoint at {total}", out)
        self.assertEqual(_run("audit", "verify", "--checkpoint", str(other) + ".none")[0], 2)

    def test_forged_checkpoint_line_is_reported(self) -> None:
        _run("audit", "checkpoint")
        line = self.file.read_text().strip().replace('"count":', '"count":1', 1)
        self.file.write_text(line + "\n")
        self._assert_broken("is not signed with the audit key")

    def test_rewritten_chain_differs_from_checkpoint(self) -> None:
        _run("audit", "checkpoint")
        point = audit.read_checkpoints(self.file)[0][0]
        other = audit.Checkpoint.signed(point.count, "f" * 64, point.at)
        self.file.write_text(other.line() + "\n")
        self._assert_broken(f"row {point.count} is not the one of the checkpoint")

    def test_no_checkpoint_of_a_broken_chain(self) -> None:
        _raw_update("DELETE FROM core_audithead", [])
        code, out = _run("audit", "checkpoint")
        self.assertEqual(code, 1)
        self.assertIn("audit head is missing", out)
        self.assertFalse(self.file.exists())
