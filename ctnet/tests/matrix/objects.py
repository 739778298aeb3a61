"""Objects of one organisation for the matrix, made through the API as their owners would.

Each maker returns ``Made``: the ids that fill the route's path, and what a body may need
(a delivery id, say). Most objects belong to France (alice, coordinator; bob, officer); the
outsider named in each table entry is a fixed person who may not see them.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The same person record as exchange's own tests make.
from ctnet.exchange.tests.helpers import person_data

if TYPE_CHECKING:
    from ctnet.tests.matrix.people import MatrixTestCase

API = "/api/v1"


@dataclass
class Made:
    ids: dict[str, int | str]  # str: a code in the path (a resolution)
    extra: dict[str, Any] = field(default_factory=dict)


def ok(tc: MatrixTestCase, person: str, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    """An API call by the object's owner that must work: the maker's own precondition."""
    response = tc.call_api(person, method, f"{API}{path}", body, kw.get("files"))
    assert response.status_code in (200, 201, 204), (
        f"making the object: {method} {path} as {person}: {response.status_code} "
        f"{response.content[:300]!r}"
    )
    return json.loads(response.content) if response.content else None


# --- Exchange ----------------------------------------------------------------------------------

PDF = ("note.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def request_data(**over: Any) -> dict[str, Any]:
    data = {
        "recipients": ["KEN"],
        "subject": "Travel of a suspected facilitator",
        "body": "Do you hold records of entries between March and May?",
        "priority": "urgent",
        "legal_basis": "UNSC resolution 2396 (2017), para 13",
        "purpose": "Disrupt facilitation of foreign terrorist fighters",
        "tlp": "AMBER",
        "handling": [],
        "source_grade": "B",
        "info_grade": "2",
        "source_details": "Informant met in Lyon",
    }
    data.update(over)
    return data


def exchange_request(tc: MatrixTestCase, **over: Any) -> Made:
    """France asks Kenya (AMBER): seen by alice, bob and charlie; not by UNOCT or anyone else."""
    body = ok(tc, "alice", "POST", "/exchange/requests", request_data(**over))
    delivery = body["deliveries"][0]["id"] if body.get("deliveries") else None
    return Made({"request_id": body["id"]}, {"delivery_id": delivery})


def exchange_attachment(tc: MatrixTestCase) -> Made:
    made = exchange_request(tc)
    att = ok(
        tc,
        "alice",
        "POST",
        f"/exchange/requests/{made.ids['request_id']}/attachments",
        files={"file": PDF},
    )
    made.ids["attachment_id"] = att["id"]
    return made


def exchange_person(tc: MatrixTestCase) -> Made:
    made = exchange_request(tc)
    record = ok(
        tc, "alice", "POST", f"/exchange/requests/{made.ids['request_id']}/people", person_data()
    )
    made.ids["record_id"] = record["id"]
    return made


def exchange_release(tc: MatrixTestCase) -> Made:
    """Kenya asks France to pass France's H2 request on to Brazil (nobody of Brazil signs in)."""
    made = exchange_request(tc, handling=["H2"])
    release = ok(
        tc,
        "charlie",
        "POST",
        "/exchange/releases",
        {
            "request_id": made.ids["request_id"],
            "new_recipient": "BRA",
            "reason": "The facilitator was seen in Brazil",
        },
    )
    made.ids["release_id"] = release["id"]
    return made


def exchange_bulletin(tc: MatrixTestCase, **over: Any) -> Made:
    """A France bulletin to the African Group (Kenya), AMBER: UNOCT and others do not see it."""
    data = {
        "title": "Drone payload modifications seen",
        "body": "Commercial quadcopters fitted with release mechanisms.",
        "category": "drones",
        "audience": "region",
        "un_group": "AFRICAN",
        "tlp": "AMBER",
        "handling": [],
        "indicators": [{"kind": "domain", "value": "drone-parts.example"}],
    }
    data.update(over)
    body = ok(tc, "alice", "POST", "/exchange/bulletins", data)
    return Made({"bulletin_id": body["id"]})


# --- Hashes ------------------------------------------------------------------------------------

PDQ = "f" * 16 + "0" * 48


def hash_bank(tc: MatrixTestCase, **over: Any) -> Made:
    """France's AMBER bank shared with the technology company (pat): not KEN, not UNOCT."""
    data = {
        "name": "FRA propaganda",
        "tlp": "AMBER",
        "recipients": ["TECH-X"],
        "requires_confirmation": True,
        "legal_basis": "Loi 2015-912",
    }
    data.update(over)
    body = ok(tc, "alice", "POST", "/hashes/banks", data)
    return Made({"bank_id": body["id"]})


def crisis_bank(tc: MatrixTestCase) -> Made:
    body = ok(
        tc,
        "alice",
        "POST",
        "/hashes/banks/crisis",
        {
            "name": "Attack livestream",
            "incident": "Attack in Lyon",
            "hours": 24,
            "recipients": ["TECH-X"],
            "legal_basis": "Loi 2015-912",
        },
    )
    return Made({"bank_id": body["id"]})


def hash_signal(tc: MatrixTestCase, contributor: str = "alice", **bank: Any) -> Made:
    made = hash_bank(tc, **bank)
    signal = ok(
        tc,
        contributor,
        "POST",
        f"/hashes/banks/{made.ids['bank_id']}/signals",
        {
            "signal_type": "pdq",
            "value": PDQ,
            "category": "PROPAGANDA",
            "legal_basis": "UNSCR 2396",
            "entity": "QDe.115",
        },
    )
    made.ids["signal_id"] = signal["id"]
    return made


def shared_signal(tc: MatrixTestCase) -> Made:
    """A signal already shared (the bank needs no confirmation): every bank reader sees it."""
    return hash_signal(tc, requires_confirmation=False)


def pending_signal(tc: MatrixTestCase) -> Made:
    """Contributed by the technology company to France's bank; France's head confirms it."""
    return hash_signal(tc, contributor="pat")


# --- Practices ---------------------------------------------------------------------------------


def practice_payload(**over: Any) -> dict[str, Any]:
    data = {
        "title": "Programme de désengagement en milieu carcéral",
        "summary": "Accompagnement individuel des détenus radicalisés par des binômes.",
        "body": "Des binômes éducateur-psychologue suivent chaque détenu pendant un an.",
        "language": "fr",
        "themes": ["prisons"],
        "regions": ["WESTERN_EUROPEAN_OTHERS"],
        "tlp": "AMBER",
        "recipients": ["BRA"],  # a state of no fixed person: nobody outside France reads it
    }
    data.update(over)
    return data


def practice_draft(tc: MatrixTestCase) -> Made:
    """France's AMBER draft: alice and bob see it; nobody outside France."""
    with tc.captureOnCommitCallbacks(execute=True):
        body = ok(tc, "alice", "POST", "/practices/", practice_payload())
    return Made({"practice_id": body["id"]})


def practice_attachment(tc: MatrixTestCase) -> Made:
    made = practice_draft(tc)
    att = ok(
        tc,
        "alice",
        "POST",
        f"/practices/{made.ids['practice_id']}/attachments",
        files={"file": PDF},
    )
    made.ids["attachment_id"] = att["id"]
    return made


def practice_published(tc: MatrixTestCase) -> Made:
    """France's GREEN practice, published by the secretariat: the network reads it, civil
    society and platforms (outside the community) do not."""
    with tc.captureOnCommitCallbacks(execute=True):
        body = ok(tc, "alice", "POST", "/practices/", practice_payload(tlp="GREEN", recipients=[]))
    pid = body["id"]
    ok(tc, "alice", "POST", f"/practices/{pid}/transitions", {"action": "submit"})
    ok(tc, "sam", "POST", f"/practices/{pid}/transitions", {"action": "publish"})
    return Made({"practice_id": pid})


# --- Screening ---------------------------------------------------------------------------------

NATIONAL_CSV = (
    "id,name,aliases,dob,nationality\n"
    "FRA-1,Abdul Rahman Yasin,Abd al-Rahman Yasin|Abood,1960-04-10,IRQ\n"
    "FRA-2,Karim Benali,,1988,FRA\n"
)
YASIN = {"name": "Abdul Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}


def watchlist(tc: MatrixTestCase) -> Made:
    """France's AMBER national list, shared with nobody, imported by alice."""
    body = ok(
        tc,
        "alice",
        "POST",
        "/screening/watchlists",
        {
            "name": "FRA returning fighters",
            "legal_basis": "Internal security code, L. 228-1",
            "purpose": "Detect returning foreign terrorist fighters",
            "tlp": "AMBER",
        },
    )
    wid = body["id"]
    ok(
        tc,
        "alice",
        "POST",
        f"/screening/watchlists/{wid}/import",
        files={"file": ("fra.csv", NATIONAL_CSV.encode(), "text/csv")},
    )
    entries = ok(tc, "alice", "GET", f"/screening/watchlists/{wid}/entries")
    return Made({"watchlist_id": wid, "entry_id": entries["items"][0]["id"]})


def screening_hit(tc: MatrixTestCase) -> Made:
    """alice screens a listed traveller against France's list: a hit of France, open."""
    made = watchlist(tc)
    with tc.captureOnCommitCallbacks(execute=True):
        body = ok(
            tc, "alice", "POST", "/screening/screen", {"purpose": "BORDER", "traveller": YASIN}
        )
    result = body["results"][0]
    made.ids["hit_id"] = int(result["possible_matches"][0]["id"])
    made.ids["run_id"] = int(body["run"]["id"])
    return made


def proposed_hit(tc: MatrixTestCase) -> Made:
    """A confirmation proposed by bob: alice, the second person, approves it."""
    made = screening_hit(tc)
    ok(
        tc,
        "bob",
        "POST",
        f"/screening/hits/{made.ids['hit_id']}/decision",
        {
            "outcome": "CONFIRMED",
            "reason": "Photo and date of birth agree",
            "notify_owner": True,
        },
    )
    return made


def hit_notice(tc: MatrixTestCase) -> Made:
    made = proposed_hit(tc)
    with tc.captureOnCommitCallbacks(execute=True):
        ok(
            tc,
            "alice",
            "POST",
            f"/screening/hits/{made.ids['hit_id']}/second-review",
            {"approve": True, "reason": "Checked the passport copy"},
        )
    notices = ok(tc, "alice", "GET", "/screening/notices")
    made.ids["notice_id"] = notices["items"][0]["id"]
    return made


# --- Directory ---------------------------------------------------------------------------------

CONTACT = {
    "organisation": "FRA",
    "office": "Border police 24/7 desk",
    "holders": [{"name": "Jeanne Martin", "title": "Duty officer"}],
    "topics": ["border-security"],
    "languages": ["fr", "en"],
    "time_zone": "Europe/Paris",
    "always_on": True,
    "email": "desk@example.gov",
}


def contact(tc: MatrixTestCase) -> Made:
    """France's network-only contact point: the network sees it, civil society does not."""
    body = ok(tc, "alice", "POST", "/directory/contacts", CONTACT)
    return Made({"contact_id": body["id"]}, {"version": body.get("version", 1)})


def comm_test(tc: MatrixTestCase) -> Made:
    contact(tc)
    with tc.captureOnCommitCallbacks(execute=True):
        body = ok(tc, "sam", "POST", "/directory/communication-tests", {"note": "Quarterly"})
    return Made({"test_id": body["id"]})


# --- Core --------------------------------------------------------------------------------------


def own_org(tc: MatrixTestCase) -> Made:
    return Made({"org_id": tc.state_a.pk})


def invitation(tc: MatrixTestCase) -> Made:
    with tc.captureOnCommitCallbacks(execute=True):
        body = ok(
            tc,
            "alice",
            "POST",
            f"/organisations/{tc.state_a.pk}/invitations",
            {"email": "new.officer@example.gov", "role": "OFFICER"},
        )
    return Made({"invitation_id": body["id"], "org_id": tc.state_a.pk})


def new_officer(tc: MatrixTestCase) -> Made:
    """A second officer of France (not a fixed person: changing bob would change the matrix)."""
    from ctnet.core.models import Membership, Role
    from ctnet.testing.base import make_person

    person = make_person("fra_officer2", tc.state_a, Role.OFFICER)
    return Made({"membership_id": Membership.objects.get(user=person).pk})


def alice_token(tc: MatrixTestCase) -> Made:
    from ctnet.core import services

    token = services.create_api_token(
        acting_user=tc.alice, name="spare", read_only=False, expires_days=30
    )
    return Made({"token_id": token.token.pk if hasattr(token, "token") else token.pk})


_PROJECT_SERIALS = itertools.count(1)


# --- Monitoring --------------------------------------------------------------------------------


def monitoring_period(tc: MatrixTestCase) -> Made:
    """UNOCT's AMBER project shared with Kenya, its implementing partner: sam runs it (a head),
    charlie reports on it (a partner); one result, indicator and period. France sees nothing."""
    from ctnet.monitoring.tests.helpers import project_data

    # A fresh identifier per call: one test (every page in a browser) makes several projects.
    serial = next(_PROJECT_SERIALS)
    project = ok(
        tc,
        "sam",
        "POST",
        "/monitoring/projects",
        project_data(iati_identifier=f"XI-CTNET-UNOCT-M{serial}"),
    )
    pid = project["id"]
    result = ok(
        tc, "sam", "POST", f"/monitoring/projects/{pid}/results", {"type": "1", "title": "R"}
    )
    indicator = ok(
        tc,
        "sam",
        "POST",
        f"/monitoring/results/{result['id']}/indicators",
        {"title": "Officers trained", "measure": "1", "baseline_year": 2024, "baseline_value": 0},
    )
    period = ok(
        tc,
        "sam",
        "POST",
        f"/monitoring/indicators/{indicator['id']}/periods",
        {"start": "2025-01-01", "end": "2025-03-31", "target_value": 50},
    )
    doc = ok(tc, "sam", "POST", f"/monitoring/projects/{pid}/documents", files={"file": PDF})
    return Made(
        {
            "project_id": pid,
            "result_id": result["id"],
            "indicator_id": indicator["id"],
            "period_id": period["id"],
            "document_id": doc["id"],
        }
    )


def monitoring_update(tc: MatrixTestCase) -> Made:
    """A draft update by charlie (the partner) with a file as evidence."""
    made = monitoring_period(tc)
    update = ok(
        tc, "charlie", "POST", f"/monitoring/periods/{made.ids['period_id']}/updates", {"value": 12}
    )
    evidence = ok(
        tc, "charlie", "POST", f"/monitoring/updates/{update['id']}/files", files={"file": PDF}
    )
    made.ids.update(update_id=update["id"], evidence_id=evidence["id"])
    return made


def submitted_update(tc: MatrixTestCase) -> Made:
    """charlie submitted: sam (a head of UNOCT, not the submitter) decides."""
    made = monitoring_update(tc)
    ok(tc, "charlie", "POST", f"/monitoring/updates/{made.ids['update_id']}/submit")
    return made


def approved_period(tc: MatrixTestCase) -> Made:
    made = submitted_update(tc)
    ok(tc, "sam", "POST", f"/monitoring/updates/{made.ids['update_id']}/approve", {})
    return made


def monitoring_answerable(tc: MatrixTestCase) -> Made:
    """UNOCT's project (as ``monitoring_period``) and a commitment of France's network plan that
    sam may link (issue 16): charlie sees the project but may not change it."""
    from ctnet.coordination.tests.helpers import plan_data

    made = monitoring_period(tc)
    plan = ok(tc, "alice", "POST", "/coordination/plans", plan_data())
    commitment = plan["commitments"][0]["id"]
    made.ids.update(kind="commitment", target_id=commitment)
    return made


def monitoring_answer(tc: MatrixTestCase) -> Made:
    """The project linked to the commitment: the link to remove."""
    made = monitoring_answerable(tc)
    pid, target = made.ids["project_id"], made.ids["target_id"]
    ok(
        tc,
        "sam",
        "POST",
        f"/monitoring/projects/{pid}/answers",
        {"kind": "commitment", "target_id": target},
    )
    return made


def alice_notification(tc: MatrixTestCase) -> Made:
    from ctnet.core.models import Notification

    notice = Notification.objects.create(
        recipient=tc.alice, kind="test", title="A notice", link="/exchange/"
    )
    return Made({"notification_id": notice.pk})
