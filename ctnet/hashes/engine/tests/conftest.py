"""Helpers shared by the engine tests (no database: plain pytest functions)."""

from __future__ import annotations

import numpy as np


def flip_bits(rng: np.random.Generator, hashes: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """Copy of ``hashes`` (n, 32) with exactly ``distances[i]`` distinct bits flipped in row i."""
    bits = np.unpackbits(hashes, axis=1)
    for i, d in enumerate(distances):
        bits[i, rng.choice(256, size=int(d), replace=False)] ^= 1
    return np.packbits(bits, axis=1)
