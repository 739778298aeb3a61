from __future__ import annotations

import io
from contextlib import redirect_stdout

from django.db import connection

from ctnet.cli import main as ctnet_main
from ctnet.core import audit
from ctnet.core.models import AuditEvent, AuditHead
from ctnet.testing.base import CtnetTestCase


def _raw_update(sql: str, params: list) -> None:
    """Tamper as an attacker with database access would, past the ORM and the PG trigger.

    On PostgreSQL the replica role skips ordinary triggers: what a database superuser can do.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = ctnet_main(["audit", "verify"])
    return code, out.getvalue()


class AuditChainTests(CtnetTestCase):
    def setUp(self) -> None:
        super().setUp()
        for i in range(5):
            audit.record(
                "test.event",
                actor=self.alice,
                object_type="x",
                object_id=i,
                detail={"n": i, "text": "héllo ✓"},
            )

    def test_chain_verifies(self) -> None:
        result = audit.verify_chain()
        self.assertTrue(result.ok, result)
        self.assertEqual(result.checked, AuditEvent.objects.count())
        code, out = _verify()
        self.assertEqual(code, 0)
        self.assertIn("intact", out)

    def test_edited_row_is_caught(self) -> None:
        target = AuditEvent.objects.filter(action="test.event").order_by("id")[2]
        _raw_update(
            "UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["mallory", target.id]
        )
        code, out = _verify()
        self.assertEqual(code, 1)
        self.assertIn(f"event {target.id}", out)

    def test_deleted_row_is_caught(self) -> None:
        target = AuditEvent.objects.filter(action="test.event").order_by("id")[1]
        _raw_update("DELETE FROM core_auditevent WHERE id = %s", [target.id])
        result = audit.verify_chain()
        self.assertFalse(result.ok)
        self.assertEqual(result.reason, "previous-hash link broken")

    def test_truncated_tail_is_caught(self) -> None:
        last = AuditEvent.objects.order_by("-id").first()
        _raw_update("DELETE FROM core_auditevent WHERE id = %s", [last.id])
        result = audit.verify_chain()
        self.assertFalse(result.ok)
        self.assertIn("missing", result.reason)

    def test_orm_refuses_updates_and_deletes(self) -> None:
        event = AuditEvent.objects.first()
        with self.assertRaises(ValueError):
            event.save()
        with self.assertRaises(ValueError):
            event.delete()

    def test_head_counts_every_row(self) -> None:
        self.assertEqual(AuditHead.objects.get().count, AuditEvent.objects.count())

    def test_database_trigger_on_postgresql(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the append-only trigger exists on PostgreSQL only")
        from django.db import DatabaseError, transaction

        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(action="test.event").update(action="edited")
