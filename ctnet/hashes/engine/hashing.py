"""Hash files and uploads: MD5 and SHA-256 of the bytes, PDQ of the pixels.

Decisions (see docs/hashes.md for the measurements behind them):

* EXIF orientation is **not** applied. The reference PDQ hasher and python-threatexchange hash the
  pixels as stored, and a bank is only useful if our hashes equal theirs. A copy that differs only
  by its orientation tag is caught by the dihedral variants (``pdq_dihedral``) instead.
* Large images are shrunk before hashing by repeated 2x box-filter halving (``Image.reduce(2)``),
  never by a single resize straight to a small size: PDQ itself box-filters the full image, and
  halving keeps our hash within a few bits of the full-resolution one while cutting the time of a
  12-megapixel photograph several times over.
* Only the first frame of an animated GIF/WebP is hashed; alpha is dropped (``convert("RGB")``).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError

from ctnet.hashes.engine.errors import ImageTooLarge, UnreadableImage
from ctnet.hashes.engine.signals import PdqSignal

#: Formats we compute PDQ for. Pillow identifies more (PSD, ICO, XBM...), but those are not
#: photographs as platforms receive them, and hashing them would only add low-quality noise.
PDQ_IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "GIF", "WEBP", "BMP", "TIFF"})
#: Pixel limit before decoding: above it an image is refused as a possible decompression bomb.
#: Pillow's own default (about 89 megapixels, a 0.25 GB RGB buffer).
MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
#: The fast path halves an image while both sides stay at least this long. PDQ reduces every
#: image to 64x64 through its own box filter; 512 px leaves 8 source pixels per output pixel,
#: which measured within a few bits of the full-resolution hash (docs/hashes.md).
FAST_PATH_MIN_SIDE = 512
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileHashes:
    """Every hash of one file. ``pdq`` and ``quality`` are None for files that are not images."""

    path: str
    pdq: str | None
    quality: int | None
    md5: str
    sha256: str
    #: The 8 dihedral PDQ variants (rotations and mirrors), only when asked for.
    pdq_dihedral: tuple[str, ...] | None = None

    def as_json(self) -> dict[str, str | int | None]:
        return {
            "path": self.path,
            "pdq": self.pdq,
            "quality": self.quality,
            "md5": self.md5,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class PdqResult:
    hash: str
    quality: int


def hash_file(path: str | Path, *, dihedral: bool = False, fast: bool = True) -> FileHashes:
    """Hash a file on disk. Raises ``UnreadableImage`` for a corrupt image, ``OSError`` if the
    file cannot be read at all. ``fast=False`` hashes PDQ at full resolution (slow; reference)."""
    with open(path, "rb") as fp:
        md5, sha256 = _digests(fp)
        fp.seek(0)
        return _with_pdq(str(path), fp, md5, sha256, dihedral=dihedral, fast=fast)


def hash_bytes(data: bytes, name: str, *, dihedral: bool = False, fast: bool = True) -> FileHashes:
    """Hash an upload held in memory; ``name`` is only reported back (and in error messages)."""
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    sha256 = hashlib.sha256(data).hexdigest()
    return _with_pdq(name, io.BytesIO(data), md5, sha256, dihedral=dihedral, fast=fast)


def _digests(fp: BinaryIO) -> tuple[str, str]:
    # Streamed, so that a multi-gigabyte video costs 1 MiB of memory. MD5 is for interoperability
    # with banks that still hold it, not for security.
    md5 = hashlib.md5(usedforsecurity=False)
    sha256 = hashlib.sha256()
    while chunk := fp.read(_CHUNK):
        md5.update(chunk)
        sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def _with_pdq(
    name: str, fp: BinaryIO, md5: str, sha256: str, *, dihedral: bool, fast: bool
) -> FileHashes:
    image = load_image(fp, name, fast=fast)
    if image is None:
        return FileHashes(name, None, None, md5, sha256)
    if dihedral:
        variants, quality = pdq_dihedral_from_image(image, fast=fast)
        return FileHashes(name, variants[0], quality, md5, sha256, tuple(variants))
    result = pdq_from_image(image, fast=fast)
    return FileHashes(name, result.hash, result.quality, md5, sha256)


def load_image(
    source: BinaryIO,
    name: str,
    *,
    max_pixels: int = MAX_IMAGE_PIXELS,
    fast: bool = True,
) -> Image.Image | None:
    """Decode an image to RGB, or return None when the data is not an image format we hash.

    With ``fast``, a large JPEG is decoded at 1/2, 1/4 or 1/8 scale by libjpeg's DCT scaling
    (``Image.draft``), keeping both sides at least ``FAST_PATH_MIN_SIDE``: that is an area
    average like the halving below, measured to give the same hash, at half the decode time.

    Raises ``ImageTooLarge`` above ``max_pixels`` (checked from the header, before decoding) and
    ``UnreadableImage`` when an image format is recognised but its data cannot be decoded.
    """
    try:
        with warnings.catch_warnings():
            # We enforce our own limit below; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
    except UnidentifiedImageError as exc:
        # A corrupt image must be reported, not silently given no PDQ: look at the magic bytes.
        if _has_image_signature(source):
            raise UnreadableImage(f"{name}: corrupt image, cannot read its header") from exc
        return None
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"{name}: refused, too many pixels ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(f"{name}: cannot read image header: {exc}") from exc
    if image.format not in PDQ_IMAGE_FORMATS:
        return None
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"{name}: refused, {width}x{height} = {width * height:,} pixels is over the limit of "
            f"{max_pixels:,} (possible decompression bomb)"
        )
    try:
        image.seek(0)  # first frame of an animation
        if fast and image.format in ("JPEG", "MPO") and min(width, height) > FAST_PATH_MIN_SIDE:
            scale = min(width, height) / FAST_PATH_MIN_SIDE
            image.draft("RGB", (int(width / scale) + 1, int(height / scale) + 1))
        return image.convert("RGB")
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableImage(f"{name}: cannot decode {image.format} image: {exc}") from exc


#: Leading bytes of the formats in PDQ_IMAGE_FORMATS (WebP: "RIFF" then "WEBP" at offset 8).
_SIGNATURES = (
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)


def _has_image_signature(fp: BinaryIO) -> bool:
    fp.seek(0)
    head = fp.read(12)
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def shrink_for_pdq(image: Image.Image, min_side: int = FAST_PATH_MIN_SIDE) -> Image.Image:
    """Halve with a box filter while both sides stay at least ``min_side`` pixels."""
    while min(image.size) >= 2 * min_side:
        image = image.reduce(2)
    return image


def pdq_from_image(image: Image.Image, *, fast: bool = True) -> PdqResult:
    """PDQ of an RGB image; ``fast=False`` hashes the full resolution, like the reference."""
    pixels = _pixels(image, fast)
    bits, quality = pdqhash.compute(pixels)
    return PdqResult(PdqSignal.from_bits(bits), int(quality))


def pdq_dihedral_from_image(image: Image.Image, *, fast: bool = True) -> tuple[list[str], int]:
    """The 8 PDQ hashes of the image's rotations and mirrors (original first), and its quality.

    Order as in the reference: original, rotate 90, 180, 270, flip X, flip Y, flip about the
    main diagonal, flip about the anti-diagonal. Matching a query's 8 variants against a bank
    catches a mirrored or rotated re-upload that the plain hash misses.
    """
    pixels = _pixels(image, fast)
    variants, quality = pdqhash.compute_dihedral(pixels)
    return [PdqSignal.from_bits(bits) for bits in variants], int(quality)


#: Standard crops hashed as extra variants of a contributed image (``pdq_crop_variants``): the
#: box kept, as fractions (left, top, right, bottom) of the width and height. PDQ follows the
#: image's frame, so a copy cropped by 10 % on each side is ~120 bits away from the original
#: (docs/hashes.md); a crop of the same region hashed at contribution time is within a few
#: bits of it. The set is centred crops at two depths, the four corners (two sides cut, as a
#: re-upload that trims a logo or a caption bar does) and the centred square (the aspect ratio
#: of feeds). Measured in bench/bench_hashes_crops.py against the false matches it adds.
CROP_BOXES: dict[str, tuple[float, float, float, float]] = {
    "centre-90": (0.05, 0.05, 0.95, 0.95),
    "centre-80": (0.10, 0.10, 0.90, 0.90),
    "centre-70": (0.15, 0.15, 0.85, 0.85),
    "top-left-85": (0.0, 0.0, 0.85, 0.85),
    "top-right-85": (0.15, 0.0, 1.0, 0.85),
    "bottom-left-85": (0.0, 0.15, 0.85, 1.0),
    "bottom-right-85": (0.15, 0.15, 1.0, 1.0),
}


def crop_box(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    width, height = image.size
    left, top, right, bottom = box
    return image.crop(
        (round(left * width), round(top * height), round(right * width), round(bottom * height))
    )


def centre_square(image: Image.Image) -> Image.Image:
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side))


def pdq_crop_variants(image: Image.Image, *, fast: bool = True) -> dict[str, PdqResult]:
    """PDQ of each standard crop (``CROP_BOXES``, and the centred square when the image is not
    square), by name. Each has its own quality: a crop of a flat region may be unusable."""
    crops = {name: crop_box(image, box) for name, box in CROP_BOXES.items()}
    if image.width != image.height:
        crops["centre-square"] = centre_square(image)
    return {name: pdq_from_image(crop, fast=fast) for name, crop in crops.items()}


def _pixels(image: Image.Image, fast: bool) -> np.ndarray:
    if image.mode != "RGB":
        image = image.convert("RGB")
    if fast:
        image = shrink_for_pdq(image)
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))
