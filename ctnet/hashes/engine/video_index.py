"""Matching vPDQ video hashes the way HMA's vPDQ matcher does, on per-frame PDQ comparisons.

A query frame matches a banked frame when their PDQ hashes are within the per-frame distance
(31). On each side, frames under the quality threshold are dropped and identical frames counted
once; then

* the *query match percent* is the share of the query's unique frames that matched some frame of
  the banked video, and
* the *compared match percent* is the share of the banked video's unique frames that matched.

A banked video is a possible match when both reach their thresholds (80 % and 0 %, HMA's
defaults: a short clip cut from a long banked video still matches). ``compare_videos`` does this
for one pair by brute force, the reference; ``VideoIndex`` does it against every banked video at
once through the engine's PDQ index, one range query per unique query frame, so its cost grows
with the frames that are close, not with the size of the bank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ctnet.hashes.engine.index import PdqIndex
from ctnet.hashes.engine.signals import (
    VPDQ_COMPARED_MATCH_PERCENT,
    VPDQ_FRAME_MAX_DISTANCE,
    VPDQ_MIN_QUALITY,
    VPDQ_QUERY_MATCH_PERCENT,
    PdqSignal,
    VpdqFrame,
    match_percentages,
    usable_frames,
)


@dataclass(frozen=True, slots=True)
class VideoMatch:
    query_percent: float
    compared_percent: float
    query_threshold: float = VPDQ_QUERY_MATCH_PERCENT
    compared_threshold: float = VPDQ_COMPARED_MATCH_PERCENT

    @property
    def is_match(self) -> bool:
        return (
            self.query_percent > 0
            and self.query_percent >= self.query_threshold
            and self.compared_percent >= self.compared_threshold
        )


@dataclass(frozen=True, slots=True)
class VideoHit:
    """A banked video that possibly matches: a person reviews it (no automated decision)."""

    signal_id: int
    query_percent: float
    compared_percent: float

    @property
    def distance(self) -> int:
        """``VpdqSignal.distance``: percentage points of query frames left unmatched."""
        return int(np.ceil(100 - self.query_percent))


def compare_videos(
    query: list[VpdqFrame],
    compared: list[VpdqFrame],
    *,
    frame_distance: int = VPDQ_FRAME_MAX_DISTANCE,
    min_quality: int = VPDQ_MIN_QUALITY,
) -> VideoMatch:
    """Match percentages of two videos, every frame against every frame (the reference)."""
    query_percent, compared_percent = match_percentages(
        query, compared, frame_distance=frame_distance, min_quality=min_quality
    )
    return VideoMatch(query_percent, compared_percent)


class VideoIndex:
    """Every banked video's unique usable frames in one PDQ index. Build once; immutable.

    A frame shared by several videos (a logo card, the same clip in two banks) is stored once and
    points at each of them (``_video_offsets``/``_video_rows``, a CSR layout).
    """

    def __init__(
        self,
        pdq: PdqIndex | None,
        frame_offsets: np.ndarray,
        frame_videos: np.ndarray,
        video_ids: np.ndarray,
        video_frames: np.ndarray,
        min_quality: int,
    ) -> None:
        self._pdq = pdq
        self._frame_offsets = frame_offsets
        self._frame_videos = frame_videos
        self._video_ids = video_ids
        self._video_frames = video_frames
        self.min_quality = min_quality

    def __len__(self) -> int:
        """Videos indexed (those with at least one usable frame)."""
        return int(self._video_ids.shape[0])

    @property
    def frames(self) -> int:
        return 0 if self._pdq is None else len(self._pdq)

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[int, list[VpdqFrame]]],
        *,
        min_quality: int = VPDQ_MIN_QUALITY,
        checkpoint: int = 0,
    ) -> VideoIndex:
        """Index ``(signal_id, frames)`` entries; videos without a usable frame are left out."""
        rows: dict[str, int] = {}
        pairs: list[tuple[int, int]] = []  # (frame row, video number)
        ids: list[int] = []
        counts: list[int] = []
        for signal_id, frames in entries:
            unique = dict.fromkeys(f.pdq for f in frames if f.quality >= min_quality)
            if not unique:
                continue
            video = len(ids)
            ids.append(signal_id)
            counts.append(len(unique))
            pairs.extend((rows.setdefault(pdq, len(rows)), video) for pdq in unique)
        pdq = None
        if rows:
            hashes = PdqSignal.to_bytes(list(rows))
            pdq = PdqIndex.build(np.arange(len(rows), dtype=np.int64), hashes, checkpoint)
        pair_array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        order = np.argsort(pair_array[:, 0], kind="stable")
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(pair_array[:, 0], minlength=len(rows)), out=offsets[1:])
        return cls(
            pdq,
            offsets,
            pair_array[order, 1],
            np.asarray(ids, dtype=np.int64),
            np.asarray(counts, dtype=np.int64),
            min_quality,
        )

    def query(
        self,
        frames: list[VpdqFrame],
        *,
        frame_distance: int = VPDQ_FRAME_MAX_DISTANCE,
        query_threshold: float = VPDQ_QUERY_MATCH_PERCENT,
        compared_threshold: float = VPDQ_COMPARED_MATCH_PERCENT,
    ) -> list[VideoHit]:
        """Banked videos reaching both thresholds, best query percentage first."""
        queries = usable_frames(frames, self.min_quality)
        if self._pdq is None or not len(queries):
            return []
        qidx, rows, _dist = self._pdq.query_arrays(queries, frame_distance)
        # Each (query frame, banked frame) pair counts for every video holding that frame.
        starts = self._frame_offsets[rows]
        lengths = self._frame_offsets[rows + 1] - starts
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(
            int(lengths.sum())
        )
        videos = self._frame_videos[positions]
        query_frames = np.repeat(qidx, lengths)
        banked_frames = np.repeat(rows, lengths)
        n = len(self)
        query_hits = _count_unique(videos, query_frames, n)
        banked_hits = _count_unique(videos, banked_frames, n)
        query_pct = query_hits * 100 / len(queries)
        compared_pct = banked_hits * 100 / np.maximum(self._video_frames, 1)
        keep = np.flatnonzero(
            (query_hits > 0) & (query_pct >= query_threshold) & (compared_pct >= compared_threshold)
        )
        keep = keep[np.lexsort((self._video_ids[keep], -query_pct[keep]))]
        return [
            VideoHit(int(self._video_ids[v]), float(query_pct[v]), float(compared_pct[v]))
            for v in keep
        ]


def _count_unique(videos: np.ndarray, frames: np.ndarray, n_videos: int) -> np.ndarray:
    """For each video, how many distinct ``frames`` appear with it."""
    if not videos.size:
        return np.zeros(n_videos, dtype=np.int64)
    keys = np.unique(videos * (int(frames.max()) + 1) + frames)
    return np.bincount(keys // (int(frames.max()) + 1), minlength=n_videos)
