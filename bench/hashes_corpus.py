"""Seeded synthetic PDQ corpus for bench_hashes.py, clustered like real hash collections.

Real banks are not uniform: one piece of propaganda is re-uploaded in hundreds of crops and
re-encodes, so hashes come in tight clusters (members a few bits from a centre) over a background
of unrelated images. Clusters are the hard case for a multi-index table (big buckets), so the
benchmark must have them. Built in chunks to keep the temporary memory small at 10 million.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Share of the corpus that belongs to clusters, and the mean cluster size.
CLUSTERED_SHARE = 0.3
MEAN_CLUSTER_SIZE = 40
#: Members are at most this many bits from their centre (re-encodes, resizes).
MAX_MEMBER_FLIPS = 12
_CHUNK = 1_000_000


@dataclass(frozen=True)
class Corpus:
    hashes: np.ndarray  # (n, 32) uint8
    queries: np.ndarray  # (q, 32) uint8
    planted_rows: np.ndarray  # bank row each planted query was made from (-1: unrelated query)
    planted_distance: np.ndarray  # exact distance of the planted query to that row


def random_flips(rng: np.random.Generator, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """XOR up to ``counts[i]`` random bits into row i (a position may repeat: 'up to')."""
    out = rows.copy()
    for j in range(int(counts.max(initial=0))):
        active = np.flatnonzero(counts > j)
        bit = rng.integers(0, 256, size=active.size)
        out[active, bit // 8] ^= (1 << (bit % 8)).astype(np.uint8)
    return out


def exact_flips(rng: np.random.Generator, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Copy of ``rows`` with exactly ``counts[i]`` distinct bits flipped in row i."""
    bits = np.unpackbits(rows, axis=1)
    for i, count in enumerate(counts):
        bits[i, rng.choice(256, size=int(count), replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def make_corpus(size: int, n_queries: int, seed: int = 1) -> Corpus:
    rng = np.random.default_rng(seed)
    hashes = np.empty((size, 32), dtype=np.uint8)
    n_clustered = int(size * CLUSTERED_SHARE)
    n_centres = max(1, n_clustered // MEAN_CLUSTER_SIZE)
    centres = rng.integers(0, 256, size=(n_centres, 32), dtype=np.uint8)
    # Heavy-tailed popularity (Pareto, shape 2): most items have a few variants, a few have
    # thousands, as with a widely re-shared propaganda image.
    weights = rng.pareto(2.0, size=n_centres) + 1.0
    weights /= weights.sum()
    for start in range(0, n_clustered, _CHUNK):
        stop = min(n_clustered, start + _CHUNK)
        which = rng.choice(n_centres, size=stop - start, p=weights)
        flips = rng.integers(0, MAX_MEMBER_FLIPS + 1, size=stop - start)
        hashes[start:stop] = random_flips(rng, centres[which], flips)
    for start in range(n_clustered, size, _CHUNK):
        stop = min(size, start + _CHUNK)
        hashes[start:stop] = rng.integers(0, 256, size=(stop - start, 32), dtype=np.uint8)
    # Shuffle so that clusters are not contiguous in memory (as in a bank filled over years).
    hashes = hashes[rng.permutation(size)]
    # Half the queries are planted near-duplicates at known distances 0..31, half unrelated.
    n_planted = n_queries // 2
    rows = rng.choice(size, size=n_planted, replace=False)
    distance = rng.integers(0, 32, size=n_planted)
    planted = exact_flips(rng, hashes[rows], distance)
    unrelated = rng.integers(0, 256, size=(n_queries - n_planted, 32), dtype=np.uint8)
    return Corpus(
        hashes=hashes,
        queries=np.vstack([planted, unrelated]),
        planted_rows=np.concatenate([rows, np.full(n_queries - n_planted, -1)]),
        planted_distance=np.concatenate([distance, np.full(n_queries - n_planted, -1)]),
    )
