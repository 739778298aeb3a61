"""The opinion map of agree/disagree statements, by the Pol.is method.

Votes form a participants x statements matrix (agree 1, disagree -1, pass or unseen 0). PCA
projects it to two dimensions; k-means groups the participants, with k from 2 to 5 chosen by the
silhouette score; then, per statement, each group's agreement. A *consensus* statement is one
that every group agrees with (or every group rejects); a *divisive* statement is one on which the
groups differ most. scikit-learn does the linear algebra; nothing here is hand-written numerics
beyond counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

GROUPS = range(2, 6)  # Pol.is looks for 2 to 5 opinion groups
# The silhouette is quadratic in the participants: it is estimated on a sample above this size.
SILHOUETTE_SAMPLE = 2000
# A statement is consensus when every group's agreement (or every group's disagreement) is at
# least this share of its members; below it, groups merely lean.
CONSENSUS_SHARE = 0.6
# Statements listed as consensus or divisive, at most.
LISTED = 5
SEED = 0


@dataclass
class Group:
    size: int
    agree: list[float]  # per statement: share of the group that agrees
    disagree: list[float]


@dataclass
class OpinionMap:
    points: np.ndarray  # (participants, 2)
    labels: np.ndarray  # (participants,)
    groups: list[Group]
    consensus: list[int] = field(default_factory=list)  # statement indices
    divisive: list[int] = field(default_factory=list)


def opinion_map(votes: np.ndarray) -> OpinionMap:
    """The map of a (participants, statements) matrix of -1/0/1 votes; at least 3 participants
    and 1 statement."""
    votes = np.asarray(votes, dtype=np.float32)
    n, m = votes.shape
    if n < 3 or m < 1:
        raise ValueError("an opinion map needs at least 3 participants and 1 statement")
    components = min(2, m, n)
    points = PCA(n_components=components, random_state=SEED).fit_transform(votes)
    if components == 1:
        points = np.hstack([points, np.zeros((n, 1), dtype=points.dtype)])
    labels = _groups(points)
    groups = []
    for g in sorted(set(labels.tolist())):
        member = votes[labels == g]
        groups.append(
            Group(
                size=len(member),
                agree=(member > 0).mean(axis=0).round(3).tolist(),
                disagree=(member < 0).mean(axis=0).round(3).tolist(),
            )
        )
    agree = np.array([g.agree for g in groups])
    disagree = np.array([g.disagree for g in groups])
    strength = np.maximum(agree.min(axis=0), disagree.min(axis=0))
    consensus = [int(i) for i in np.argsort(-strength) if strength[i] >= CONSENSUS_SHARE]
    spread = agree.max(axis=0) - agree.min(axis=0)
    divisive = [int(i) for i in np.argsort(-spread) if spread[i] > 0 and i not in consensus]
    return OpinionMap(points, labels, groups, consensus[:LISTED], divisive[:LISTED])


def _groups(points: np.ndarray) -> np.ndarray:
    n = len(points)
    best, best_score = np.zeros(n, dtype=int), -2.0
    sample = min(n, SILHOUETTE_SAMPLE)
    # Identical voters sit on one point: never ask for more groups than there are points.
    distinct = len(np.unique(points.round(6), axis=0))
    for k in GROUPS:
        if k >= n or k > distinct:
            break
        labels = KMeans(n_clusters=k, n_init=3, random_state=SEED).fit_predict(points)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(points, labels, sample_size=sample, random_state=SEED))
        if score > best_score:
            best, best_score = labels, score
    return best


COLOURS = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")
SIZE = 320
CELLS = 32  # the map is drawn as a density grid, never one dot per person


def svg(result: OpinionMap, *, title: str, group_label: str) -> str:
    """A small SVG: each group's participants counted in a grid of cells, a circle per cell
    whose area follows the count. No point is a person, and 10,000 participants still draw as
    at most CELLS x CELLS shapes per group."""
    pts = result.points
    low, high = pts.min(axis=0), pts.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    cells = np.clip(((pts - low) / span * (CELLS - 1)).round().astype(int), 0, CELLS - 1)
    step = SIZE / CELLS
    shapes = []
    for g in range(len(result.groups)):
        keys, counts = np.unique(cells[result.labels == g], axis=0, return_counts=True)
        top = counts.max() if len(counts) else 1
        for (x, y), c in zip(keys.tolist(), counts.tolist(), strict=True):
            r = step / 2 * (0.35 + 0.65 * (c / top) ** 0.5)
            shapes.append(
                f'<circle cx="{(x + 0.5) * step:.1f}" cy="{(y + 0.5) * step:.1f}" '
                f'r="{r:.1f}" fill="{COLOURS[g % len(COLOURS)]}" fill-opacity="0.7"/>'
            )
    legend = "".join(
        f'<text x="4" y="{SIZE + 16 + 16 * i}" font-size="12" fill="{COLOURS[i % len(COLOURS)]}">'
        f"{escape(group_label)} {i + 1}: {g.size}</text>"
        for i, g in enumerate(result.groups)
    )
    height = SIZE + 20 + 16 * len(result.groups)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{SIZE}" height="{SIZE}" fill="#f7f7f7"/>{"".join(shapes)}{legend}</svg>'
    )
