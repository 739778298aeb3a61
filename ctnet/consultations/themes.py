"""Theme proposals and the anonymised export of a consultation's inputs."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from django.http import HttpResponse

from ctnet.consultations.engine.grouping import choose_groups
from ctnet.consultations.models import Consultation, QuestionKind, Stance, Submission
from ctnet.lib.csvsafe import csv_text
from ctnet.practices.engine.embedder import encode

# Inputs grouped in one proposal; beyond, the unit proposes again for what is left.
MAX_PROPOSED = 5000
SAMPLE = 3


def input_texts(c: Consultation, *, limit: int = MAX_PROPOSED) -> list[tuple[Submission, str]]:
    """Inputs not yet in a theme, with the text of their free-text answers."""
    subs = (
        c.submissions.filter(theme__isnull=True, hidden=False)
        .prefetch_related("answers__question")
        .order_by("id")[:limit]
    )
    out = []
    for s in subs:
        text = "\n".join(
            a.text for a in s.answers.all() if a.question.kind == QuestionKind.TEXT and a.text
        )
        if text:
            out.append((s, text))
    return out


def propose(c: Consultation) -> list[dict[str, Any]]:
    items = input_texts(c)
    if not items:
        return []
    labels = choose_groups(encode([text for _, text in items]))
    groups: dict[int, list[tuple[Submission, str]]] = defaultdict(list)
    for (s, text), label in zip(items, labels, strict=True):
        groups[int(label)].append((s, text))
    proposals = [
        {
            "submission_ids": [str(s.pk) for s, _ in members],
            "languages": sorted({s.language for s, _ in members}),
            "sample": [text[:300] for _, text in members[:SAMPLE]],
        }
        for members in groups.values()
    ]
    return sorted(proposals, key=lambda p: -len(p["submission_ids"]))


HEADER = ["question", "kind", "answer", "language", "day", "theme", "response"]


def export_rows(c: Consultation) -> list[list[Any]]:
    """One row per answer, with nothing of the sender and no submission key."""
    rows = []
    stance = {s.value: s.name.lower() for s in Stance}
    subs = (
        c.submissions.filter(hidden=False)
        .select_related("theme")
        .prefetch_related("answers__question")
    )
    for s in subs:
        theme = s.theme
        for a in s.answers.all():
            if a.question.kind == QuestionKind.STATEMENT:
                value = stance.get(a.stance, "") if a.stance is not None else ""
            elif a.question.kind == QuestionKind.TEXT:
                value = a.text
            else:
                value = "; ".join(a.selected)
            rows.append(
                [
                    a.question.position,
                    a.question.kind,
                    value,
                    s.language,
                    s.submitted_on.isoformat(),
                    theme.title if theme else "",
                    theme.response if theme else "",
                ]
            )
    # Shuffled: neither the storage order nor a sort by key can line rows up with senders.
    random.SystemRandom().shuffle(rows)
    return rows


def csv_response(c: Consultation) -> HttpResponse:
    response = HttpResponse(csv_text(HEADER, export_rows(c)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="consultation-{c.pk}.csv"'
    return response
