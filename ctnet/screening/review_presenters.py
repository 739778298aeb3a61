"""Presentation of what review adds to a possible match: the runs that found it again (its
sightings), the earlier decision that new evidence reopened, the queue by traveller, and the
entries due for review. Plain dicts for the API, which pages start from too; built on
``presenters`` (the hit itself), which this module does not change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from ctnet.core.models import User
from ctnet.screening.access import TravellerGroup
from ctnet.screening.models import DecisionMemory, Entry, EntryStatus, Hit, HitSighting
from ctnet.screening.presenters import entry_row_dict, hit_dict, hit_view, run_result_dict
from ctnet.screening.services.runs import RunResult


def earlier_decision_dict(memory: DecisionMemory | None) -> dict[str, Any] | None:
    """The decision on the same entry that new evidence reopened (the earlier hit may be gone)."""
    if memory is None:
        return None
    return {
        "id": memory.pk,
        "outcome": memory.outcome,
        "outcome_label": memory.get_outcome_display(),
        "hit": memory.hit_id,
        "entry_version": memory.entry_version,
        "reason": memory.reason,
        "by": memory.decided_by.get_username(),
        "at": memory.at,
    }


def hit_history_dict(hit: Hit) -> dict[str, Any]:
    return {
        "times_seen": hit.times_seen,
        "last_seen_at": hit.last_seen_at,
        "earlier_decision": earlier_decision_dict(hit.earlier_decision),
    }


def review_hit_dict(hit: Hit, user: User) -> dict[str, Any]:
    """A possible match as the review endpoints return it."""
    return {**hit_dict(hit, user), **hit_history_dict(hit)}


def review_hit_view(hit: Hit, user: User) -> dict[str, Any]:
    """A possible match as review pages show it (labels, the entry's facts, its history)."""
    return {**hit_view(hit, user), **hit_history_dict(hit)}


def sighting_dict(s: HitSighting) -> dict[str, Any]:
    return {"run": s.run_id, "at": s.at, "traveller_ref": s.traveller_ref, "score": s.score}


def traveller_group_dict(group: TravellerGroup, user: User) -> dict[str, Any]:
    """One row of the queue: a traveller and all their possible matches, best first."""
    first = group.traveller
    return {
        "traveller": {
            "name": first.traveller_name,
            "dob": first.traveller_dob,
            "nationality": first.traveller_nationality,
            "document": first.traveller_document,
        },
        "best_score": max(h.score for h in group.hits),
        "possible_matches": [review_hit_dict(h, user) for h in group.hits],
    }


def screening_answer_dict(result: RunResult, user: User) -> dict[str, Any]:
    """What a screening call answers, with what re-screening adds: hits found again keep their
    status and say how often they were seen and what was decided before."""
    data = run_result_dict(result, user)
    data["run"]["seen_again"] = result.run.seen_again
    for found, shown in zip(result.results, data["results"], strict=True):
        for hit, match in zip(found.hits, shown["possible_matches"], strict=True):
            match.update(hit_history_dict(hit))
    return data


def due_entry_dict(e: Entry, today: date | None = None) -> dict[str, Any]:
    """An entry in a page of a list's entries, with its review date and whether it is due."""
    today = today or timezone.localdate()
    return {
        **entry_row_dict(e),
        "review_date": e.review_date,
        "review_due": bool(
            e.status == EntryStatus.ACTIVE and e.review_date and e.review_date <= today
        ),
    }
