"""Similar practices and near-duplicates, by cosine of the multilingual embeddings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ctnet.practices.access import visible_practices
from ctnet.practices.engine import embedder
from ctnet.practices.models import Practice
from ctnet.practices.tasks import embedding_text, text_digest
from ctnet.practices.vectors import current_index

# Above this cosine a new submission is flagged as a possible duplicate of a published practice.
# Calibrated on the demo library: a re-submission scores 0.99, an English translation of a French
# practice 0.81, while two distinct practices score at most 0.78 (99th percentile 0.66; see
# docs/practices.md). A warning, never a refusal: a person decides.
DUPLICATE_COSINE = 0.80
# Below this, "similar" is noise: unrelated practices of the library score about 0.2-0.35.
SIMILAR_MIN_COSINE = 0.40


@dataclass(frozen=True)
class Neighbour:
    id: int
    title: str
    language: str
    originator: str
    score: float


def practice_vector(practice: Practice) -> np.ndarray:
    """The stored embedding if it matches the current text, else one computed now."""
    text = embedding_text(practice)
    if practice.embedding is not None and practice.embedding_digest == text_digest(text):
        return embedder.from_bytes(bytes(practice.embedding))
    return embedder.encode_one(text)


def similar_practices(
    user: Any, practice: Practice, *, limit: int = 5, min_cosine: float = SIMILAR_MIN_COSINE
) -> list[Neighbour]:
    """Published practices this user may see, nearest to ``practice`` first."""
    index = current_index()
    hits = [
        (pk, score)
        for pk, score in index.nearest(practice_vector(practice), limit * 4 + 1)
        if pk != practice.pk and score >= min_cosine
    ]
    if not hits:
        return []
    rows = {
        p.pk: p
        for p in visible_practices(user)
        .filter(pk__in=[pk for pk, _ in hits])
        .select_related("originator")
    }
    out = [
        Neighbour(pk, rows[pk].title, rows[pk].language, rows[pk].originator.code, round(score, 4))
        for pk, score in hits
        if pk in rows
    ]
    return out[:limit]


def near_duplicates(user: Any, practice: Practice) -> list[Neighbour]:
    return similar_practices(user, practice, limit=5, min_cosine=DUPLICATE_COSINE)
