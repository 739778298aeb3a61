"""Matrix objects and entries of consultations (issue 15).

The unit (sam, network secretariat) opens each consultation to every accredited civil-society
organisation, so the civil-society member (cso) sees it; the other fixed people have no part in
consultations, so to them it does not exist (404, as a missing id), and alice is the outsider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ctnet.tests.matrix.entries import Entry, S
from ctnet.tests.matrix.objects import Made, ok

C = "/consultations"


def _body(mode: str) -> dict[str, Any]:
    return {
        "title": "Action plan on preventing violent extremism",
        "subject_kind": "action_plan",
        "subject": "Draft action plan",
        "audience": "all_csos",
        "languages": ["en", "ar"],
        "mode": mode,
        "questions": [
            {"kind": "text", "text": "What should change?"},
            {"kind": "statement", "text": "Youth should be consulted."},
        ],
    }


def consultation_draft(tc: Any) -> Made:
    c = ok(tc, "sam", "POST", f"{C}/", _body("identified"))
    return Made({"consultation_id": c["id"]})


def _opened(tc: Any, mode: str = "identified") -> dict[str, Any]:
    c = ok(tc, "sam", "POST", f"{C}/", _body(mode))
    with tc.captureOnCommitCallbacks(execute=True):
        ok(tc, "sam", "POST", f"{C}/{c['id']}/move", {"to": "open"})
    return c


def consultation_public(tc: Any) -> Made:
    """A draft open to the public through a link (no link made yet)."""
    c = ok(tc, "sam", "POST", f"{C}/", _body("anonymous") | {"audience": "public"})
    return Made({"consultation_id": c["id"]})


def consultation_public_linked(tc: Any) -> Made:
    made = consultation_public(tc)
    ok(tc, "sam", "POST", f"{C}/{made.ids['consultation_id']}/public-link")
    return made


def public_page_url(tc: Any) -> str:
    """The public page of an open consultation, through its link: for the page walks, which
    open it without an account (``visits.PUBLIC_VISITS``)."""
    made = consultation_public(tc)
    c = made.ids["consultation_id"]
    link = ok(tc, "sam", "POST", f"{C}/{c}/public-link")
    with tc.captureOnCommitCallbacks(execute=True):
        ok(tc, "sam", "POST", f"{C}/{c}/move", {"to": "open"})
    return urlsplit(link["url"]).path


def _answers(made: Made | None) -> dict[str, Any]:
    q = made.extra["text_q"] if made else 1
    return {"answers": {str(q): "Fund youth centres"}, "language": "en"}


def consultation_open(tc: Any) -> Made:
    c = _opened(tc)
    return Made({"consultation_id": c["id"]}, {"text_q": c["questions"][0]["id"]})


def consultation_closed(tc: Any) -> Made:
    """Closed, with the civil-society member's identified input in it."""
    c = _opened(tc)
    ok(
        tc,
        "cso",
        "POST",
        f"{C}/{c['id']}/submissions",
        _answers(Made({}, {"text_q": c["questions"][0]["id"]})),
    )
    ok(tc, "sam", "POST", f"{C}/{c['id']}/move", {"to": "closed"})
    items = ok(tc, "sam", "GET", f"{C}/{c['id']}/submissions")["items"]
    return Made({"consultation_id": c["id"], "submission_id": items[0]["id"]})


def theme(tc: Any) -> Made:
    made = consultation_closed(tc)
    t = ok(tc, "sam", "POST", f"{C}/{made.ids['consultation_id']}/themes", {"title": "Youth"})
    return Made({"theme_id": t["id"]}, {"submission_id": made.ids["submission_id"]})


def theme_in_closed(tc: Any) -> Made:
    """A closed consultation with one theme (the unit's grouping pages post both)."""
    made = consultation_closed(tc)
    c = made.ids["consultation_id"]
    t = ok(tc, "sam", "POST", f"{C}/{c}/themes", {"title": "Youth"})
    return Made(made.ids, {"theme_id": t["id"], "submission_id": made.ids["submission_id"]})


def result_in_closed(tc: Any) -> Made:
    """A closed consultation with one result (milestones are added to it)."""
    made = consultation_closed(tc)
    c = made.ids["consultation_id"]
    r = ok(tc, "sam", "POST", f"{C}/{c}/results", {"title": "Plan"})
    return Made({"consultation_id": c, "result_id": r["id"]}, {"result_id": r["id"]})


def _ungroup_api(made: Made | None) -> dict[str, Any]:
    return {"submission_ids": [made.extra["submission_id"]] if made else []}


def _ungroup(made: Made | None) -> dict[str, Any]:
    return {"inputs": [made.extra["submission_id"]] if made else []}


def _milestone(made: Made | None) -> dict[str, Any]:
    r = made.extra["result_id"] if made else 1
    return {"milestone-result": r, "milestone-on": "2027-03-01", "milestone-title": "Review"}


def _assign(made: Made | None) -> dict[str, Any]:
    if made is None:
        return {"theme": 1, "inputs": []}
    return {"theme": made.extra["theme_id"], "inputs": [made.extra["submission_id"]]}


def _merge(made: Made | None) -> dict[str, Any]:
    # Into itself: the service refuses (400), the form shown again; the refusals are the point.
    t = made.extra["theme_id"] if made else 1
    return {"into": t, "themes": [t]}


def _respond(made: Made | None) -> dict[str, Any]:
    t = made.ids["theme_id"] if made else 1
    return {f"t{t}-{k}": v for k, v in RESPONSE.items()}


RESPONSE = {
    "response": "taken_up",
    "reason": "The plan now funds youth centres.",
    "change_link": "https://example.org/plan/v2",
}
REPORT = {"reason": "Names a person who is at risk."}
# Below k participants: the figures stay hidden (409) for everyone who may see them.
HIDDEN = S(409)

API_ENTRIES: dict[str, Entry] = {
    # A public consultation is the unit's alone in the platform: civil society takes part
    # through the link, so to everyone else it does not exist (as a missing id).
    "POST /consultations/{consultation_id}/public-link": Entry(
        consultation_public, "sam", outsider="alice"
    ),
    "POST /consultations/{consultation_id}/public-link/revoke": Entry(
        consultation_public_linked, "sam", outsider="alice"
    ),
    "GET /consultations/{consultation_id}": Entry(
        consultation_open, "sam", readers=("cso",), outsider="alice"
    ),
    "POST /consultations/{consultation_id}/move": Entry(
        consultation_open, "sam", forbidden=("cso",), outsider="alice", body={"to": "closed"}
    ),
    "POST /consultations/{consultation_id}/submissions": Entry(
        # The unit sees its consultation but does not take part in it.
        consultation_open,
        "cso",
        forbidden=("sam",),
        outsider="alice",
        body=_answers,
    ),
    "GET /consultations/{consultation_id}/submissions": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice"
    ),
    "GET /consultations/{consultation_id}/mine": Entry(
        # The unit has no input of its own in it.
        consultation_closed,
        "cso",
        also={"sam": S(404)},
        outsider="alice",
    ),
    "GET /consultations/{consultation_id}/opinion-map": Entry(
        consultation_closed, "sam", expect=HIDDEN, also={"cso": HIDDEN}, outsider="alice"
    ),
    "GET /consultations/{consultation_id}/theme-proposals": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice"
    ),
    "POST /consultations/{consultation_id}/themes": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice", body={"title": "Youth"}
    ),
    "POST /consultations/themes/{theme_id}/inputs": Entry(
        theme, "sam", forbidden=("cso",), outsider="alice", body={"submission_ids": []}
    ),
    "POST /consultations/themes/{theme_id}/response": Entry(
        theme, "sam", forbidden=("cso",), outsider="alice", body=RESPONSE
    ),
    "POST /consultations/{consultation_id}/results": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice", body={"title": "Plan"}
    ),
    "POST /consultations/{consultation_id}/results/{result_id}/milestones": Entry(
        result_in_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body={"title": "Review", "on": "2027-03-01"},
    ),
    "POST /consultations/{consultation_id}/inputs/ungroup": Entry(
        theme_in_closed, "sam", forbidden=("cso",), outsider="alice", body=_ungroup_api
    ),
    "GET /consultations/{consultation_id}/export.csv": Entry(
        consultation_closed, "sam", expect=HIDDEN, forbidden=("cso",), outsider="alice"
    ),
    "GET /consultations/{consultation_id}/inputs": Entry(
        consultation_closed, "sam", also={"cso": HIDDEN}, outsider="alice"
    ),
    "POST /consultations/{consultation_id}/inputs/{submission_id}/report": Entry(
        # The author does not report their own input; the unit may.
        consultation_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body=REPORT,
    ),
    "POST /consultations/{consultation_id}/inputs/{submission_id}/moderate": Entry(
        # Nothing was reported, so there is nothing to decide (409).
        consultation_closed,
        "sam",
        expect=S(409),
        forbidden=("cso",),
        outsider="alice",
        body={"decision": "reinstated"},
    ),
    "POST /consultations/{consultation_id}/mine/appeal": Entry(
        # The input is not hidden: nothing to appeal (409); the unit has no input (404).
        consultation_closed,
        "cso",
        expect=S(409),
        also={"sam": S(404)},
        outsider="alice",
        body={"text": "It names nobody at all."},
    ),
}


def _page_answers(made: Made | None) -> dict[str, Any]:
    q = made.extra["text_q"] if made else 1
    return {f"q{q}": "Fund youth centres", "language": "en"}


# Pages answer a form with errors by showing it again (400) and a done act by a redirect (302).
PAGE_DONE = S(200, 302, 400)
CONFIGURE_FORM = {
    "title": "Schools programme",
    "subject_kind": "programme",
    "subject": "Schools programme 2027",
    "audience": "all_csos",
    "mode": "identified",
    "languages": ["en", "ar"],
    "q-TOTAL_FORMS": "1",
    "q-INITIAL_FORMS": "0",
    "q-0-kind": "text",
    "q-0-text": "What should change?",
}

PAGE_ENTRIES: dict[str, Entry] = {
    "consultation-public-link": Entry(consultation_public, "sam", outsider="alice"),
    "consultation": Entry(consultation_open, "sam", readers=("cso",), outsider="alice"),
    "consultation-submit": Entry(
        consultation_open, "cso", forbidden=("sam",), outsider="alice", body=_page_answers
    ),
    "consultation-move": Entry(
        consultation_open, "sam", forbidden=("cso",), outsider="alice", body={"to": "closed"}
    ),
    "consultation-opinion-map": Entry(
        consultation_closed, "sam", expect=HIDDEN, also={"cso": HIDDEN}, outsider="alice"
    ),
    "consultation-report": Entry(
        # The unit reads its synthesis at once; civil society once the response is published.
        consultation_closed,
        "sam",
        also={"cso": S(409)},
        outsider="alice",
    ),
    # --- The unit's management pages: a participant sees the consultation, may not manage it.
    "consultation-edit": Entry(
        # A draft is the unit's alone: nobody else knows it exists.
        consultation_draft,
        "sam",
        outsider="alice",
        expect=PAGE_DONE,
    ),
    "consultation-themes": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice", expect=PAGE_DONE
    ),
    "consultation-theme-new": Entry(
        consultation_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body={"title": "Youth"},
        expect=PAGE_DONE,
    ),
    "consultation-theme-assign": Entry(
        theme_in_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body=_assign,
        expect=PAGE_DONE,
    ),
    "consultation-theme-merge": Entry(
        theme_in_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body=_merge,
        expect=PAGE_DONE,
    ),
    "consultation-theme-rename": Entry(
        theme, "sam", forbidden=("cso",), outsider="alice", body={"title": "Youth work"}
    ),
    "consultation-theme-ungroup": Entry(
        theme_in_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body=_ungroup,
        expect=PAGE_DONE,
    ),
    "consultation-results": Entry(
        # The unit reads its results at once; civil society once the response is published.
        consultation_closed,
        "sam",
        also={"cso": S(409)},
        outsider="alice",
    ),
    "consultation-result-add": Entry(
        consultation_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body={
            "result-title": "Plan",
            "result-weight": "1",
            "result-status": "planned",
            "result-progress": "0",
        },
        expect=PAGE_DONE,
    ),
    "consultation-milestone-add": Entry(
        result_in_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body=_milestone,
        expect=PAGE_DONE,
    ),
    "consultation-answers": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice", expect=PAGE_DONE
    ),
    "consultation-theme-respond": Entry(
        theme, "sam", forbidden=("cso",), outsider="alice", body=_respond, expect=PAGE_DONE
    ),
    "consultation-publish": Entry(
        # Closed, not yet in synthesis, one input without a response: refused (409).
        consultation_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        expect=S(409),
    ),
    "consultation-moderation": Entry(
        consultation_closed, "sam", forbidden=("cso",), outsider="alice", expect=PAGE_DONE
    ),
    "consultation-moderate": Entry(
        # Nothing was reported, so there is nothing to decide (409).
        consultation_closed,
        "sam",
        forbidden=("cso",),
        outsider="alice",
        body={"decision": "reinstated"},
        expect=S(409),
    ),
}

# Public pages with an id, opened without an account by the page walks: each maker returns the
# page's address (the link's token is made by the unit, so no fixed person stands for it).
PUBLIC_VISITS: dict[str, Callable[[Any], str]] = {"consultation-public": public_page_url}
