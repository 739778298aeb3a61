"""Image half of bench_hashes.py: PDQ hashing speed, fast path vs reference, robustness."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from ctnet.hashes.engine.hashing import hash_bytes, pdq_dihedral_from_image, pdq_from_image
from ctnet.hashes.engine.signals import PDQ_DEFAULT_MAX_DISTANCE, PdqSignal
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like

SIZES = {"1080p": (1920, 1080), "4000x3000": (4000, 3000)}


def _decoded(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _pdq(image: Image.Image) -> str:
    return hash_bytes(jpeg_bytes(image, 85), "edit").pdq or ""


def _watermark(image: Image.Image) -> Image.Image:
    marked = image.copy()
    size = image.height // 12
    font = ImageFont.load_default(size=size)
    draw = ImageDraw.Draw(marked)
    draw.text((image.width // 20, image.height // 20), "@mirror_channel", fill="white", font=font)
    return marked


def _crop(image: Image.Image) -> Image.Image:
    w, h = image.size
    return image.crop((w // 10, h // 10, w - w // 10, h - h // 10))


EDITS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "re-compressed JPEG q=50": lambda im: _decoded(jpeg_bytes(im, 50)),
    "resized to 50%": lambda im: im.resize((im.width // 2, im.height // 2)),
    "brightness x1.3": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
    "watermark text": _watermark,
    "crop 10% each side": _crop,
    "mirrored": lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
}


def _throughput(label: str, images: list[bytes]) -> list[int]:
    """Time fast and full-resolution hashing; return fast-to-full distances."""
    start = time.perf_counter()
    fast = [hash_bytes(data, label).pdq or "" for data in images]
    fast_rate = len(images) / (time.perf_counter() - start)
    start = time.perf_counter()
    full = [hash_bytes(data, label, fast=False).pdq or "" for data in images]
    full_rate = len(images) / (time.perf_counter() - start)
    print(
        f"{label} JPEG: {fast_rate:.1f} images/s (fast path, decode included), "
        f"{full_rate:.1f} images/s at full resolution"
    )
    return [PdqSignal.distance(a, b) for a, b in zip(fast, full, strict=True)]


def _single_resize_distances(images: list[bytes]) -> list[int]:
    """What the fast path avoids: one resize of the shorter side straight to 512 px."""
    distances = []
    for data in images:
        image = _decoded(data)
        scale = 512 / min(image.size)
        small = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.NEAREST
        )
        reference = pdq_from_image(image, fast=False).hash
        distances.append(PdqSignal.distance(pdq_from_image(small, fast=False).hash, reference))
    return distances


def _robustness(originals: list[Image.Image]) -> None:
    print(f"robustness over {len(originals)} 1080p images (distance to the original's PDQ):")
    base = [_pdq(im) for im in originals]
    for name, edit in EDITS.items():
        edited = [edit(im) for im in originals]
        dist = [PdqSignal.distance(_pdq(e), b) for e, b in zip(edited, base, strict=True)]
        caught = sum(d <= PDQ_DEFAULT_MAX_DISTANCE for d in dist)
        line = (
            f"  {name:<24} mean {statistics.mean(dist):5.1f} max {max(dist):3d}  "
            f"matched at 31: {caught}/{len(dist)}"
        )
        if name == "mirrored":
            best = [
                min(PdqSignal.distance(v, _pdq(e)) for v in pdq_dihedral_from_image(im)[0])
                for im, e in zip(originals, edited, strict=True)
            ]
            hits = sum(d <= PDQ_DEFAULT_MAX_DISTANCE for d in best)
            line += f"; with dihedral variants: max {max(best)}, matched {hits}/{len(best)}"
        print(line)


def image_benchmark(n_images: int, seed: int) -> None:
    print(f"== PDQ hashing ({n_images} generated photographs per size, single thread)")
    distances: list[int] = []
    corpus: dict[str, list[bytes]] = {}
    for label, (w, h) in SIZES.items():
        corpus[label] = [jpeg_bytes(photo_like(seed + i, w, h), 90) for i in range(n_images)]
        distances += _throughput(label, corpus[label])
    print(
        f"fast path vs full-resolution pdqhash.compute: mean {statistics.mean(distances):.1f} "
        f"bits, max {max(distances)} over {len(distances)} images"
    )
    naive = _single_resize_distances(corpus["4000x3000"])
    print(
        f"(one nearest-neighbour resize to 512 px instead: mean {statistics.mean(naive):.1f}, "
        f"max {max(naive)} bits)"
    )
    _robustness([_decoded(data) for data in corpus["1080p"]])
