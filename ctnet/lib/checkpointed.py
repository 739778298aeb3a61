"""A value each process builds once and swaps when the shared checkpoint moves.

Screening's candidate index and the hash banks' match index follow the same pattern: the
database holds a small ``(epoch, checkpoint)`` row that every write moves; each process keeps the
index built for the state it last saw, and before each use reads the row (one single-row query)
and rebuilds only when it moved. So a query always sees every change committed before it started,
and no web process holds state that another cannot rebuild (DESIGN.md, Serving).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
State = tuple[str, int]  # (epoch of the database, checkpoint)


class CheckpointedHolder(Generic[T]):
    """Holds one ``T`` per process, keyed by the state it was built at."""

    def __init__(self, read_state: Callable[[], State], build: Callable[[State], T]) -> None:
        self._read_state = read_state
        self._build = build
        self._lock = threading.Lock()
        self._held: tuple[State, T] | None = None

    def get(self) -> T:
        """The value for the current state, built (once, whatever the threads) if it moved."""
        state = self._read_state()
        held = self._held
        if held is not None and held[0] == state:
            return held[1]
        with self._lock:
            # Double-checked: another thread may have built it while this one waited.
            if self._held is None or self._held[0] != state:
                self._held = (state, self._build(state))
            return self._held[1]

    def held(self) -> T | None:
        """What is held now, without reading the state or building (None before the first use)."""
        held = self._held
        return None if held is None else held[1]

    def reset(self) -> None:
        """Forget the held value (tests, whose rolled-back checkpoints repeat)."""
        with self._lock:
            self._held = None
