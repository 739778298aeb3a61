"""The explicit table for API operations with an object id (see entries.py)."""

from __future__ import annotations

from ctnet.tests.matrix import objects as o
from ctnet.tests.matrix.coordination import COORDINATION_API
from ctnet.tests.matrix.entries import (
    FRA_SEES,
    REASON,
    Entry,
    S,
    _delivery,
    _reply_body,
    _review_date,
    _version,
)

API_TABLE: dict[str, Entry] = {
    # --- Exchange: requests (issue 13 named reply, refuse and attachments) --------------------
    # France's officer (bob) takes part in exchanges like its coordinator (EXCHANGE_ROLES); a
    # write is done by the actor first, then bob's answer shows he passed the checks.
    "GET /exchange/requests/{request_id}": Entry(
        o.exchange_request, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "POST /exchange/requests/{request_id}/receipt": Entry(
        o.exchange_request, "charlie", forbidden=("alice", "bob"), outsider="sam"
    ),
    "POST /exchange/requests/{request_id}/replies": Entry(
        # The sender's side must name the delivery it writes to (400 without).
        o.exchange_request,
        "charlie",
        also={"alice": S(400), "bob": S(400)},
        outsider="sam",
        body=_reply_body,
    ),
    "POST /exchange/requests/{request_id}/acknowledge": Entry(
        o.exchange_request, "charlie", forbidden=("alice", "bob"), outsider="sam"
    ),
    "POST /exchange/requests/{request_id}/refuse": Entry(
        o.exchange_request, "charlie", forbidden=("alice", "bob"), outsider="sam", body=REASON
    ),
    "POST /exchange/requests/{request_id}/close": Entry(
        o.exchange_request,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(200, 400)},
        outsider="sam",
        body=_delivery,
    ),
    "POST /exchange/requests/{request_id}/marking": Entry(
        # Lowering is the originator's alone: the recipient may not.
        o.exchange_request,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(200)},
        outsider="sam",
        body={"tlp": "GREEN", "handling": []},
    ),
    "POST /exchange/requests/{request_id}/attachments": Entry(
        o.exchange_request,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(201)},
        outsider="sam",
        files={"file": o.PDF},
    ),
    "GET /exchange/requests/{request_id}/attachments/{attachment_id}": Entry(
        o.exchange_attachment, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "POST /exchange/requests/{request_id}/people": Entry(
        o.exchange_request,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(201)},
        outsider="sam",
        body=lambda made: o.person_data(),
    ),
    # --- Exchange: person records, releases, bulletins ---------------------------------------
    "GET /exchange/people/{record_id}": Entry(
        o.exchange_person, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "PATCH /exchange/people/{record_id}": Entry(
        o.exchange_person,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(200)},
        outsider="sam",
        body={"legal_status": "charged"},
    ),
    "DELETE /exchange/people/{record_id}": Entry(
        o.exchange_person,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(204, 400, 404)},
        outsider="sam",
        query={"reason": "Identity mistaken, record withdrawn"},
    ),
    "GET /exchange/people/{record_id}/trail": Entry(
        # The redress trail is oversight's: everyone else is refused by role, whatever the id.
        o.exchange_person,
        "olga",
        outsider="nobody",
    ),
    "POST /exchange/releases/{release_id}/approve": Entry(
        # Approving commits the originator: its head, not an officer (EXCHANGE_RELEASE_ROLES).
        o.exchange_release,
        "alice",
        forbidden=("bob", "charlie"),
        outsider="sam",
        body={"conditions": "No further onward sharing"},
    ),
    "POST /exchange/releases/{release_id}/refuse": Entry(
        o.exchange_release, "alice", forbidden=("bob", "charlie"), outsider="sam", body=REASON
    ),
    "GET /exchange/bulletins/{bulletin_id}": Entry(
        o.exchange_bulletin, "alice", readers=("bob", "charlie"), outsider="sam"
    ),
    "POST /exchange/bulletins/{bulletin_id}/acknowledge": Entry(
        o.exchange_bulletin,
        "charlie",
        also={"alice": S(200, 400, 403), "bob": S(200, 400, 403)},
        outsider="sam",
    ),
    "GET /exchange/bulletins/{bulletin_id}/stix": Entry(
        # AMBER content leaves the platform only by its originator (or an export release).
        o.exchange_bulletin,
        "alice",
        readers=("bob",),
        forbidden=("charlie",),
        outsider="sam",
    ),
    # --- Screening -------------------------------------------------------------------------------
    "GET /screening/watchlists/{watchlist_id}": Entry(o.watchlist, "alice", readers=FRA_SEES),
    "POST /screening/watchlists/{watchlist_id}/import": Entry(
        o.watchlist,
        "alice",
        forbidden=FRA_SEES,
        files={"file": ("fra.csv", o.NATIONAL_CSV.encode(), "text/csv")},
    ),
    "POST /screening/watchlists/{watchlist_id}/marking": Entry(
        # bob screens against France's list, so he may raise its marking (not lower it).
        o.watchlist,
        "alice",
        also={"bob": S(200, 403)},
        body={"tlp": "AMBER+STRICT", "handling": ["H2"]},
    ),
    "GET /screening/watchlists/{watchlist_id}/imports": Entry(
        o.watchlist, "alice", also={"bob": S(200, 403)}
    ),
    "GET /screening/watchlists/{watchlist_id}/entries": Entry(
        o.watchlist, "alice", readers=FRA_SEES
    ),
    "GET /screening/watchlists/{watchlist_id}/entries/due": Entry(
        o.watchlist, "alice", forbidden=FRA_SEES
    ),
    "GET /screening/entries/{entry_id}": Entry(o.watchlist, "alice", readers=FRA_SEES),
    "POST /screening/entries/{entry_id}/review": Entry(
        o.watchlist, "alice", forbidden=FRA_SEES, body=_review_date
    ),
    "GET /screening/runs/{run_id}": Entry(o.screening_hit, "alice", readers=FRA_SEES),
    "GET /screening/hits/{hit_id}": Entry(o.screening_hit, "alice", readers=FRA_SEES),
    "POST /screening/hits/{hit_id}/decision": Entry(
        o.screening_hit,
        "alice",
        also={"bob": S(200, 409)},
        body={"outcome": "FALSE_POSITIVE", "reason": "Dates of birth differ by ten years"},
    ),
    "POST /screening/hits/{hit_id}/second-review": Entry(
        o.proposed_hit,
        "alice",
        forbidden=FRA_SEES,
        body={"approve": True, "reason": "Checked the passport copy"},
    ),
    "GET /screening/notices/{notice_id}": Entry(o.hit_notice, "alice", readers=FRA_SEES),
    "POST /screening/notices/{notice_id}/acknowledge": Entry(
        o.hit_notice, "alice", also={"bob": S(200, 403, 409)}
    ),
    # --- Hashes (issue 13 named signal removal) --------------------------------------------------
    "GET /hashes/banks/{bank_id}": Entry(o.hash_bank, "alice", readers=("bob", "pat")),
    "POST /hashes/banks/{bank_id}/close": Entry(
        o.crisis_bank, "alice", forbidden=("bob", "pat"), body={"end": "REVIEW"}
    ),
    "GET /hashes/banks/{bank_id}/signals": Entry(o.shared_signal, "alice", readers=("bob", "pat")),
    "POST /hashes/banks/{bank_id}/signals": Entry(
        o.hash_bank,
        "alice",
        also={"bob": S(201, 400), "pat": S(201, 400)},  # after alice: "already in this bank"
        body={
            "signal_type": "pdq",
            "value": "0" * 16 + "f" * 48,
            "category": "PROPAGANDA",
            "legal_basis": "UNSCR 2396",
        },
        expect=S(201, 409),
    ),
    "POST /hashes/banks/{bank_id}/import": Entry(
        # A threatexchange export; after alice it is refused whole: "already in this bank".
        o.hash_bank,
        "alice",
        also={"bob": S(201, 400), "pat": S(201, 400)},
        body={"category": "PROPAGANDA", "legal_basis": "UNSCR 2396"},
        files={"file": ("export.txt", f"pdq {'0' * 32}{'f' * 32}\n".encode(), "text/plain")},
        expect=S(201),
    ),
    "GET /hashes/signals/{signal_id}": Entry(o.shared_signal, "alice", readers=("bob", "pat")),
    "POST /hashes/signals/{signal_id}/confirm": Entry(
        # Pending: only its contributor (pat) and the bank owner's head (alice) see it.
        o.pending_signal,
        "alice",
        forbidden=("pat",),
    ),
    "POST /hashes/signals/{signal_id}/opinions": Entry(
        o.shared_signal,
        "pat",
        also={"alice": S(201, 200, 403, 409), "bob": S(201, 200, 409)},
        body={"agrees": False, "reason": "This is news reporting, not propaganda"},
    ),
    "POST /hashes/signals/{signal_id}/false-positive": Entry(
        o.shared_signal,
        "pat",
        also={"alice": S(200, 400, 403, 409), "bob": S(200, 400, 403, 409)},
        body={"reason": "Matched a news broadcast of the event"},
    ),
    "POST /hashes/signals/{signal_id}/remove": Entry(
        o.shared_signal,
        "alice",
        forbidden=("pat",),
        # The contributor's people (bob too) or the bank's heads; bob answers after alice did.
        also={"bob": S(200, 400)},
        body={"reason": "Contributed to the wrong bank"},
    ),
    # --- Practices -------------------------------------------------------------------------------
    "GET /practices/{practice_id}": Entry(o.practice_draft, "alice", readers=FRA_SEES),
    "PUT /practices/{practice_id}": Entry(
        o.practice_draft,
        "alice",
        also={"bob": S(200, 403)},
        body=lambda made: o.practice_payload(title="Programme révisé"),
    ),
    "POST /practices/{practice_id}/transitions": Entry(
        o.practice_draft, "alice", also={"bob": S(200, 403, 409)}, body={"action": "submit"}
    ),
    "POST /practices/{practice_id}/marking": Entry(
        o.practice_draft, "alice", also={"bob": S(200, 403)}, body={"tlp": "GREEN", "handling": []}
    ),
    "GET /practices/{practice_id}/versions": Entry(o.practice_draft, "alice", readers=FRA_SEES),
    "GET /practices/{practice_id}/similar": Entry(o.practice_draft, "alice", readers=FRA_SEES),
    "GET /practices/{practice_id}/endorsements": Entry(
        o.practice_published, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "POST /practices/{practice_id}/endorsements": Entry(
        o.practice_published,
        "charlie",
        also={"alice": S(403, 409), "bob": S(201, 403, 409), "sam": S(201, 403, 409)},
        outsider="cso",
        body={"note": "We run the same programme in Nairobi prisons"},
    ),
    "GET /practices/{practice_id}/comments": Entry(
        o.practice_published, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "POST /practices/{practice_id}/comments": Entry(
        o.practice_published,
        "charlie",
        also={"alice": S(201), "bob": S(201), "sam": S(201)},
        outsider="cso",
        body={"body": "How are the pairs trained?"},
    ),
    "POST /practices/{practice_id}/attachments": Entry(
        o.practice_draft, "alice", also={"bob": S(201, 403)}, files={"file": o.PDF}
    ),
    "GET /practices/{practice_id}/attachments/{attachment_id}": Entry(
        o.practice_attachment, "alice", readers=FRA_SEES
    ),
    # --- Directory -------------------------------------------------------------------------------
    "GET /directory/contacts/{contact_id}": Entry(
        o.contact, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "PATCH /directory/contacts/{contact_id}": Entry(
        o.contact,
        "alice",
        forbidden=("bob", "charlie"),
        also={"sam": S(200, 403, 409)},
        outsider="cso",
        body=lambda made: {**_version(made), "phone": "+33 1 00 00 00 00"},
    ),
    "DELETE /directory/contacts/{contact_id}": Entry(
        o.contact,
        "alice",
        forbidden=("bob", "charlie"),
        also={"sam": S(204, 403, 404, 409)},
        outsider="cso",
        query=_version,
    ),
    "POST /directory/contacts/{contact_id}/confirm": Entry(
        o.contact,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(200, 403), "sam": S(200, 403)},
        outsider="cso",
    ),
    "POST /directory/contacts/{contact_id}/verify": Entry(
        o.contact,
        "sam",
        forbidden=("alice", "bob", "charlie"),
        outsider="cso",
        body={"verified": True},
    ),
    "GET /directory/contacts/{contact_id}/history": Entry(
        o.contact,
        "alice",
        also={"bob": S(200, 403), "charlie": S(200, 403), "sam": S(200)},
        outsider="cso",
    ),
    "GET /directory/contacts/{contact_id}/vcard": Entry(
        o.contact, "alice", readers=("bob", "charlie", "sam"), outsider="cso"
    ),
    "GET /directory/communication-tests/{test_id}": Entry(
        o.comm_test,
        "sam",
        also={"alice": S(200, 403), "bob": S(200, 403), "charlie": S(200, 403)},
        outsider="nobody",  # the secretariat's: no organisation is an outsider to it
    ),
    # --- Core ------------------------------------------------------------------------------------
    "GET /organisations/{org_id}": Entry(
        # Every member reads the list of organisations; nothing to hide.
        o.own_org,
        "alice",
        readers=("bob", "charlie", "cso", "sam", "pat"),
        also={"olga": S(200, 403)},
        outsider="none",
    ),
    "GET /organisations/{org_id}/members": Entry(
        o.own_org, "alice", readers=("bob", "sam"), also={"charlie": S(403, 404)}
    ),
    "POST /organisations/{org_id}/invitations": Entry(
        o.own_org,
        "alice",
        forbidden=("bob", "charlie", "cso", "olga", "pat"),
        also={"sam": S(201)},
        outsider="none",
        body={"email": "another.officer@example.gov", "role": "OFFICER"},
    ),
    "DELETE /invitations/{invitation_id}": Entry(
        o.invitation, "alice", also={"bob": S(403, 404), "sam": S(204, 403)}
    ),
    "PATCH /memberships/{membership_id}": Entry(
        o.new_officer,
        "alice",
        forbidden=("bob",),
        also={"sam": S(200, 403)},
        body={"role": "NATIONAL_COORDINATOR"},
    ),
    "DELETE /memberships/{membership_id}": Entry(
        o.new_officer, "alice", forbidden=("bob",), also={"sam": S(204, 403, 404)}
    ),
    "DELETE /tokens/{token_id}": Entry(o.alice_token, "alice", outsider="bob"),
    # A person's own notices: everybody else, colleagues included, gets the 404 of a missing one.
    "POST /notifications/{notification_id}/read": Entry(
        o.alice_notification, "alice", outsider="bob"
    ),
    # --- Appeared while the matrix was written --------------------------------------------------
    "POST /exchange/people/{record_id}/review": Entry(
        o.exchange_person,
        "alice",
        forbidden=("charlie",),
        also={"bob": S(200, 409)},
        outsider="sam",
        body=_review_date,
    ),
    "POST /hashes/banks/{bank_id}/marking": Entry(
        o.hash_bank,
        "alice",
        also={"bob": S(200, 403), "pat": S(200, 403)},
        body={"tlp": "AMBER+STRICT", "handling": []},
    ),
    **COORDINATION_API,
    # --- Monitoring (issue 16) ------------------------------------------------------------------
    # UNOCT's project (sam, a head) shared AMBER with Kenya, its implementing partner: charlie
    # sees it and reports; France (alice) sees nothing.
    "GET /monitoring/projects/{project_id}": Entry(
        o.monitoring_period, "sam", readers=("charlie",), outsider="alice"
    ),
    "POST /monitoring/projects/{project_id}/marking": Entry(
        o.monitoring_period,
        "sam",
        also={"charlie": S(200)},  # a reader may raise
        outsider="alice",
        body={"tlp": "AMBER+STRICT", "handling": []},
    ),
    "POST /monitoring/projects/{project_id}/documents": Entry(
        o.monitoring_period, "sam", forbidden=("charlie",), outsider="alice", files={"file": o.PDF}
    ),
    "GET /monitoring/documents/{document_id}": Entry(
        o.monitoring_period, "sam", readers=("charlie",), outsider="alice"
    ),
    "POST /monitoring/projects/{project_id}/results": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"type": "2", "title": "Outcome"},
    ),
    "POST /monitoring/results/{result_id}/indicators": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"title": "Share", "measure": "2"},
    ),
    "POST /monitoring/indicators/{indicator_id}/periods": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"start": "2025-04-01", "end": "2025-06-30"},
    ),
    # Changing the project and its framework: the owner's heads; a partner who sees it: 403.
    "PATCH /monitoring/projects/{project_id}": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"title": "Border management, phase II", "donors": [{"name": "Japan"}]},
    ),
    "PATCH /monitoring/results/{result_id}": Entry(
        o.monitoring_period, "sam", forbidden=("charlie",), outsider="alice", body={"type": "2"}
    ),
    "PATCH /monitoring/indicators/{indicator_id}": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"title": "Officers certified", "baseline_value": 4},
    ),
    "PATCH /monitoring/periods/{period_id}": Entry(
        o.monitoring_period,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"target_value": 60},
    ),
    # Deleting framework rows nobody reported on: the owner's heads; a partner who sees it: 403.
    **{
        key: Entry(o.monitoring_period, "sam", forbidden=("charlie",), outsider="alice")
        for key in (
            "DELETE /monitoring/results/{result_id}",
            "DELETE /monitoring/indicators/{indicator_id}",
            "DELETE /monitoring/periods/{period_id}",
        )
    },
    "POST /monitoring/periods/{period_id}/updates": Entry(
        o.monitoring_period, "sam", also={"charlie": S(201)}, outsider="alice", body={"value": 3}
    ),
    "POST /monitoring/periods/{period_id}/lock": Entry(
        o.approved_period, "sam", forbidden=("charlie",), outsider="alice"
    ),
    "GET /monitoring/updates/{update_id}": Entry(
        o.monitoring_update, "sam", readers=("charlie",), outsider="alice"
    ),
    "PUT /monitoring/updates/{update_id}": Entry(
        o.monitoring_update, "sam", also={"charlie": S(200)}, outsider="alice", body={"value": 4}
    ),
    "POST /monitoring/updates/{update_id}/submit": Entry(
        o.monitoring_update, "charlie", also={"sam": S(200, 400)}, outsider="alice"
    ),
    "POST /monitoring/updates/{update_id}/approve": Entry(
        o.submitted_update, "sam", forbidden=("charlie",), outsider="alice", body={}
    ),
    "POST /monitoring/updates/{update_id}/return": Entry(
        o.submitted_update,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body={"comment": "Attach the attendance sheets"},
    ),
    "POST /monitoring/updates/{update_id}/links": Entry(
        o.monitoring_update,
        "sam",
        also={"charlie": S(201)},
        outsider="alice",
        body={"url": "https://example.org/report"},
    ),
    "POST /monitoring/updates/{update_id}/files": Entry(
        o.monitoring_update,
        "sam",
        also={"charlie": S(201)},
        outsider="alice",
        files={"file": o.PDF},
    ),
    # What a project answers (issue 16): sam (a head of UNOCT) links; charlie reads the project
    # (a partner) but may not change it (403); France sees nothing of it.
    "GET /monitoring/projects/{project_id}/answers": Entry(
        o.monitoring_answer, "sam", readers=("charlie",), outsider="alice"
    ),
    "POST /monitoring/projects/{project_id}/answers": Entry(
        o.monitoring_answerable,
        "sam",
        forbidden=("charlie",),
        outsider="alice",
        body=lambda made: {
            "kind": "commitment",
            "target_id": made.ids["target_id"] if made else 1,
        },
    ),
    "DELETE /monitoring/projects/{project_id}/answers/{kind}/{target_id}": Entry(
        o.monitoring_answer, "sam", forbidden=("charlie",), outsider="alice"
    ),
    "GET /monitoring/evidence/{evidence_id}": Entry(
        o.monitoring_update, "sam", readers=("charlie",), outsider="alice"
    ),
}

# --- Consultations (issue 15) ------------------------------------------------------------------
from ctnet.tests.matrix.consultations import API_ENTRIES as _CONSULTATIONS  # noqa: E402

API_TABLE.update(_CONSULTATIONS)
