"""The in-memory semantic index: every published practice's embedding in one numpy matrix.

Vectors live in the database (``Practice.embedding``); each process builds the matrix lazily and
rebuilds it when ``SearchIndexState.version`` has moved (see ``current_index``), so the index
survives restarts and every worker sees what another one wrote. Brute-force cosine over
100,000 x 512 float32 (200 MB) takes tens of milliseconds on two cores (docs/practices.md), which
spares us an ANN structure.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection

from ctnet.practices.engine import embedder
from ctnet.practices.engine.ranking import top_k
from ctnet.practices.models import Practice, SearchIndexState
from ctnet.practices.vocab import Status

_BATCH = 2000


@dataclass
class Filters:
    """Metadata filters; not access rules (those are applied in SQL through the policy)."""

    themes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    origin_id: int | None = None
    language: str | None = None

    def accepts(self, language: str, origin_id: int, themes: list[str], regions: list[str]) -> bool:
        return (
            (not self.language or language == self.language)
            and (self.origin_id is None or origin_id == self.origin_id)
            and (not self.themes or bool(set(self.themes) & set(themes or ())))
            and (not self.regions or bool(set(self.regions) & set(regions or ())))
        )


@dataclass
class VectorIndex:
    version: int = -1
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, embedder.DIMENSION), "f4"))
    languages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U2"))
    origins: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    themes: list[frozenset[str]] = field(default_factory=list)
    regions: list[frozenset[str]] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)

    def mask(self, filters: Filters) -> np.ndarray | None:
        masks = []
        if filters.language:
            masks.append(self.languages == filters.language)
        if filters.origin_id is not None:
            masks.append(self.origins == filters.origin_id)
        if filters.themes:
            wanted = set(filters.themes)
            masks.append(np.fromiter((bool(t & wanted) for t in self.themes), bool, len(self.ids)))
        if filters.regions:
            wanted = set(filters.regions)
            masks.append(np.fromiter((bool(r & wanted) for r in self.regions), bool, len(self.ids)))
        if not masks:
            return None
        return np.logical_and.reduce(masks)

    def nearest(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list:
        """(practice id, cosine) of the ``k`` nearest published practices."""
        mask = self.mask(filters) if filters else None
        return [(int(self.ids[i]), s) for i, s in top_k(self.matrix, query, k, mask)]

    def vector_of(self, practice_id: int) -> np.ndarray | None:
        i = self.position.get(practice_id)
        return None if i is None else self.matrix[i]


def build_index(version: int) -> VectorIndex:
    rows = (
        Practice.objects.filter(status=Status.PUBLISHED, embedding__isnull=False)
        .order_by("id")
        .values_list("id", "embedding", "language", "originator_id", "themes", "regions")
    )
    ids, vectors, languages, origins, themes, regions = [], [], [], [], [], []
    for pk, blob, language, origin, theme_list, region_list in rows.iterator(chunk_size=_BATCH):
        ids.append(pk)
        vectors.append(embedder.from_bytes(bytes(blob)))
        languages.append(language)
        origins.append(origin)
        themes.append(frozenset(theme_list or ()))
        regions.append(frozenset(region_list or ()))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.DIMENSION), "f4")
    return VectorIndex(
        version=version,
        ids=np.asarray(ids, dtype=np.int64),
        matrix=np.ascontiguousarray(matrix, dtype=np.float32),
        languages=np.asarray(languages, dtype="<U2"),
        origins=np.asarray(origins, dtype=np.int64),
        themes=themes,
        regions=regions,
        position={pk: i for i, pk in enumerate(ids)},
    )


_lock = threading.Lock()
_current = VectorIndex()
_refreshing = threading.Event()


def _refresh(version: int) -> None:
    global _current
    try:
        index = build_index(version)
        with _lock:
            _current = index
    finally:
        # This thread's own database connection; Django would not close it.
        connection.close()
        _refreshing.clear()


def current_index() -> VectorIndex:
    """The index at the stored version, or the previous one while a new one is being built.

    The first build in a process is synchronous. After that, a change (a practice published,
    edited or archived) is picked up by a rebuild in a background thread — about 3 s at 100,000
    practices — while searches keep using the previous matrix: a new practice is found by
    full-text at once and by meaning seconds later, and visibility and status are checked in SQL
    on every search, so a stale matrix never shows what may not be seen. Tests rebuild at once.
    """
    global _current
    version = SearchIndexState.current()
    if _current.version == version:
        return _current
    if _current.version == -1 or settings.TESTING:
        with _lock:
            if _current.version != version:
                _current = build_index(version)
        return _current
    stale = _current
    if not _refreshing.is_set():
        _refreshing.set()
        threading.Thread(target=_refresh, args=(version,), daemon=True).start()
    return stale
