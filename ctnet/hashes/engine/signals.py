"""Signal types: one class per kind of hash, with its validation, distance and thresholds.

Modelled on python-threatexchange's ``SignalType``: the platform never compares two hash strings
itself, it asks the signal type, so that a new type (vPDQ for video, say) is one class and one line
in ``SIGNAL_TYPES``.
"""

from __future__ import annotations

import json
import math
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ctnet.hashes.engine.errors import InvalidSignal, UnknownSignalType

# --- PDQ thresholds -------------------------------------------------------------------------
#: Bits in a PDQ hash.
PDQ_HASH_BITS = 256
#: Default match threshold in Hamming distance. Meta's PDQ paper and python-threatexchange use 31
#: as the "confident match" point: re-encodes, resizes and light edits stay well below it, while
#: unrelated photographs sit around 128 bits apart (random 256-bit strings: mean 128, sd 8).
PDQ_DEFAULT_MAX_DISTANCE = 31
#: Highest threshold the index accepts. Beyond ~70 bits unrelated images start to collide, and the
#: index's pigeonhole guarantee (exact recall) is worked out for its own configured maximum.
PDQ_MAX_SUPPORTED_DISTANCE = 63
#: Quality (0-100) below which a PDQ hash says little about the image: flat or tiny images whose
#: hash is mostly noise. Same value as the reference hasher's documentation and threatexchange.
PDQ_MIN_QUALITY = 50

_HEX_DIGITS = frozenset(string.hexdigits)


class SignalType:
    """A kind of hash. Subclasses set the class attributes; instances are never needed."""

    #: Registry name, as written in CSV files and the API.
    name: ClassVar[str]
    #: True when only equal values match (cryptographic digests); False for perceptual hashes.
    exact: ClassVar[bool]
    #: Threshold used when the caller gives none. Always 0 for exact types.
    default_max_distance: ClassVar[int]
    #: Length of the normalised (lower-case hexadecimal) value.
    hex_length: ClassVar[int]

    @classmethod
    def validate(cls, value: object) -> str:
        """Return the normalised value (stripped, lower case) or raise ``InvalidSignal``."""
        if not isinstance(value, str):
            raise InvalidSignal(f"{cls.name} hash must be a string, not {type(value).__name__}")
        text = value.strip().lower()
        if len(text) != cls.hex_length:
            raise InvalidSignal(
                f"{cls.name} hash must be {cls.hex_length} hexadecimal characters, "
                f"got {len(text)}: {_preview(text)!r}"
            )
        bad = sorted({c for c in text if c not in _HEX_DIGITS})
        if bad:
            raise InvalidSignal(
                f"{cls.name} hash must be hexadecimal; found {''.join(bad)!r} in {_preview(text)!r}"
            )
        return text

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """Distance between two normalised values. Exact types: 0 when equal, 1 otherwise."""
        return 0 if cls.validate(a) == cls.validate(b) else 1

    @classmethod
    def matches(cls, a: str, b: str, max_distance: int | None = None) -> bool:
        limit = cls.default_max_distance if max_distance is None else max_distance
        return cls.distance(a, b) <= limit


class Md5Signal(SignalType):
    """MD5 of the file bytes: byte-identical copies only; kept because many banks hold it."""

    name = "md5"
    exact = True
    default_max_distance = 0
    hex_length = 32


class Sha256Signal(SignalType):
    """SHA-256 of the file bytes: exact copies, collision-resistant."""

    name = "sha256"
    exact = True
    default_max_distance = 0
    hex_length = 64


class PdqSignal(SignalType):
    """Meta's PDQ perceptual image hash: 256 bits, compared by Hamming distance.

    The hexadecimal form is the one ThreatExchange exchanges: bit 0 of the hasher's output is the
    most significant bit of the first hex digit.
    """

    name = "pdq"
    exact = False
    default_max_distance = PDQ_DEFAULT_MAX_DISTANCE
    hex_length = PDQ_HASH_BITS // 4
    min_quality = PDQ_MIN_QUALITY

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        return (int(cls.validate(a), 16) ^ int(cls.validate(b), 16)).bit_count()

    @staticmethod
    def to_bytes(values: list[str]) -> np.ndarray:
        """Normalised hex values to a ``(n, 32)`` uint8 array, the layout the index stores."""
        if not values:
            return np.zeros((0, PDQ_HASH_BITS // 8), dtype=np.uint8)
        raw = bytes.fromhex("".join(values))
        return np.frombuffer(raw, dtype=np.uint8).reshape(len(values), PDQ_HASH_BITS // 8).copy()

    @staticmethod
    def from_bytes(row: np.ndarray) -> str:
        return bytes(np.asarray(row, dtype=np.uint8)).hex()

    @staticmethod
    def from_bits(bits: np.ndarray) -> str:
        """The 256 0/1 values returned by ``pdqhash.compute`` to the exchange hex form."""
        return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


# --- vPDQ thresholds (HMA's, python-threatexchange ``vpdq_util``) -------------------------------
#: A query frame matches a banked frame within this PDQ distance (as for still images).
VPDQ_FRAME_MAX_DISTANCE = 31
#: Frames below this PDQ quality (flat, black or faded frames) are left out of both sides before
#: matching: every black frame looks like every other one.
VPDQ_MIN_QUALITY = 50
#: A video matches when at least this share of its unique query frames match a banked frame...
VPDQ_QUERY_MATCH_PERCENT = 80.0
#: ...and at least this share of the banked video's unique frames are matched. HMA uses 0: a
#: trimmed clip of a long banked video must still match, so only the query side is required.
VPDQ_COMPARED_MATCH_PERCENT = 0.0
#: Frames hashed per second of video (the vpdq library's and HMA's default).
VPDQ_SECONDS_PER_HASH = 1.0
#: Most frames a vPDQ hash may carry (10 hours at one frame a second): bounds what a pasted or
#: imported hash costs to parse and to match.
VPDQ_MAX_FRAMES = 36_000


@dataclass(frozen=True, slots=True)
class VpdqFrame:
    """One hashed frame: PDQ hex, its quality, and where in the video (seconds)."""

    pdq: str
    quality: int
    timestamp: float

    def __str__(self) -> str:
        return f"{self.pdq},{self.quality},{self.timestamp:.3f}"


class VpdqSignal(SignalType):
    """Meta's vPDQ video hash: the PDQ hashes of one frame a second, with qualities and times.

    The text form is python-threatexchange's and HMA's (``vpdq_to_json``): a JSON list of
    ``"pdq_hex,quality,timestamp"`` strings, so that a hash from an HMA bank pastes or imports as
    it is. Normalised here to lower-case hex and timestamps with three decimals.

    Two videos are compared frame by frame (``ctnet.hashes.engine.video_index``); ``distance``
    reports how far the query is from a full match: 100 minus the percentage of its unique
    usable frames that found a banked frame within ``VPDQ_FRAME_MAX_DISTANCE``, rounded up.
    """

    name = "vpdq"
    exact = False
    #: For a video, the threshold is on the per-frame PDQ distance.
    default_max_distance = VPDQ_FRAME_MAX_DISTANCE
    #: Per frame; a whole value is a JSON list of frames.
    hex_length = PDQ_HASH_BITS // 4
    min_quality = VPDQ_MIN_QUALITY
    query_match_percent = VPDQ_QUERY_MATCH_PERCENT
    compared_match_percent = VPDQ_COMPARED_MATCH_PERCENT
    #: Longest text form accepted (a frame is at most ~90 characters with its JSON quoting).
    max_length = VPDQ_MAX_FRAMES * 90

    @classmethod
    def validate(cls, value: object) -> str:
        return cls.serialize(cls.parse(value))

    @classmethod
    def parse(cls, value: object) -> list[VpdqFrame]:
        """The frames of a vPDQ text form, or ``InvalidSignal`` naming what is wrong."""
        if not isinstance(value, str):
            raise InvalidSignal(f"vpdq hash must be a string, not {type(value).__name__}")
        if len(value) > cls.max_length:
            raise InvalidSignal(f"vpdq hash is longer than {cls.max_length:,} characters")
        try:
            items = json.loads(value)
        except ValueError:
            raise InvalidSignal(
                'vpdq hash must be a JSON list of "pdq_hex,quality,timestamp" strings, '
                f"got {_preview(value.strip())!r}"
            ) from None
        if not isinstance(items, list) or not items:
            raise InvalidSignal("vpdq hash must be a non-empty JSON list of frames")
        if len(items) > VPDQ_MAX_FRAMES:
            raise InvalidSignal(f"vpdq hash has more than {VPDQ_MAX_FRAMES:,} frames")
        return [_parse_frame(number, item) for number, item in enumerate(items)]

    @staticmethod
    def serialize(frames: list[VpdqFrame]) -> str:
        return json.dumps([str(frame) for frame in frames])

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        query_percent, _compared = match_percentages(cls.parse(a), cls.parse(b))
        return math.ceil(100 - query_percent)

    @classmethod
    def matches(cls, a: str, b: str, max_distance: int | None = None) -> bool:
        limit = cls.default_max_distance if max_distance is None else max_distance
        query, compared = match_percentages(cls.parse(a), cls.parse(b), frame_distance=limit)
        return (
            query > 0
            and query >= cls.query_match_percent
            and compared >= cls.compared_match_percent
        )


#: Pairs compared per block by brute force: bounds its memory (~64 MB).
_BRUTE_BLOCK_PAIRS = 2_000_000


def usable_frames(frames: Iterable[VpdqFrame], min_quality: int = VPDQ_MIN_QUALITY) -> np.ndarray:
    """The unique PDQ hashes of the frames at or above ``min_quality``, as (n, 32) uint8."""
    unique = dict.fromkeys(f.pdq for f in frames if f.quality >= min_quality)
    return PdqSignal.to_bytes(list(unique))


def match_percentages(
    query: Iterable[VpdqFrame],
    compared: Iterable[VpdqFrame],
    *,
    frame_distance: int = VPDQ_FRAME_MAX_DISTANCE,
    min_quality: int = VPDQ_MIN_QUALITY,
) -> tuple[float, float]:
    """(query match percent, compared match percent) of two videos, every usable frame against
    every usable frame: the reference the video index is checked against."""
    q, c = usable_frames(query, min_quality), usable_frames(compared, min_quality)
    if not len(q) or not len(c):
        return 0.0, 0.0
    q64, c64 = q.view(np.uint64), c.view(np.uint64)
    close = np.zeros((q64.shape[0], c64.shape[0]), dtype=bool)
    step = max(1, _BRUTE_BLOCK_PAIRS // c64.shape[0])
    for start in range(0, q64.shape[0], step):
        block = q64[start : start + step, None, :] ^ c64[None, :, :]
        close[start : start + step] = np.bitwise_count(block).sum(axis=2) <= frame_distance
    return (
        float(close.any(axis=1).sum() * 100 / len(q)),
        float(close.any(axis=0).sum() * 100 / len(c)),
    )


def _parse_frame(number: int, item: object) -> VpdqFrame:
    parts = item.split(",") if isinstance(item, str) else []
    if len(parts) != 3:
        raise InvalidSignal(f'vpdq frame {number}: expected "pdq_hex,quality,timestamp"')
    pdq, quality, timestamp = (part.strip() for part in parts)
    try:
        pdq = PdqSignal.validate(pdq)
        level, seconds = int(quality), float(timestamp)
    except (InvalidSignal, ValueError) as exc:
        raise InvalidSignal(f"vpdq frame {number}: {exc}") from None
    if not 0 <= level <= 100:
        raise InvalidSignal(f"vpdq frame {number}: quality must be 0-100, got {level}")
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InvalidSignal(f"vpdq frame {number}: timestamp must be seconds >= 0")
    return VpdqFrame(pdq, level, round(seconds, 3))


#: Every signal type by name.
SIGNAL_TYPES: dict[str, type[SignalType]] = {
    cls.name: cls for cls in (PdqSignal, Md5Signal, Sha256Signal, VpdqSignal)
}


def get_signal_type(name: str) -> type[SignalType]:
    try:
        return SIGNAL_TYPES[name.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(SIGNAL_TYPES))
        raise UnknownSignalType(f"unknown signal type {name!r}; expected one of: {known}") from None


def _preview(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
