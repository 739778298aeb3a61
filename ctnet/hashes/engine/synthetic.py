"""Seeded, photograph-like test images for the tests and the benchmark.

Flat random noise is a poor stand-in for a photograph: PDQ looks at low frequencies, so the
images here are built like a scene - a smooth colour field (sky, walls), mid-frequency texture,
shapes with soft edges, a caption, lens blur and sensor noise - at any resolution.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_WORDS = ("NEWS", "LIVE", "Breaking", "2024", "ALERT", "report", "video", "channel", "@media")


def photo_like(seed: int, width: int = 640, height: int = 480) -> Image.Image:
    """An RGB image of the given size; the same seed always gives the same pixels."""
    rng = np.random.default_rng(seed)
    image = _background(rng, width, height)
    _draw_shapes(image, rng)
    _draw_caption(image, rng)
    # Lens softness scales with the resolution, as in a real camera.
    image = image.filter(ImageFilter.GaussianBlur(radius=max(0.6, width / 1600)))
    pixels = np.asarray(image, dtype=np.int16)
    noise = rng.normal(0.0, 4.0, size=(height, width, 1)).astype(np.int16)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _background(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    # A coarse random grid upscaled bicubically is a smooth field of colour, like sky or a wall.
    coarse = rng.integers(0, 256, size=(rng.integers(3, 7), rng.integers(3, 7), 3), dtype=np.uint8)
    field = Image.fromarray(coarse, "RGB").resize((width, height), Image.Resampling.BICUBIC)
    # Mid-frequency texture (foliage, fabric) at a lower amplitude.
    texture = rng.integers(0, 256, size=(max(2, height // 24), max(2, width // 24), 3))
    detail = Image.fromarray(texture.astype(np.uint8), "RGB").resize(
        (width, height), Image.Resampling.BILINEAR
    )
    return Image.blend(field, detail, alpha=float(rng.uniform(0.15, 0.35)))


def _random_colour(rng: np.random.Generator) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in rng.integers(0, 256, size=3))
    return (r, g, b)


def _draw_shapes(image: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for _ in range(int(rng.integers(8, 20))):
        x0, y0 = rng.uniform(-0.1, 1.0) * width, rng.uniform(-0.1, 1.0) * height
        w, h = rng.uniform(0.05, 0.5) * width, rng.uniform(0.05, 0.5) * height
        box = (x0, y0, x0 + w, y0 + h)
        kind = rng.integers(0, 3)
        colour = _random_colour(rng)
        if kind == 0:
            draw.ellipse(box, fill=colour)
        elif kind == 1:
            draw.rectangle(box, fill=colour)
        else:
            points = [
                (float(rng.uniform(x0, x0 + w)), float(rng.uniform(y0, y0 + h))) for _ in range(5)
            ]
            draw.polygon(points, fill=colour)


def _draw_caption(image: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    size = max(10, height // 14)
    font = ImageFont.load_default(size=size)
    words = [str(rng.choice(_WORDS)) for _ in range(3)]
    position = (float(rng.uniform(0.02, 0.4) * width), float(rng.uniform(0.6, 0.85) * height))
    draw.text(position, " ".join(words), fill=_random_colour(rng), font=font)
