"""At close, anonymous inputs no longer lie in the table in the order they arrived (issue 15).

The storage order is read as the database keeps it (SQLite's rowid, PostgreSQL's ctid), which is
what a copy of the database or a backup would show beside the participations' own order.
"""

from __future__ import annotations

import random
import uuid

from django.db import connection
from django.utils import timezone

from ctnet.consultations.models import Answer, Consultation, Report, Submission
from ctnet.consultations.services.configuring import shuffle_anonymous
from ctnet.consultations.tests.test_consultations import ConsultationTestCase

N = 24


def storage_order(table: str) -> list[uuid.UUID]:
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {physical}")  # noqa: S608 - fixed names
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


class ShuffleAtCloseTests(ConsultationTestCase):
    def arrive(self, c: dict) -> list[uuid.UUID]:
        """N anonymous inputs, one answer each, written in arrival order; one reported."""
        consultation = Consultation.objects.get(pk=c["id"])
        question = consultation.questions.get(kind="text")
        arrived = []
        for n in range(N):
            s = Submission.objects.create(
                consultation=consultation,
                mode="anonymous",
                language="fr",
                submitted_on=timezone.localdate(),
                receipt_hash=f"{n:064x}",
            )
            Answer.objects.create(submission=s, question=question, text=f"input {n}")
            arrived.append(s.pk)
        Report.objects.create(
            submission_id=arrived[3],
            reporter=self.cso,
            reason="abusive",
            reported_on=timezone.localdate(),
        )
        self.assertEqual(storage_order("consultations_submission"), arrived)
        return arrived

    def test_closing_rewrites_the_inputs_in_another_order_with_the_same_content(self) -> None:
        c = self.open()
        arrived = self.arrive(c)
        response = self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        self.assertEqual(response.status_code, 200, response.content)
        stored = storage_order("consultations_submission")
        # 1 in 24! that a real shuffle gives back the arrival order.
        self.assertNotEqual(stored, arrived)
        self.assertEqual(sorted(stored), sorted(arrived))
        # Same keys, same answers, same receipts, the report kept.
        for n, pk in enumerate(arrived):
            s = Submission.objects.get(pk=pk)
            self.assertEqual(s.receipt_hash, f"{n:064x}")
            self.assertEqual(s.answers.get().text, f"input {n}")
        self.assertEqual(Report.objects.get().submission_id, arrived[3])
        self.assertEqual(Answer.objects.count(), N)

    def test_the_storage_order_is_the_shuffle_drawn(self) -> None:
        c = self.open()
        arrived = self.arrive(c)
        consultation = Consultation.objects.get(pk=c["id"])
        self.assertEqual(shuffle_anonymous(consultation, random.Random(15)), N)
        expected = sorted(arrived)
        random.Random(15).shuffle(expected)
        self.assertEqual(storage_order("consultations_submission"), expected)

    def test_identified_inputs_are_left_as_they_are(self) -> None:
        c = self.open(mode="identified")
        self.send(c)
        before = storage_order("consultations_submission")
        response = self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(storage_order("consultations_submission"), before)
