"""Audit details of exchange carry ids, codes and counts only, never content (issue 13, item 2).

The test runs every exchange flow with distinctive strings in every free-text field, then
searches every audit row (detail and object id) for each of them.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.exchange.attachments import NewFile
from ctnet.exchange.models import Delivery, PersonRecord
from ctnet.exchange.services import bulletins, lifecycle, people, releases, sending
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data, request_data

CONTENT = {
    "subject": "Zebra subject QWX",
    "body": "Zebra body of the request QWX",
    "source": "Zebra informant KESTREL QWX",
    "note": "Zebra handling note QWX",
    "family": "Zebrafamily",
    "given": "Zebragiven",
    "document": "ZB998877",
    "reply": "Zebra reply text QWX",
    "refusal": "Zebra refusal reason QWX",
    "release_reason": "Zebra release reason QWX",
    "conditions": "Zebra release conditions QWX",
    "release_refusal": "Zebra release refusal QWX",
    "withdrawal": "Zebra withdrawal reason QWX",
    "group": "Zebra sharing group QWX",
    "title": "Zebra bulletin title QWX",
    "bulletin_body": "Zebra bulletin body QWX",
    "indicator": "zebra-indicator.example",
    "filename": "zebra-file-qwx.txt",
    "legal_basis": "Zebra legal basis QWX",
    "purpose": "Zebra purpose QWX",
}


class AuditHoldsNoContentTests(ExchangeTestCase):
    def _person(self, **over):
        return person_data(
            family_name=CONTENT["family"],
            given_names=CONTENT["given"],
            documents=[{"type": "passport", "number": CONTENT["document"], "country": "FRA"}],
            legal_basis=CONTENT["legal_basis"],
            purpose=CONTENT["purpose"],
            **over,
        )

    def ok(self, *args) -> None:
        response = self.api(*args)
        self.assertEqual(response.status_code, 200, response.content)

    def _request_flows(self) -> None:
        data = request_data(
            subject=CONTENT["subject"],
            body=CONTENT["body"],
            source_details=CONTENT["source"],
            handling=["H2", "H3"],
            handling_note=CONTENT["note"],
            legal_basis=CONTENT["legal_basis"],
            purpose=CONTENT["purpose"],
        )
        r = sending.send_request(
            acting_user=self.alice,
            recipients=[self.state_b, self.unoct],
            data=data,
            people=[self._person()],
            files=[NewFile(CONTENT["filename"], "text/plain", b"zebra bytes")],
        )
        ken = r.deliveries.get(organisation=self.state_b)
        lifecycle.open_request(acting_user=self.charlie, request_id=r.pk)
        lifecycle.acknowledge(acting_user=self.charlie, delivery=ken)
        lifecycle.reply(acting_user=self.charlie, delivery=ken, body=CONTENT["reply"], kind="part")
        lifecycle.refuse(
            acting_user=self.sam,
            delivery=r.deliveries.get(organisation=self.unoct),
            reason=CONTENT["refusal"],
        )
        self.ok("GET", f"/exchange/requests/{r.pk}", self.charlie)
        self.ok(
            "POST",
            f"/exchange/requests/{r.pk}/marking",
            self.charlie,
            {"tlp": "RED", "handling": ["H1", "H2", "H3"]},
        )
        onward = releases.file_release(
            acting_user=self.charlie,
            material=r,
            new_recipient=self.state_c,
            reason=CONTENT["release_reason"],
        )
        releases.approve_release(
            acting_user=self.alice, release=onward, conditions=CONTENT["conditions"]
        )
        record = r.people.get()
        people.correct_person(
            acting_user=self.alice, record=record, changes={"family_name": CONTENT["family"] + "x"}
        )
        self.ok("GET", f"/exchange/people/{record.pk}/trail", self.olga)
        self.ok("GET", f"/exchange/people?name={CONTENT['family']}", self.olga)
        people.withdraw_person(acting_user=self.alice, record=record, reason=CONTENT["withdrawal"])
        Delivery.objects.update(deadline=timezone.now() - timedelta(hours=1))
        lifecycle.flag_overdue()

    def _bulletin_flows(self) -> None:
        group = bulletins.create_sharing_group(
            acting_user=self.alice, name=CONTENT["group"], members=[self.state_b]
        )
        b = bulletins.publish_bulletin(
            acting_user=self.alice,
            data={
                "title": CONTENT["title"],
                "body": CONTENT["bulletin_body"],
                "category": "cyber",
                "audience": "group",
                "tlp": "AMBER",
                "handling": ["H1", "H2"],
                "source_details": CONTENT["source"],
            },
            group=group,
            indicators=[{"kind": "domain", "value": CONTENT["indicator"]}],
            people=[
                self._person(
                    review_date=(timezone.localdate() + timedelta(days=1)).isoformat(),
                    retain_until=(timezone.localdate() + timedelta(days=1)).isoformat(),
                )
            ],
        )
        bulletins.acknowledge_bulletin(acting_user=self.charlie, bulletin=b)
        export = releases.file_release(
            acting_user=self.charlie,
            material=b,
            new_recipient=None,
            reason=CONTENT["release_reason"],
            kind="export",
        )
        releases.approve_release(
            acting_user=self.alice, release=export, conditions=CONTENT["conditions"]
        )
        self.ok("GET", f"/exchange/bulletins/{b.pk}/stix", self.charlie)
        onward = releases.file_release(
            acting_user=self.charlie,
            material=b,
            new_recipient=self.state_c,
            reason=CONTENT["release_reason"],
        )
        releases.refuse_release(
            acting_user=self.alice, release=onward, reason=CONTENT["release_refusal"]
        )
        self.ok("GET", f"/exchange/bulletins/{b.pk}", self.charlie)
        people.purge_expired(today=timezone.localdate() + timedelta(days=2))

    def test_no_audit_row_holds_content(self) -> None:
        self._request_flows()
        self._bulletin_flows()
        self.assertFalse(PersonRecord.objects.filter(bulletin__isnull=False).exists())
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        for expected in (
            "exchange.request.send",
            "exchange.request.delivered",
            "exchange.request.reply",
            "exchange.request.refuse",
            "exchange.request.overdue",
            "exchange.marking",
            "exchange.release.file",
            "exchange.release.approve",
            "exchange.release.refuse",
            "exchange.request.release_copy",
            "exchange.person.create",
            "exchange.person.copy",
            "exchange.person.correct",
            "exchange.person.withdraw",
            "exchange.person.purge",
            "exchange.person.trail",
            "exchange.attachment.add",
            "exchange.group.create",
            "exchange.bulletin.publish",
            "exchange.bulletin.acknowledge",
            "exchange.bulletin.export",
            "read",
        ):
            self.assertIn(expected, actions)
        emails = [u.email for u in (self.alice, self.bob, self.charlie, self.sam, self.olga)]
        for event in AuditEvent.objects.all():
            text = json.dumps(event.detail, ensure_ascii=False) + " " + event.object_id
            for needle in [*CONTENT.values(), *emails]:
                self.assertNotIn(needle, text, f"{event.action}: {event.detail}")
            # The name search's audit names the records found, not the name searched.
            self.assertNotIn("Zebra", text, event.action)
