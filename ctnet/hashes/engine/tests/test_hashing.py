import hashlib
import io

import pytest
from PIL import Image, ImageDraw, ImageEnhance

from ctnet.hashes.engine.errors import ImageTooLarge, UnreadableImage
from ctnet.hashes.engine.hashing import (
    CROP_BOXES,
    crop_box,
    hash_bytes,
    hash_file,
    load_image,
    pdq_crop_variants,
    pdq_dihedral_from_image,
    pdq_from_image,
)
from ctnet.hashes.engine.signals import PDQ_DEFAULT_MAX_DISTANCE, PDQ_MIN_QUALITY, PdqSignal
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return photo_like(seed=11, width=800, height=600)


def _pdq(image: Image.Image, fmt: str = "JPEG", **save) -> str:
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    result = hash_bytes(out.getvalue(), "test").pdq
    assert result is not None
    return result


def test_edited_copies_stay_within_threshold_and_other_images_do_not(photo):
    original = _pdq(photo, quality=92)
    edits = {
        "recompressed": _pdq(Image.open(io.BytesIO(jpeg_bytes(photo, 92))), quality=40),
        "resized": _pdq(photo.resize((400, 300), Image.Resampling.LANCZOS), quality=85),
        "brightened": _pdq(ImageEnhance.Brightness(photo).enhance(1.25), quality=85),
        "png": _pdq(photo, fmt="PNG"),
    }
    for name, value in edits.items():
        assert PdqSignal.distance(original, value) <= PDQ_DEFAULT_MAX_DISTANCE, name
    for seed in (12, 13, 14):
        other = _pdq(photo_like(seed=seed, width=800, height=600), quality=92)
        assert PdqSignal.distance(original, other) > 2 * PDQ_DEFAULT_MAX_DISTANCE


def test_flat_or_tiny_images_have_low_quality():
    flat = pdq_from_image(Image.new("RGB", (300, 300), (120, 130, 140)))
    tiny = pdq_from_image(Image.new("RGB", (4, 4), (10, 10, 10)))
    assert flat.quality < PDQ_MIN_QUALITY
    assert tiny.quality < PDQ_MIN_QUALITY


def test_photo_has_high_quality(photo):
    assert pdq_from_image(photo).quality >= PDQ_MIN_QUALITY


def test_digests_equal_hashlib_and_file_equals_bytes(tmp_path, photo):
    data = jpeg_bytes(photo)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    from_file = hash_file(path)
    assert from_file.md5 == hashlib.md5(data).hexdigest()  # noqa: S324 - the reference
    assert from_file.sha256 == hashlib.sha256(data).hexdigest()
    from_bytes = hash_bytes(data, str(path))
    assert from_bytes == from_file
    assert from_file.as_json() == {
        "path": str(path),
        "pdq": from_file.pdq,
        "quality": from_file.quality,
        "md5": from_file.md5,
        "sha256": from_file.sha256,
    }


def test_non_image_gives_no_pdq(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not an image at all\n" * 100)
    result = hash_file(path)
    assert result.pdq is None and result.quality is None
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP", "BMP"])
def test_common_formats_hash_close_to_the_jpeg(photo, fmt):
    assert PdqSignal.distance(_pdq(photo, quality=95), _pdq(photo, fmt=fmt)) <= 20


def test_truncated_jpeg_is_unreadable(photo):
    data = jpeg_bytes(photo)
    with pytest.raises(UnreadableImage, match=r"^cut\.jpg: cannot decode JPEG image"):
        hash_bytes(data[: len(data) // 2], "cut.jpg")


def test_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 Mpx, a few KB on disk
    with pytest.raises(ImageTooLarge, match=r"bomb\.png: refused, 10000x10000 = 100,000,000"):
        hash_bytes(out.getvalue(), "bomb.png")
    with pytest.raises(ImageTooLarge):
        load_image(io.BytesIO(jpeg_bytes(Image.new("RGB", (200, 200)))), "x", max_pixels=1000)


def test_fast_path_stays_close_to_full_resolution():
    big = Image.open(io.BytesIO(jpeg_bytes(photo_like(seed=21, width=2400, height=1800))))
    data = jpeg_bytes(big)
    fast = hash_bytes(data, "big.jpg").pdq
    full = hash_bytes(data, "big.jpg", fast=False).pdq
    assert fast is not None and full is not None
    assert PdqSignal.distance(fast, full) <= 12


def test_dihedral_variants_catch_a_mirrored_copy(photo):
    mirrored = photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    plain = pdq_from_image(photo).hash
    mirror_hash = pdq_from_image(mirrored).hash
    assert PdqSignal.distance(plain, mirror_hash) > PDQ_DEFAULT_MAX_DISTANCE
    variants, _ = pdq_dihedral_from_image(photo)
    assert variants[0] == plain and len(variants) == 8
    best = min(PdqSignal.distance(v, mirror_hash) for v in variants)
    assert best <= PDQ_DEFAULT_MAX_DISTANCE


def test_watermarked_copy_matches(photo):
    marked = photo.copy()
    ImageDraw.Draw(marked).text((20, 20), "@reupload_channel", fill=(255, 255, 255))
    assert PdqSignal.distance(_pdq(photo), _pdq(marked)) <= PDQ_DEFAULT_MAX_DISTANCE


def test_crop_variants_catch_a_cropped_copy_the_plain_hash_misses(photo):
    cropped = crop_box(photo, (0.1, 0.1, 0.9, 0.9))
    query = _pdq(cropped, quality=85)
    assert PdqSignal.distance(pdq_from_image(photo).hash, query) > PDQ_DEFAULT_MAX_DISTANCE
    variants = pdq_crop_variants(photo)
    assert set(variants) == {*CROP_BOXES, "centre-square"}  # 800x600 is not square
    best = min(PdqSignal.distance(v.hash, query) for v in variants.values())
    assert best <= PDQ_DEFAULT_MAX_DISTANCE
    # A square image has no separate centred square.
    assert "centre-square" not in pdq_crop_variants(photo.crop((0, 0, 600, 600)))


def test_crop_variants_do_not_bring_another_image_within_threshold(photo):
    other = _pdq(photo_like(seed=12, width=800, height=600), quality=85)
    variants = pdq_crop_variants(photo)
    assert min(PdqSignal.distance(v.hash, other) for v in variants.values()) > 60
