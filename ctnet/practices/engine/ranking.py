"""Ranking: brute-force cosine over a matrix of unit vectors, and the fusion with full-text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

# Hybrid score = cosine + FULLTEXT_BONUS / sqrt(full-text rank), for the first FULLTEXT_DEPTH
# full-text hits. The cosine is an absolute measure of closeness across languages, so it leads;
# a literal match of the query's words is extra evidence that lifts a practice among neighbours
# of similar cosine (relevant and irrelevant practices differ by about 0.1-0.2 of cosine).
# Chosen on bench/practices_queries.jsonl against reciprocal rank fusion, which let the many
# weak full-text matches of common words push the cross-language hits down (docs/practices.md).
FULLTEXT_BONUS = 0.05
FULLTEXT_DEPTH = 10


def top_k(matrix: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> list:
    """Indices and cosines of the ``k`` rows nearest to ``query`` (unit vectors), best first."""
    if matrix.shape[0] == 0 or k <= 0:
        return []
    scores = matrix @ query
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    k = min(k, scores.shape[0])
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return [(int(i), float(scores[i])) for i in order if np.isfinite(scores[i])]


def fuse(
    cosines: Mapping[int, float],
    fulltext_ranking: Sequence[int],
    *,
    bonus: float = FULLTEXT_BONUS,
    depth: int = FULLTEXT_DEPTH,
) -> dict[int, float]:
    """Hybrid score of every candidate; one without a vector (not yet embedded) counts 0."""
    scores = {pk: float(c) for pk, c in cosines.items()}
    for rank, pk in enumerate(fulltext_ranking[:depth], start=1):
        scores[pk] = scores.get(pk, 0.0) + bonus / math.sqrt(rank)
    for pk in fulltext_ranking[depth:]:
        scores.setdefault(pk, 0.0)
    return scores
