"""The opinion map of a consultation's agree/disagree statements, from its stored votes."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from ctnet.consultations.engine.opinion import OpinionMap, opinion_map, svg
from ctnet.consultations.models import Answer, Consultation, QuestionKind
from ctnet.consultations.policy import policy


def vote_matrix(c: Consultation) -> tuple[np.ndarray, list[Any]]:
    """(participants x statements votes, the statement questions); pass and unseen are 0."""
    statements = list(c.questions.filter(kind=QuestionKind.STATEMENT))
    column = {q.pk: i for i, q in enumerate(statements)}
    rows: dict[Any, int] = {}
    votes: list[tuple[int, int, int]] = []
    answers = Answer.objects.filter(question__in=statements, submission__hidden=False).values_list(
        "submission_id", "question_id", "stance"
    )
    for submission_id, question_id, stance in answers:
        row = rows.setdefault(submission_id, len(rows))
        votes.append((row, column[question_id], stance or 0))
    matrix = np.zeros((len(rows), len(statements)), dtype=np.float32)
    for row, col, stance in votes:
        matrix[row, col] = stance
    return matrix, statements


def map_for(c: Consultation) -> tuple[OpinionMap, list[Any]] | None:
    """The map, or None while it must stay hidden (open, or fewer than k who voted)."""
    matrix, statements = vote_matrix(c)
    if not statements or not policy.sees_breakdowns(c, len(matrix), settings.CONSULTATIONS_K):
        return None
    return opinion_map(matrix), statements


def summary(c: Consultation) -> dict[str, Any] | None:
    found = map_for(c)
    if found is None:
        return None
    result, statements = found
    return {
        "groups": [
            {"size": g.size, "agree": g.agree, "disagree": g.disagree} for g in result.groups
        ],
        "statements": [q.pk for q in statements],
        "consensus": [statements[i].pk for i in result.consensus],
        "divisive": [statements[i].pk for i in result.divisive],
    }


def map_svg(c: Consultation) -> str | None:
    found = map_for(c)
    if found is None:
        return None
    return svg(found[0], title=_("Opinion groups"), group_label=_("Group"))
