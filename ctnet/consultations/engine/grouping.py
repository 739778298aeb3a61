"""Proposed groups of inputs, from their multilingual sentence embeddings.

The embeddings (USE-multilingual, ``practices/engine/embedder.py``) put the same idea in Arabic,
French or Chinese close together, so grouping the vectors groups across languages. k-means with
the number of groups chosen by the silhouette score (the mean of how much closer each input is to
its own group than to the next), the standard choice when nobody knows k in advance. These are
proposals: a person forms the themes.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

# More groups than this is no longer a proposal a person can read through.
MAX_GROUPS = 12
# The silhouette is estimated on a sample above this size: it is quadratic in the inputs.
SILHOUETTE_SAMPLE = 2000
SEED = 0


def choose_groups(vectors: np.ndarray, *, max_groups: int = MAX_GROUPS) -> np.ndarray:
    """One group label per row of ``vectors``; k in 2..max_groups by silhouette."""
    n = len(vectors)
    if n < 3:
        return np.zeros(n, dtype=int)
    best_labels, best_score = np.zeros(n, dtype=int), -1.0
    sample = min(n, SILHOUETTE_SAMPLE)
    for k in range(2, min(max_groups, n - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=SEED).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(vectors, labels, sample_size=sample, random_state=SEED))
        if score > best_score:
            best_labels, best_score = labels, score
    return best_labels
