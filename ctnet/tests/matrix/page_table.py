"""The explicit table for pages with an object id (see entries.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ctnet.tests.matrix import objects as o
from ctnet.tests.matrix.coordination import COORDINATION_PAGES
from ctnet.tests.matrix.entries import (
    FRA_SEES,
    Entry,
    _review_date,
)
from ctnet.tests.matrix.objects import Made


def _csv_upload(made: Made | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("fra.csv", o.NATIONAL_CSV.encode(), "text/csv")}


def _pdf_upload(made: Made | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile(*o.PDF)}


def _tx_export(made: Made | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = f"pdq {'0' * 32}{'f' * 32}\n".encode()
    return {
        "import-file": SimpleUploadedFile("export.txt", line, "text/plain"),
        "import-category": "PROPAGANDA",
        "import-legal_basis": "UNSCR 2396",
    }


# Pages answer a form with errors by showing it again (200) and a done act by a redirect (302):
# both are a success for the actor. A page's refusal is the HTML 403 or 404 page.
SEEN = frozenset({200, 302, 400, 403, 409})  # sees it: acts, a form error, a state, or a role
# Pages that check the form before the role: a wrong role with this body gets the form's 400.
FORM_FIRST = frozenset({400, 403})
PAGE_OK = frozenset({200, 201, 204, 301, 302, 303, 400})  # 400: the form shown with its errors
PAGE_TABLE: dict[str, Entry] = {
    # --- Core: a person's own notices -----------------------------------------------------------
    "notification-read": Entry(o.alice_notification, "alice", outsider="bob"),
    # --- Exchange ----------------------------------------------------------------------------
    "exchange-request": Entry(
        o.exchange_request, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "exchange-request-act": Entry(
        o.exchange_request,
        "charlie",
        also={"alice": FORM_FIRST, "bob": FORM_FIRST},  # the sender's acknowledge: 400
        outsider="sam",
        body={"action": "acknowledge"},
    ),
    "exchange-request-release": Entry(
        o.exchange_request,
        "charlie",
        also={"alice": SEEN, "bob": SEEN},
        outsider="sam",
        body={"new_recipient": "BRA", "reason": "The facilitator was seen in Brazil"},
    ),
    "exchange-request-marking": Entry(
        o.exchange_request,
        "alice",
        forbidden=("charlie",),
        also={"bob": SEEN},
        outsider="sam",
        body={"tlp": "GREEN"},
    ),
    "exchange-request-person": Entry(
        o.exchange_request,
        "alice",
        also={"charlie": FORM_FIRST, "bob": SEEN},
        outsider="sam",
        body=lambda made: {k: v for k, v in o.person_data().items() if not isinstance(v, list)},
    ),
    "exchange-attachment": Entry(
        o.exchange_attachment, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "exchange-release-decide": Entry(
        o.exchange_release,
        "alice",
        forbidden=("bob", "charlie"),
        outsider="sam",
        body={"decision": "approve", "conditions": "No further onward sharing"},
    ),
    "exchange-bulletin": Entry(
        o.exchange_bulletin, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "exchange-bulletin-ack": Entry(
        o.exchange_bulletin, "charlie", also={"alice": SEEN, "bob": SEEN}, outsider="sam"
    ),
    "exchange-bulletin-release": Entry(
        o.exchange_bulletin,
        "charlie",
        also={"alice": SEEN, "bob": SEEN},
        outsider="sam",
        body={"new_recipient": "BRA", "reason": "Seen on the Andean route"},
    ),
    "exchange-person-edit": Entry(
        o.exchange_person,
        "alice",
        forbidden=("charlie",),
        also={"bob": SEEN},
        outsider="sam",
        body=lambda made: {
            "legal_status": "charged",
            "review_date": _review_date(made)["review_date"],
            "retain_until": (timezone.localdate() + timedelta(days=300)).isoformat(),
        },
    ),
    "exchange-trail": Entry(o.exchange_person, "olga", outsider="nobody"),
    # --- Screening ---------------------------------------------------------------------------
    "screening-run": Entry(o.screening_hit, "alice", readers=FRA_SEES),
    "screening-hit": Entry(o.screening_hit, "alice", readers=FRA_SEES),
    "screening-hit-decide": Entry(
        o.screening_hit,
        "alice",
        also={"bob": SEEN},
        body={"outcome": "FALSE_POSITIVE", "reason": "Dates of birth differ by ten years"},
    ),
    "screening-hit-second-review": Entry(
        o.proposed_hit,
        "alice",
        also={"bob": FORM_FIRST},
        body={"approve": "true", "reason": "Checked the passport copy"},
    ),
    "screening-watchlist": Entry(o.watchlist, "alice", readers=FRA_SEES),
    "screening-watchlist-import": Entry(o.watchlist, "alice", forbidden=FRA_SEES, body=_csv_upload),
    "screening-watchlist-active": Entry(
        o.watchlist, "alice", forbidden=FRA_SEES, body={"active": "false"}
    ),
    "screening-watchlist-marking": Entry(
        o.watchlist,
        "alice",
        also={"bob": SEEN},
        body={"tlp": "AMBER+STRICT", "handling": ["H2"]},
    ),
    "screening-review-due": Entry(o.watchlist, "alice", forbidden=FRA_SEES),
    "screening-entry": Entry(o.watchlist, "alice", readers=FRA_SEES),
    "screening-entry-reviewed": Entry(o.watchlist, "alice", forbidden=FRA_SEES, body=_review_date),
    "screening-notice": Entry(o.hit_notice, "alice", readers=FRA_SEES),
    "screening-notice-ack": Entry(o.hit_notice, "alice", also={"bob": SEEN}),
    # --- Hashes ------------------------------------------------------------------------------
    "hashes-bank": Entry(o.hash_bank, "alice", readers=("bob", "pat")),
    "hashes-bank-contribute": Entry(
        o.hash_bank,
        "alice",
        also={"bob": SEEN, "pat": SEEN},
        body={
            "signal_type": "pdq",
            "value": "0" * 16 + "f" * 48,
            "category": "PROPAGANDA",
            "legal_basis": "UNSCR 2396",
        },
    ),
    "hashes-bank-import": Entry(
        # A threatexchange export; after alice it is refused whole: "already in this bank".
        o.hash_bank,
        "alice",
        also={"bob": SEEN, "pat": SEEN},
        body=_tx_export,
    ),
    "hashes-bank-close": Entry(
        o.crisis_bank, "alice", forbidden=("bob", "pat"), body={"end": "REVIEW"}
    ),
    "hashes-bank-marking": Entry(
        o.hash_bank,
        "alice",
        also={"bob": SEEN, "pat": SEEN},
        body={"marking-tlp": "AMBER+STRICT"},
    ),
    "hashes-signal": Entry(o.shared_signal, "alice", readers=("bob", "pat")),
    "hashes-signal-opinion": Entry(
        o.shared_signal,
        "pat",
        also={"alice": SEEN, "bob": SEEN},
        body={"agrees": "false", "reason": "This is news reporting, not propaganda"},
    ),
    "hashes-signal-confirm": Entry(o.pending_signal, "alice", forbidden=("pat",)),
    "hashes-signal-false-positive": Entry(
        o.shared_signal,
        "pat",
        also={"alice": SEEN, "bob": SEEN},
        body={"reason": "Matched a news broadcast of the event"},
    ),
    "hashes-signal-remove": Entry(
        o.shared_signal,
        "alice",
        forbidden=("pat",),
        also={"bob": SEEN},
        body={"reason": "Contributed to the wrong bank"},
    ),
    # --- Practices ---------------------------------------------------------------------------
    "practice": Entry(o.practice_draft, "alice", readers=FRA_SEES),
    "practice-edit": Entry(o.practice_draft, "alice", also={"bob": SEEN}),
    "practice-transition": Entry(
        o.practice_draft, "alice", also={"bob": SEEN}, body={"action": "submit"}
    ),
    "practice-marking": Entry(o.practice_draft, "alice", also={"bob": SEEN}, body={"tlp": "GREEN"}),
    "practice-endorse": Entry(
        o.practice_published,
        "charlie",
        also={"alice": SEEN, "bob": SEEN, "sam": SEEN},
        outsider="cso",
        body={"note": "We run the same programme in Nairobi prisons"},
    ),
    "practice-comment": Entry(
        o.practice_published,
        "charlie",
        also={"alice": SEEN, "bob": SEEN, "sam": SEEN},
        outsider="cso",
        body={"body": "How are the pairs trained?"},
    ),
    "practice-attach": Entry(o.practice_draft, "alice", also={"bob": SEEN}, body=_pdf_upload),
    "practice-attachment": Entry(o.practice_attachment, "alice", readers=FRA_SEES),
    # --- Directory ---------------------------------------------------------------------------
    "directory-contact": Entry(
        o.contact, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "directory-contact-edit": Entry(
        o.contact, "alice", also={"bob": SEEN, "charlie": SEEN, "sam": SEEN}, outsider="cso"
    ),
    "directory-contact-confirm": Entry(
        o.contact, "alice", also={"bob": SEEN, "charlie": SEEN, "sam": SEEN}, outsider="cso"
    ),
    "directory-contact-verify": Entry(
        o.contact,
        "sam",
        forbidden=("alice", "bob", "charlie"),
        outsider="cso",
        body={"verified": "true"},
    ),
    "directory-contact-vcard": Entry(
        o.contact, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "directory-contact-new": Entry(
        # An organisation is no secret: others are refused by role (403), never 404.
        o.own_org,
        "alice",
        also={p: SEEN for p in ("bob", "charlie", "cso", "olga", "sam", "pat")},
        outsider="nobody",
    ),
    "directory-comm-test": Entry(
        o.comm_test,
        "sam",
        also={"alice": SEEN, "bob": SEEN, "charlie": SEEN},
        outsider="nobody",
    ),
    # --- Core --------------------------------------------------------------------------------
    "organisation": Entry(
        o.own_org,
        "alice",
        readers=("bob", "charlie", "cso", "sam", "pat"),
        also={"olga": SEEN},
        outsider="nobody",
    ),
    "invite": Entry(
        o.own_org,
        "alice",
        forbidden=("bob", "charlie", "cso", "olga", "pat"),
        also={"sam": SEEN},
        outsider="nobody",
        body={"email": "another.officer@example.gov", "role": "OFFICER"},
    ),
    "invitation-revoke": Entry(o.invitation, "alice", also={"bob": SEEN, "sam": SEEN}),
    "member-role": Entry(
        o.new_officer,
        "alice",
        forbidden=("bob",),
        also={"sam": SEEN},
        body={"role": "NATIONAL_COORDINATOR"},
    ),
    "member-remove": Entry(o.new_officer, "alice", forbidden=("bob",), also={"sam": SEEN}),
    "token-revoke": Entry(o.alice_token, "alice", outsider="bob"),
    "exchange-person-review": Entry(
        o.exchange_person,
        "alice",
        forbidden=("charlie",),
        also={"bob": SEEN},
        outsider="sam",
        body=_review_date,
    ),
    **COORDINATION_PAGES,
    # --- Monitoring (issue 16): as in the API table -------------------------------------------
    "monitoring-project": Entry(o.monitoring_period, "sam", readers=("charlie",), outsider="alice"),
    "monitoring-project-csv": Entry(
        o.monitoring_period, "sam", readers=("charlie",), outsider="alice"
    ),
    "monitoring-period-report": Entry(
        o.monitoring_period, "sam", readers=("charlie",), outsider="alice", method="GET"
    ),
    "monitoring-period-lock": Entry(
        o.approved_period, "sam", forbidden=("charlie",), outsider="alice"
    ),
    # The form pages of the project and its framework: sam (a head of UNOCT) opens them;
    # charlie sees the project (a partner) but may not change it (403); France sees nothing.
    **{
        name: Entry(o.monitoring_period, "sam", forbidden=("charlie",), outsider="alice")
        for name in (
            "monitoring-project-edit",
            "monitoring-result-new",
            "monitoring-result-edit",
            "monitoring-indicator-new",
            "monitoring-indicator-edit",
            "monitoring-period-new",
            "monitoring-period-edit",
        )
    },
    # Deleting framework rows (a confirmation page, then the POST): sam deletes the rows nobody
    # reported on; charlie may not (403).
    **{
        name: Entry(
            o.monitoring_period, "sam", forbidden=("charlie",), outsider="alice", method="POST"
        )
        for name in (
            "monitoring-result-delete",
            "monitoring-indicator-delete",
            "monitoring-period-delete",
        )
    },
    # The project's money and documents: sam adds; charlie sees the project, may not (403).
    "monitoring-budget-new": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        method="POST",
        body={"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "1000"},
    ),
    "monitoring-disbursement-new": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        method="POST",
        body={"date": "2026-02-01", "value": "5000", "description": "Second tranche"},
    ),
    "monitoring-document-new": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        method="POST",
        body=_pdf_upload,
    ),
    # A project's document: its readers download it (charlie, the partner, too).
    "monitoring-document": Entry(
        o.monitoring_period, "sam", readers=("charlie",), outsider="alice"
    ),
    # The marking, as on the API: a reader (charlie) may raise it too.
    "monitoring-project-marking": Entry(
        o.monitoring_period,
        "sam",
        also={"charlie": SEEN},
        outsider="alice",
        method="POST",
        body={"tlp": "AMBER+STRICT"},
    ),
    # What a project answers (issue 16): readers see the list; sam links and removes.
    "monitoring-project-answers": Entry(
        o.monitoring_answer, "sam", readers=("charlie",), outsider="alice", method="GET"
    ),
    "monitoring-project-answer-remove": Entry(
        o.monitoring_answer, "sam", forbidden=("charlie",), outsider="alice"
    ),
    "monitoring-update": Entry(o.monitoring_update, "sam", readers=("charlie",), outsider="alice"),
    "monitoring-update-submit": Entry(
        o.monitoring_update, "charlie", also={"sam": SEEN}, outsider="alice"
    ),
    "monitoring-update-decide": Entry(
        o.submitted_update,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"decision": "approve", "comment": ""},
    ),
    "monitoring-update-evidence": Entry(
        o.monitoring_update,
        "sam",
        also={"charlie": SEEN},
        outsider="alice",
        body={"url": "https://example.org/report", "title": "Report"},
    ),
}
# On a page, the actor's act may also end in the form shown again with its errors (400).
PAGE_TABLE = {
    key: entry if entry.expect else replace(entry, expect=PAGE_OK)
    for key, entry in PAGE_TABLE.items()
}

# --- Consultations (issue 15) ------------------------------------------------------------------
from ctnet.tests.matrix.consultations import PAGE_ENTRIES as _CONSULTATIONS  # noqa: E402

PAGE_TABLE.update(_CONSULTATIONS)
