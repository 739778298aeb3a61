"""vPDQ as a signal type and its matcher, on frames made here (no video decoding needed)."""

import json

import numpy as np
import pytest

from ctnet.hashes.engine.errors import InvalidSignal
from ctnet.hashes.engine.signals import (
    SIGNAL_TYPES,
    VPDQ_QUERY_MATCH_PERCENT,
    PdqSignal,
    VpdqFrame,
    VpdqSignal,
)
from ctnet.hashes.engine.video_index import VideoIndex, compare_videos

from .conftest import flip_bits


def _video(rng: np.random.Generator, n: int, quality: int = 90) -> list[VpdqFrame]:
    hashes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    return [VpdqFrame(PdqSignal.from_bytes(h), quality, float(i)) for i, h in enumerate(hashes)]


def _noisy(rng: np.random.Generator, frames: list[VpdqFrame], bits: int) -> list[VpdqFrame]:
    """The same video re-encoded: every frame a few bits away."""
    hashes = PdqSignal.to_bytes([f.pdq for f in frames])
    moved = flip_bits(rng, hashes, np.full(len(frames), bits))
    return [
        VpdqFrame(PdqSignal.from_bytes(h), f.quality, f.timestamp)
        for h, f in zip(moved, frames, strict=True)
    ]


def test_text_form_is_threatexchanges_and_is_normalised():
    pdq = "AB" * 32
    # As python-threatexchange writes it (its timestamps have three significant digits).
    raw = json.dumps([f"{pdq},100,0.0", f"{pdq.lower()},49,1.23e+02"])
    value = VpdqSignal.validate(raw)
    assert json.loads(value) == [f"{pdq.lower()},100,0.000", f"{pdq.lower()},49,123.000"]
    assert VpdqSignal.parse(value)[1] == VpdqFrame(pdq.lower(), 49, 123.0)
    assert SIGNAL_TYPES["vpdq"] is VpdqSignal


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "JSON list"),
        ("[]", "non-empty"),
        ('{"0": 1}', "non-empty"),
        (json.dumps(["ab,1"]), "frame 0"),
        (json.dumps([f"{'a' * 64},101,0"]), "quality must be 0-100"),
        (json.dumps([f"{'a' * 64},50,-1"]), "timestamp"),
        (json.dumps([f"{'a' * 64},50,0", f"{'g' * 64},50,1"]), "frame 1"),
    ],
)
def test_malformed_hashes_are_refused_with_the_reason(raw, message):
    with pytest.raises(InvalidSignal, match=message):
        VpdqSignal.validate(raw)


def test_index_agrees_with_brute_force_on_copies_trims_and_distinct_videos():
    rng = np.random.default_rng(7)
    bank = [_video(rng, int(n)) for n in rng.integers(5, 40, size=30)]
    index = VideoIndex.build(enumerate(bank))
    assert len(index) == 30
    queries = [
        _noisy(rng, bank[3], 12),  # re-encoded copy
        _noisy(rng, bank[5][: len(bank[5]) // 3], 8),  # trimmed clip
        _video(rng, 20),  # distinct
        bank[7][:3] + _video(rng, 9),  # a quarter of it from a banked video: under 80 %
    ]
    for query in queries:
        expected = []
        for signal_id, frames in enumerate(bank):
            result = compare_videos(query, frames)
            if result.is_match:
                expected.append((signal_id, result.query_percent, result.compared_percent))
        got = [(h.signal_id, h.query_percent, h.compared_percent) for h in index.query(query)]
        assert got == expected
    copy, trim, distinct, partial = (index.query(q) for q in queries)
    assert [(h.signal_id, h.query_percent, h.compared_percent) for h in copy] == [(3, 100, 100)]
    assert [h.signal_id for h in trim] == [5] and trim[0].compared_percent < 50
    assert distinct == [] and partial == []
    assert compare_videos(queries[3], bank[7]).query_percent < VPDQ_QUERY_MATCH_PERCENT


def test_low_quality_and_repeated_frames_do_not_count():
    rng = np.random.default_rng(8)
    banked = _video(rng, 10)
    black = VpdqFrame("0" * 64, 0, 0.0)
    # Many dark frames the same, plus the banked video: the dark ones are left out.
    query = [black] * 50 + banked
    index = VideoIndex.build([(1, [*banked, black])])
    [hit] = index.query(query)
    assert (hit.query_percent, hit.compared_percent, hit.distance) == (100, 100, 0)
    assert index.query([black]) == []
    assert VideoIndex.build([(1, [black])]).query(banked) == []
    assert VpdqSignal.distance(VpdqSignal.serialize(query), VpdqSignal.serialize(banked)) == 0
    assert VpdqSignal.matches(VpdqSignal.serialize(query), VpdqSignal.serialize(banked))


def test_a_shared_frame_counts_for_every_video_holding_it():
    rng = np.random.default_rng(9)
    logo = _video(rng, 2)
    a, b = logo + _video(rng, 2), logo + _video(rng, 2)
    index = VideoIndex.build([(10, a), (11, b)])
    assert index.frames == 6
    hits = index.query(logo)
    assert [(h.signal_id, h.query_percent, h.compared_percent) for h in hits] == [
        (10, 100, 50),
        (11, 100, 50),
    ]
    # A stricter per-frame distance finds nothing for a copy 12 bits away.
    assert index.query(_noisy(rng, a, 12), frame_distance=5) == []
