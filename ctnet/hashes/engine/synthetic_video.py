"""Seeded synthetic videos for the tests and the benchmark, encoded by the system's FFmpeg.

A video is a series of scenes; each scene is a photograph-like image (``synthetic.photo_like``)
that the camera pans across slowly, and a cut starts the next one, as in footage re-posted on
platforms. The frames are made here with numpy/Pillow and piped raw to Debian's ``ffmpeg`` to be
encoded; the copies (re-encoded, resized, trimmed) are made by ``ffmpeg`` from the file, the way
a re-upload is.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from ctnet.hashes.engine.synthetic import photo_like

DEFAULT_FFMPEG = "/usr/bin/ffmpeg"
_TIMEOUT = 600


def frames(
    seed: int, *, seconds: float, width: int, height: int, fps: int, scene_seconds: float = 2.0
) -> np.ndarray:
    """(n, height, width, 3) uint8 frames; the same seed always gives the same video."""
    rng = np.random.default_rng(seed)
    per_scene = max(1, round(scene_seconds * fps))
    total = max(1, round(seconds * fps))
    out = np.empty((total, height, width, 3), dtype=np.uint8)
    for start in range(0, total, per_scene):
        scene = photo_like(int(rng.integers(2**31)), int(width * 1.25), int(height * 1.25))
        dx, dy = scene.width - width, scene.height - height
        x0, y0 = float(rng.uniform(0, dx)), float(rng.uniform(0, dy))
        x1, y1 = float(rng.uniform(0, dx)), float(rng.uniform(0, dy))
        for i in range(min(per_scene, total - start)):
            t = i / per_scene
            x, y = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
            out[start + i] = np.asarray(scene.crop((x, y, x + width, y + height)))
    return out


def write_video(
    path: str | Path,
    seed: int,
    *,
    seconds: float = 4.0,
    width: int = 160,
    height: int = 120,
    fps: int = 10,
    codec: str = "libx264",
    ffmpeg: str = DEFAULT_FFMPEG,
) -> Path:
    """Encode the seeded video to ``path`` (container from its suffix)."""
    pixels = frames(seed, seconds=seconds, width=width, height=height, fps=fps)
    command = [
        ffmpeg,
        *("-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24"),
        *("-s", f"{width}x{height}", "-r", str(fps), "-i", "-"),
        *("-c:v", codec, "-pix_fmt", "yuv420p", str(path)),
    ]
    subprocess.run(command, input=pixels.tobytes(), check=True, timeout=_TIMEOUT)  # noqa: S603
    return Path(path)


def transform(
    source: str | Path,
    target: str | Path,
    *,
    width: int | None = None,
    start: float = 0.0,
    seconds: float | None = None,
    codec: str = "libx264",
    crf: int = 30,
    ffmpeg: str = DEFAULT_FFMPEG,
) -> Path:
    """A re-upload of ``source``: re-encoded (``codec``, ``crf``), optionally resized to
    ``width`` (height kept in proportion) and trimmed to ``seconds`` from ``start``."""
    command = [ffmpeg, "-v", "error", "-y", "-ss", f"{start:.3f}", "-i", str(source)]
    if seconds is not None:
        command += ["-t", f"{seconds:.3f}"]
    if width is not None:
        command += ["-vf", f"scale={width}:-2"]
    quality = ["-crf", str(crf)] if codec in ("libx264", "libvpx-vp9") else ["-q:v", "8"]
    if codec == "libvpx-vp9":
        quality += ["-b:v", "0"]
    command += ["-c:v", codec, *quality, "-pix_fmt", "yuv420p", "-an", str(target)]
    subprocess.run(command, check=True, timeout=_TIMEOUT)  # noqa: S603
    return Path(target)
