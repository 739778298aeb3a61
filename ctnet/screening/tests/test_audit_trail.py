"""Screening audit details carry ids, codes and counts only, never content (issue 13, item 2).

The main flows run with distinctive strings in every free-text field (list name, description,
legal basis, purpose, file names, entry and traveller names, documents, reasons); then every
audit row's detail and object id is searched for each of them.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctnet.core.markings import TLP
from ctnet.core.models import AuditEvent
from ctnet.screening.models import Entry, HitNotice, ListSource
from ctnet.screening.reminders import send_review_reminders
from ctnet.screening.services import review, watchlists
from ctnet.screening.tests.helpers import PASSENGERS_HEADER, ScreeningTestCase

CONTENT = {
    "name": "Zebra watchlist QWX",
    "description": "Zebra description of the list QWX",
    "legal_basis": "Zebra legal basis QWX",
    "purpose": "Zebra purpose QWX",
    "file": "zebra-list-qwx.csv",
    "entry_family": "Quixwellian",
    "entry_given": "Zorbatova",
    "alias": "Zorbatowa Kwixwel",
    "entry_ref": "ZQX-REF-77",
    "flight_file": "zebra-flight-qwx.csv",
    "traveller_id": "ZQX-PAX-9",
    "document": "ZQ998877",
    "reason": "Zebra decision reason QWX",
    "second_reason": "Zebra second review reason QWX",
}

LIST_CSV = (
    "id,name,aliases,dob,nationality\n"
    f"{CONTENT['entry_ref']},{CONTENT['entry_given']} {CONTENT['entry_family']},"
    f"{CONTENT['alias']},1971-05-06,IRQ\n"
)
FLIGHT_CSV = PASSENGERS_HEADER + (
    f"{CONTENT['traveller_id']},{CONTENT['entry_given']} {CONTENT['entry_family']},"
    f"1971-05-06,IRQ,{CONTENT['document']}\n"
)


class ScreeningAuditHoldsNoContentTests(ScreeningTestCase):
    def ok(self, response, status: int = 200) -> dict:
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    def _every_flow_audited(self) -> None:
        events = list(AuditEvent.objects.filter(action__startswith="screening."))
        actions = {e.action for e in events}
        for expected in (
            "screening.watchlist.create",
            "screening.watchlist.import",
            "screening.watchlist.marking",
            "screening.run",
            "screening.hit.decide",
            "screening.hit.second_review",
            "screening.notice.acknowledge",
            "screening.entry.review",
            "screening.review_reminders",
            "screening.purge",
        ):
            self.assertIn(expected, actions)

    def _list_made_and_read(self) -> int:
        created = self.ok(
            self.api(
                "post",
                "/screening/watchlists",
                self.alice,
                {
                    "name": CONTENT["name"],
                    "description": CONTENT["description"],
                    "legal_basis": CONTENT["legal_basis"],
                    "purpose": CONTENT["purpose"],
                    "tlp": TLP.AMBER,
                    "recipients": [self.state_b.code],
                    "handling": ["H2", "H3"],
                    "handling_note": "Zebra handling note QWX",
                },
            ),
            201,
        )
        list_id = created["id"]
        self.ok(
            self.upload(
                f"/screening/watchlists/{list_id}/import",
                self.alice,
                file=SimpleUploadedFile(CONTENT["file"], LIST_CSV.encode()),
            ),
            201,
        )
        # Reads that are audited: the list's entries, one entry.
        entries = self.ok(self.api("get", f"/screening/watchlists/{list_id}/entries", self.alice))
        self.ok(self.api("get", f"/screening/entries/{entries['items'][0]['id']}", self.alice))
        return list_id

    def test_no_audit_row_holds_content(self) -> None:
        list_id = self._list_made_and_read()
        # A flight screened, the hit decided with a reason, four eyes, the notice.
        body = self.ok(
            self.upload(
                "/screening/screen/upload",
                self.bob,
                file=SimpleUploadedFile(CONTENT["flight_file"], FLIGHT_CSV.encode()),
                purpose="BORDER",
            )
        )
        hit_id = body["results"][0]["possible_matches"][0]["id"]
        self.ok(self.api("get", "/screening/hits", self.bob))
        self.ok(self.api("get", "/screening/queue", self.bob))
        self.ok(self.api("get", f"/screening/hits/{hit_id}", self.bob))
        self.ok(
            self.api(
                "post",
                f"/screening/hits/{hit_id}/decision",
                self.bob,
                {
                    "outcome": "CONFIRMED",
                    "reason": CONTENT["reason"],
                    "notify_owner": True,
                    "disseminate": True,
                },
            )
        )
        self.ok(
            self.api(
                "post",
                f"/screening/hits/{hit_id}/second-review",
                self.alice,
                {"approve": True, "reason": CONTENT["second_reason"]},
            )
        )
        notice = HitNotice.objects.get()
        self.ok(self.api("get", f"/screening/notices/{notice.pk}", self.alice))
        self.ok(self.api("post", f"/screening/notices/{notice.pk}/acknowledge", self.alice))
        # The marking raised, an entry reviewed, the review reminders, the purge.
        self.ok(
            self.api(
                "post",
                f"/screening/watchlists/{list_id}/marking",
                self.alice,
                {"tlp": TLP.RED, "handling": ["H1", "H2", "H3"], "handling_note": "Zebra QWX"},
            )
        )
        entry = Entry.objects.get(ref=CONTENT["entry_ref"])
        self.ok(self.api("post", f"/screening/entries/{entry.pk}/review", self.alice, {}))
        Entry.objects.update(review_date=timezone.localdate() - timedelta(days=1))
        send_review_reminders.call()
        later = timezone.now() + timedelta(days=3651)
        self.assertTrue(review.purge_expired(later)["hits"])
        # A list made in a service, then suspended and resumed.
        other = watchlists.create_watchlist(
            acting_user=self.alice,
            name=CONTENT["name"] + " 2",
            source=ListSource.NATIONAL,
            legal_basis=CONTENT["legal_basis"],
            purpose=CONTENT["purpose"],
            tlp=TLP.GREEN,
        )
        watchlists.set_watchlist_active(acting_user=self.alice, watchlist=other, active=False)

        self._every_flow_audited()
        rows = [
            f"{json.dumps(e.detail, ensure_ascii=False)} {e.object_id}"
            for e in AuditEvent.objects.all()
        ]
        for label, value in {**CONTENT, "note": "Zebra"}.items():
            for row in rows:
                self.assertNotIn(value.lower(), row.lower(), f"{label} in an audit row: {row}")
