"""An anonymous submission leaves nothing that links it to its sender (issue 15, done when).

The whole database is dumped after a signed-in member submits anonymously through the page, with
an address and a user agent on the request, and every captured log line is kept: no row that
holds the submission or its answers names the person, their organisation, address or device; no
audit row written by the submission has an actor, address, user agent or request id; the
person's session holds nothing of it.
"""

from __future__ import annotations

import json
import logging

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import serializers

from ctnet.consultations.apps import DropClientAddress
from ctnet.consultations.models import Answer, Participation, Submission
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import AuditEvent, Membership, Organisation, User

IP = "203.0.113.77"
AGENT = "TestPhone/1.0 (unique-device-7731)"


class AnonymousSubmissionDumpTests(ConsultationTestCase):
    def submit_through_the_page(self) -> tuple[dict, int]:
        c = self.open()
        self.login(self.cso)
        before = AuditEvent.objects.count()
        q = {x["kind"]: x["id"] for x in c["questions"]}
        form = {
            "language": "ar",
            f"q{q['text']}": "يجب إشراك الشباب في تصميم البرامج",
            f"q{q['single']}": "Yes",
            f"q{q['statement']}": "disagree",
        }
        with self.assertLogs(level="DEBUG") as logs:
            logging.getLogger("ctnet").debug("capture starts")
            response = self.client.post(
                f"/consultations/{c['id']}/submit/",
                form,
                REMOTE_ADDR=IP,
                HTTP_USER_AGENT=AGENT,
            )
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertContains(response, "receipt")
        self.log_lines = logs.output
        return c, before

    def test_nothing_links_the_submission_to_the_person(self) -> None:
        _, before = self.submit_through_the_page()
        submission = Submission.objects.get()
        sid = str(submission.pk)
        answer_ids = {str(a) for a in Answer.objects.values_list("pk", flat=True)}
        person = {
            "username": self.cso.username,
            "email": self.cso.email,
            "organisation code": self.cso_org.code,
            "address": IP,
            "user agent": AGENT,
        }
        dump = []
        for model in apps.get_models():
            for obj in model._default_manager.all():
                text = serializers.serialize("json", [obj])
                dump.append((model._meta.label, obj, text))
        holding = [(label, obj, text) for label, obj, text in dump if sid in text]
        # The submission row and its answers hold it, nothing else (no join table, no log row).
        self.assertEqual(
            {label for label, _, _ in holding}, {"consultations.Submission", "consultations.Answer"}
        )
        for label, obj, text in holding:
            fields = json.loads(text)[0]["fields"]
            for field in obj._meta.concrete_fields:
                if field.is_relation and field.related_model in (User, Organisation, Membership):
                    self.assertIsNone(getattr(obj, field.attname), f"{label}.{field.name}")
            for name, value in person.items():
                self.assertNotIn(value.strip('"'), json.dumps(fields), f"{label} holds the {name}")
            if label == "consultations.Submission":
                self.assertIsNone(fields["author"])
                self.assertIsNone(fields["organisation"])
                self.assertEqual(len(fields["submitted_on"]), 10)  # a day, no time
        for _, _, text in dump:
            for answer_id in answer_ids:
                if answer_id in text:
                    self.assertNotIn(self.cso.username, text)
        # The participation row names the person and nothing of what they said.
        participation = json.loads(serializers.serialize("json", Participation.objects.all()))
        self.assertEqual(len(participation), 1)
        self.assertEqual(set(participation[0]["fields"]), {"consultation", "user"})

        events = AuditEvent.objects.order_by("id")[before:]
        self.assertEqual([e.action for e in events], ["consultations.anonymous_submission"])
        event = events[0]
        self.assertIsNone(event.actor_id)
        self.assertIsNone(event.organisation_id)
        self.assertIsNone(event.ip)
        self.assertEqual(
            (event.user_agent, event.request_id, event.actor_label), ("", "", "system")
        )
        self.assertEqual(event.detail, {"count": 1})
        self.assertNotIn(sid, json.dumps(event.detail))

        for session in Session.objects.all():
            decoded = json.dumps(session.get_decoded())
            self.assertNotIn(sid, decoded)
            self.assertNotIn("consultation", decoded)

        for line in self.log_lines:
            for value in (IP, AGENT, sid, self.cso.username):
                self.assertNotIn(value, line)

    def test_the_web_servers_access_line_loses_the_address(self) -> None:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            "",
            0,
            '%s - "%s %s HTTP/%s" %d',
            (f"{IP}:5123", "POST", "/consultations/4/submit/", "1.1", 200),
            None,
        )
        DropClientAddress().filter(record)
        self.assertNotIn(IP, record.getMessage())
        other = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            "",
            0,
            '%s - "%s %s HTTP/%s" %d',
            (f"{IP}:5123", "GET", "/exchange/", "1.1", 200),
            None,
        )
        DropClientAddress().filter(other)
        self.assertIn(IP, other.getMessage())

    def test_receipt_opens_the_submission_without_an_account(self) -> None:
        c = self.open()
        receipt = self.send(c).json()["receipt"]
        response = self.client.post("/consultations/receipt/", {"code": receipt.lower()})
        self.assertContains(response, "Fund youth centres")
        self.assertEqual(
            self.client.post("/consultations/receipt/", {"code": "AAAAA-BBBBB"}).status_code, 404
        )
        self.assertEqual(self.client.get("/consultations/receipt/").status_code, 200)
