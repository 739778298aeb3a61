"""The matrix entries of coordination (issue 17): a private plan of France (read by France and
the secretariat only), its commitment and milestone, and the per-resolution view."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from ctnet.tests.matrix.entries import Entry, S
from ctnet.tests.matrix.objects import PDF, Made, ok

if TYPE_CHECKING:
    from ctnet.tests.matrix.people import MatrixTestCase

# Everyone who takes part in coordination; oversight reads no content (403 before any id).
PARTICIPANTS = ("bob", "charlie", "cso", "sam", "pat")


def commitment_body(made: Made | None = None) -> dict[str, Any]:
    return {
        "title": "Watch lists of known and suspected terrorists",
        "pillar": "II",
        "references": [{"code": "UNSCR-2396", "paragraph": "13"}],
        "milestones": [
            {"title": "Database live", "due_date": "2026-06-30", "responsible": ["FRA"]}
        ],
    }


def private_plan(tc: MatrixTestCase) -> Made:
    body = ok(
        tc,
        "alice",
        "POST",
        "/coordination/plans",
        {
            "title": "National action plan",
            "focus": "ct",
            "visibility": "private",
            "pillars": ["II"],
            "period_start": "2025-01-01",
            "period_end": "2027-12-31",
            "commitments": [commitment_body()],
        },
    )
    commitment = body["commitments"][0]
    return Made(
        {
            "plan_id": body["id"],
            "commitment_id": commitment["id"],
            "milestone_id": commitment["milestones"][0]["id"],
        }
    )


def _assessment_request(made: Made | None) -> dict[str, Any]:
    from ctnet.core.models import Organisation

    commitment = made.ids["commitment_id"] if made else 1
    return {"commitment": commitment, "assessor": Organisation.objects.get(code="UNOCT").pk}


def plan_with_evidence(tc: MatrixTestCase) -> Made:
    """France's private plan with a file behind a commitment's report."""
    made = private_plan(tc)
    path = f"/coordination/commitments/{made.ids['commitment_id']}/evidence"
    evidence = ok(tc, "alice", "POST", path, files={"file": PDF})
    return Made({"evidence_id": evidence["id"]})


def resolution(tc: MatrixTestCase) -> Made:
    private_plan(tc)
    return Made({"code": "UNSCR-2396"})


NEED = {
    "topic": "border-security",
    "urgency": "high",
    "languages": ["fr"],
    "title": "Document checks at the border",
}


def need_with_match(tc: MatrixTestCase) -> Made:
    """France's need (network-wide), matched to an offer of the secretariat's office."""
    ok(tc, "sam", "POST", "/coordination/offers", {**NEED, "title": "Document checks course"})
    body = ok(tc, "alice", "POST", "/coordination/needs", NEED)
    return Made({"need_id": body["id"], "match_id": body["matches"][0]["id"]})


def accepted_match(tc: MatrixTestCase) -> Made:
    """France accepted the secretariat office's offer: UNOCT may start the project."""
    made = need_with_match(tc)
    ok(tc, "alice", "POST", f"/coordination/matches/{made.ids['match_id']}/accept")
    return Made({"match_id": made.ids["match_id"]})


PROJECT_NUMBERS = itertools.count(1)


def _project_body(made: Made | None) -> dict[str, Any]:
    return {
        "iati_identifier": f"XI-CTNET-UNOCT-M{next(PROJECT_NUMBERS)}",
        "title": "Document checks",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }


OWNER = {"actor": "alice", "forbidden": ("sam",)}  # the secretariat reads, may not edit

COORDINATION_API: dict[str, Entry] = {
    "GET /coordination/plans/{plan_id}": Entry(private_plan, "alice", readers=("bob", "sam")),
    "PATCH /coordination/plans/{plan_id}": Entry(
        private_plan, **OWNER, also={"bob": S(200)}, body={"title": "Revised action plan"}
    ),
    "POST /coordination/plans/{plan_id}/commitments": Entry(
        private_plan, **OWNER, also={"bob": S(201)}, body=commitment_body
    ),
    "PATCH /coordination/commitments/{commitment_id}": Entry(
        private_plan, **OWNER, also={"bob": S(200)}, body={"title": "Watch lists, revised"}
    ),
    "GET /coordination/commitments/{commitment_id}": Entry(
        private_plan, "alice", readers=("bob", "sam")
    ),
    "POST /coordination/commitments/{commitment_id}/milestones": Entry(
        private_plan,
        **OWNER,
        also={"bob": S(201)},
        body={"title": "Pilot", "due_date": "2026-01-01"},
    ),
    "POST /coordination/milestones/{milestone_id}/done": Entry(
        private_plan, **OWNER, also={"bob": S(200)}, body={}
    ),
    "POST /coordination/commitments/{commitment_id}/progress": Entry(
        private_plan, **OWNER, also={"bob": S(200)}, body={"status": "limited", "progress": 10}
    ),
    "GET /coordination/evidence/{evidence_id}": Entry(
        plan_with_evidence, "alice", readers=("bob", "sam")
    ),
    "POST /coordination/commitments/{commitment_id}/evidence": Entry(
        private_plan, **OWNER, also={"bob": S(201)}, files={"file": PDF}
    ),
    "POST /coordination/commitments/{commitment_id}/assessment-request": Entry(
        private_plan, **OWNER, also={"bob": S(200)}, body={"assessor": "UNOCT"}
    ),
    # The independent assessment: the secretariat may; France implements it (403).
    "POST /coordination/commitments/{commitment_id}/assessments": Entry(
        private_plan, "sam", forbidden=("alice", "bob"), body={"status": "limited"}
    ),
    "GET /coordination/references/{code}": Entry(
        resolution, "alice", readers=PARTICIPANTS, also={"olga": S(403)}
    ),
}

# A GREEN need: every community member reads it; civil society, companies and oversight do not.
COMMUNITY = ("bob", "charlie", "sam")
COORDINATION_API.update(
    {
        "GET /coordination/needs/{need_id}": Entry(
            need_with_match, "alice", readers=COMMUNITY, outsider="cso"
        ),
        # The state or the assisting organisation closes it (after an accepted match).
        "POST /coordination/needs/{need_id}/close": Entry(
            need_with_match,
            "alice",
            forbidden=("charlie",),
            also={"bob": S(400), "sam": S(400, 403)},
            outsider="cso",
            body={"report": "Forty guards trained."},
        ),
        "POST /coordination/matches/{match_id}/project": Entry(
            accepted_match,
            "sam",
            forbidden=("alice", "bob", "charlie"),
            outsider="cso",
            body=_project_body,
        ),
        "POST /coordination/matches/{match_id}/accept": Entry(
            need_with_match,
            "alice",
            forbidden=("charlie", "sam"),
            also={"bob": S(200)},
            outsider="cso",
        ),
    }
)

COORDINATION_PAGES: dict[str, Entry] = {
    "coordination-plan": Entry(private_plan, "alice", readers=("bob", "sam")),
    "coordination-plan-report": Entry(private_plan, "alice", readers=("bob", "sam")),
    "coordination-evidence": Entry(plan_with_evidence, "alice", readers=("bob", "sam")),
    "coordination-plan-edit": Entry(private_plan, "alice", readers=("bob",), forbidden=("sam",)),
    "coordination-commitment-edit": Entry(
        private_plan, "alice", readers=("bob",), forbidden=("sam",)
    ),
    "coordination-assessment-request": Entry(
        private_plan, **OWNER, also={"bob": S(302)}, body=_assessment_request
    ),
    "coordination-plan-csv": Entry(private_plan, "alice", readers=("bob", "sam")),
    "coordination-commitment-new": Entry(
        private_plan, **OWNER, also={"bob": S(302)}, body={"title": "Biometrics at the border"}
    ),
    "coordination-milestone-new": Entry(
        private_plan,
        **OWNER,
        also={"bob": S(302)},
        body={"title": "Pilot", "due_date": "2026-01-01"},
    ),
    "coordination-progress": Entry(
        private_plan, **OWNER, also={"bob": S(302)}, body={"status": "limited", "progress": "10"}
    ),
    "coordination-assess": Entry(
        private_plan, "sam", forbidden=("alice", "bob"), body={"status": "limited"}
    ),
    "coordination-match-project": Entry(
        accepted_match,
        "sam",
        forbidden=("alice", "bob", "charlie"),
        outsider="cso",
        body=_project_body,
    ),
    "coordination-match-accept": Entry(
        need_with_match, "alice", forbidden=("charlie", "sam"), also={"bob": S(302)}, outsider="cso"
    ),
    # The state in need closes it (no offer accepted yet, so no assisting organisation).
    "coordination-need-close": Entry(
        need_with_match,
        "alice",
        forbidden=("charlie", "sam"),
        also={"bob": S(302)},
        outsider="cso",
        body={"report": "The course was given to 40 officers."},
    ),
    "coordination-resolution": Entry(
        resolution, "alice", readers=PARTICIPANTS, also={"olga": S(403)}
    ),
}


# --- The Compact's working groups: the secretariat (sam) sets one up with UNOCT as member and
# chair; the community reads it, civil society does not (404).
GROUP_NUMBERS = itertools.count(1)


def working_group(tc: MatrixTestCase) -> Made:
    body = ok(
        tc,
        "sam",
        "POST",
        "/coordination/groups",
        # Names are unique: one walk over the pages makes a group for each entry that needs one.
        {
            "name": f"Matrix working group {next(GROUP_NUMBERS)}",
            "members": ["UNOCT"],
            "chairs": ["UNOCT"],
        },
    )
    meeting = ok(
        tc,
        "sam",
        "POST",
        f"/coordination/groups/{body['id']}/meetings",
        {
            "held_on": "2026-01-10",
            "agenda": "Programme",
            "decisions": [
                {
                    "text": "Draft guidance",
                    "follow_ups": [
                        {"title": "Draft", "responsible": "UNOCT", "due_date": "2026-03-01"}
                    ],
                }
            ],
        },
    )
    decision = meeting["meetings"][0]["decisions"][0]
    meeting_id = meeting["meetings"][0]["id"]
    document = ok(
        tc, "sam", "POST", f"/coordination/meetings/{meeting_id}/documents", files={"file": PDF}
    )
    programme = ok(
        tc,
        "sam",
        "POST",
        f"/coordination/groups/{body['id']}/work-items",
        {"title": "Guidance note", "owner": "UNOCT", "due_date": "2026-06-30"},
    )
    from ctnet.core.models import Organisation

    return Made(
        {
            "group_id": body["id"],
            "follow_up_id": decision["follow_ups"][0]["id"],
            "decision_id": decision["id"],
            "item_id": programme["work_items"][0]["id"],
            "meeting_id": meeting_id,
            "document_id": document["id"],
            "code": "UNOCT",
        },
        extra={"unoct": Organisation.objects.get(code="UNOCT").pk},
    )


def _page_item(made: Made | None) -> dict[str, Any]:
    owner = made.extra["unoct"] if made else 1
    return {"title": "Guidance", "owner": owner, "due_date": "2030-01-01"}


def _page_document(made: Made | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile(*PDF)}


def _page_follow_up(made: Made | None) -> dict[str, Any]:
    responsible = made.extra["unoct"] if made else 1
    return {"title": "Circulate", "responsible": responsible, "due_date": "2030-01-01"}


GROUP_READERS = ("alice", "bob", "charlie")
COORDINATION_API.update(
    {
        "GET /coordination/groups/{group_id}": Entry(
            working_group, "sam", readers=GROUP_READERS, outsider="cso"
        ),
        "POST /coordination/groups/{group_id}/work-items": Entry(
            working_group,
            "sam",
            forbidden=GROUP_READERS,
            outsider="cso",
            body={"title": "Guidance", "owner": "UNOCT", "due_date": "2030-01-01"},
        ),
        "POST /coordination/groups/{group_id}/meetings": Entry(
            working_group,
            "sam",
            forbidden=GROUP_READERS,
            outsider="cso",
            body={"held_on": "2026-02-01", "agenda": "Follow-ups"},
        ),
        "POST /coordination/follow-ups/{follow_up_id}/status": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body={"status": "done"}
        ),
        "GET /coordination/entities/{code}": Entry(
            working_group, "sam", readers=GROUP_READERS, outsider="cso"
        ),
        "POST /coordination/decisions/{decision_id}/follow-ups": Entry(
            working_group,
            "sam",
            forbidden=GROUP_READERS,
            outsider="cso",
            body={"title": "Circulate", "responsible": "UNOCT", "due_date": "2030-01-01"},
        ),
        "POST /coordination/meetings/{meeting_id}/documents": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", files={"file": PDF}
        ),
        "GET /coordination/documents/{document_id}": Entry(
            working_group, "sam", readers=GROUP_READERS, outsider="cso"
        ),
        "POST /coordination/work-items/{item_id}/status": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body={"status": "done"}
        ),
    }
)
COORDINATION_PAGES.update(
    {
        "coordination-group": Entry(working_group, "sam", readers=GROUP_READERS, outsider="cso"),
        "coordination-entity": Entry(working_group, "sam", readers=GROUP_READERS, outsider="cso"),
        "coordination-group-edit": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso"
        ),
        "coordination-work-item-new": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body=_page_item
        ),
        "coordination-meeting-new": Entry(
            working_group,
            "sam",
            forbidden=GROUP_READERS,
            outsider="cso",
            body={"held_on": "2026-02-01", "agenda": "Follow-ups"},
        ),
        "coordination-follow-up-new": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body=_page_follow_up
        ),
        "coordination-document-new": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body=_page_document
        ),
        "coordination-document": Entry(working_group, "sam", readers=GROUP_READERS, outsider="cso"),
        "coordination-work-item-status": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body={"status": "done"}
        ),
        "coordination-follow-up-status": Entry(
            working_group, "sam", forbidden=GROUP_READERS, outsider="cso", body={"status": "done"}
        ),
    }
)
