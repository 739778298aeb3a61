"""Crop variants of contributed images: recall on cropped copies against false matches.

    nice -n 10 timeout 1800 .venv/bin/python bench/bench_hashes_crops.py
    nice -n 10 timeout 600 .venv/bin/python bench/bench_hashes_crops.py --quick

A bank of seeded photograph-like images (``engine.synthetic.photo_like``) is hashed two ways:
plain PDQ (the baseline, as the platform stores a contribution today) and plain PDQ plus the
standard crop variants of ``engine.hashing.pdq_crop_variants``. Recall: edited copies of banked
images (crops of several kinds, re-encoded as JPEG) that come within 31 of their own image.
False matches: edited copies of *other* images, not in the bank, that come within 31 of any
bank hash. Seeds of the bank and of the distinct images never overlap, and neither overlaps the
seeds the tests use. The synthetic images share one generator, so they resemble each other more
than real photographs do: the false-match rate here errs on the high side.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctnet.hashes.engine.hashing import (
    centre_square,
    crop_box,
    hash_bytes,
    pdq_crop_variants,
    pdq_from_image,
)
from ctnet.hashes.engine.signals import PDQ_DEFAULT_MAX_DISTANCE, PDQ_MIN_QUALITY, PdqSignal
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like

SIZE = (1280, 720)
BANK_SEED = 50_000
DISTINCT_SEED = 90_000


def _random_crop(seed: int) -> Callable[[Image.Image], Image.Image]:
    def crop(image: Image.Image) -> Image.Image:
        left, top, right, bottom = np.random.default_rng(seed).uniform(0.0, 0.2, size=4)
        return crop_box(image, (left, top, 1 - right, 1 - bottom))

    return crop


def _edits(seed: int) -> dict[str, Callable[[Image.Image], Image.Image]]:
    return {
        "re-encoded, no crop": lambda im: im,
        "crop 5% each side": lambda im: crop_box(im, (0.05, 0.05, 0.95, 0.95)),
        "crop 10% each side": lambda im: crop_box(im, (0.1, 0.1, 0.9, 0.9)),
        "crop 15% each side": lambda im: crop_box(im, (0.15, 0.15, 0.85, 0.85)),
        # Off the grid of standard crops by 1, 2 and 3 points: how dense a grid would have to be.
        "crop 11% each side": lambda im: crop_box(im, (0.11, 0.11, 0.89, 0.89)),
        "crop 12% each side": lambda im: crop_box(im, (0.12, 0.12, 0.88, 0.88)),
        "crop 13% each side": lambda im: crop_box(im, (0.13, 0.13, 0.87, 0.87)),
        "crop 10% left/top, 12% right/bottom": lambda im: crop_box(im, (0.1, 0.1, 0.88, 0.88)),
        "crop 0-20% per side, random": _random_crop(seed),
        "crop bottom 12% (caption bar)": lambda im: crop_box(im, (0.0, 0.0, 1.0, 0.88)),
        "crop to centre square": centre_square,
        "crop 10% each side, resize 50%": lambda im: crop_box(im, (0.1, 0.1, 0.9, 0.9)).resize(
            (im.width * 2 // 5, im.height * 2 // 5)
        ),
    }


def _query_hash(image: Image.Image) -> str | None:
    hashed = hash_bytes(jpeg_bytes(image, 85), "query.jpg")
    return hashed.pdq if (hashed.quality or 0) >= PDQ_MIN_QUALITY else None


def _bank_hashes(image: Image.Image, crops: bool) -> list[str]:
    decoded = Image.open(io.BytesIO(jpeg_bytes(image, 90))).convert("RGB")
    hashes = [pdq_from_image(decoded)]
    if crops:
        hashes += list(pdq_crop_variants(decoded).values())
    return [h.hash for h in hashes if h.quality >= PDQ_MIN_QUALITY]


def _min_distance(query: str, bank: np.ndarray) -> int:
    bits = np.unpackbits(PdqSignal.to_bytes([query]), axis=1)
    return int((bits != bank).sum(axis=1).min())


def _bits(hashes: list[str]) -> np.ndarray:
    return np.unpackbits(PdqSignal.to_bytes(hashes), axis=1)


def measure(n_bank: int, n_distinct: int) -> None:
    start = time.perf_counter()
    originals = [photo_like(BANK_SEED + i, *SIZE) for i in range(n_bank)]
    banks: dict[str, list[list[str]]] = {"plain": [], "with crops": []}
    for image in originals:
        banks["plain"].append(_bank_hashes(image, crops=False))
        banks["with crops"].append(_bank_hashes(image, crops=True))
    per_image = np.mean([len(h) for h in banks["with crops"]])
    print(
        f"bank: {n_bank} images {SIZE[0]}x{SIZE[1]}, hashed in {time.perf_counter() - start:.0f} s;"
        f" with crops {per_image:.1f} hashes per image (plain: 1)",
        flush=True,
    )
    print(f"recall (copy within {PDQ_DEFAULT_MAX_DISTANCE} of its own image), plain vs with crops:")
    for name in _edits(0):
        found = {"plain": 0, "with crops": 0}
        for i, image in enumerate(originals):
            query = _query_hash(_edits(BANK_SEED + i)[name](image))
            for kind, bank in banks.items():
                if query and _min_distance(query, _bits(bank[i])) <= PDQ_DEFAULT_MAX_DISTANCE:
                    found[kind] += 1
        print(f"  {name:<36} {found['plain']:3d}/{n_bank}  {found['with crops']:3d}/{n_bank}")
    _false_matches(banks, n_distinct)


def _false_matches(banks: dict[str, list[list[str]]], n_distinct: int) -> None:
    flat = {kind: _bits([h for hashes in bank for h in hashes]) for kind, bank in banks.items()}
    queries = []
    for j in range(n_distinct):
        image = photo_like(DISTINCT_SEED + j, *SIZE)
        for edit in ("re-encoded, no crop", "crop 10% each side"):
            queries.append(_query_hash(_edits(DISTINCT_SEED + j)[edit](image)))
    usable = [q for q in queries if q]
    print(
        f"false matches: {len(usable)} copies of {n_distinct} images not in the bank "
        f"(re-encoded and cropped 10%) against the whole bank:"
    )
    for kind, bank in flat.items():
        distances = [_min_distance(q, bank) for q in usable]
        hits = sum(d <= PDQ_DEFAULT_MAX_DISTANCE for d in distances)
        pairs = len(usable) * len(bank)
        print(
            f"  {kind:<12} {hits}/{len(usable)} queries matched something "
            f"({hits / max(1, len(usable)):.2%}; {pairs:,} query-hash pairs); "
            f"closest distinct distance {min(distances)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20 bank images, 40 distinct")
    parser.add_argument("--bank", type=int, default=100)
    parser.add_argument("--distinct", type=int, default=300)
    args = parser.parse_args(argv)
    if args.quick:
        args.bank, args.distinct = 20, 40
    measure(args.bank, args.distinct)
    return 0


if __name__ == "__main__":
    sys.exit(main())
