"""Hash a video with vPDQ: Meta's ``vpdq`` library, decoding through the system's FFmpeg.

The frames are decoded by the FFmpeg libraries the ``vpdq`` extension is compiled against
(Debian's ``libavcodec``/``libavformat``), never by a downloaded binary, so our hashes are the
reference implementation's and equal HMA's for the same file.

Before anything is decoded the file is *probed* with FFmpeg's ``ffprobe`` (Debian's ``ffmpeg``
package), with a time limit: it must hold a video stream, and its duration, frame count and
frame size must be within the limits. The frame count is read by demuxing the whole file
(``-count_packets``, no decoding), so a header that claims a short duration cannot smuggle in
hours of frames: decoding costs what the packets say.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctnet.hashes.engine.errors import (
    NotAVideo,
    UndecodableVideo,
    VideoTooLarge,
    VideoUnavailable,
)
from ctnet.hashes.engine.signals import VPDQ_SECONDS_PER_HASH, VpdqFrame, VpdqSignal

#: Where Debian's ffmpeg package puts ffprobe; ``CTNET_HASHES_FFPROBE`` may name another.
DEFAULT_FFPROBE = "/usr/bin/ffprobe"
#: Probing reads headers and packets only; a file that takes longer is not one we will decode.
PROBE_TIMEOUT_SECONDS = 30
#: Largest frame decoded: 4K UHD. An 8K stream costs four times as much for the same hash.
MAX_VIDEO_PIXELS = 3840 * 2160
#: Frame rate assumed at most when bounding the decoding work: a stream of more packets than
#: ``max_seconds`` at this rate is refused whatever its header says.
MAX_FRAME_RATE = 120
#: Container signatures of the formats platforms receive: MP4/MOV/3GP (``ftyp`` at offset 4),
#: Matroska/WebM (EBML), AVI (RIFF....AVI), FLV, MPEG-PS, ASF/WMV, MPEG-TS (0x47 sync bytes).
_EBML = b"\x1a\x45\xdf\xa3"
_ASF = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
VIDEO_EXTENSIONS = frozenset(
    {".mp4", ".m4v", ".mov", ".3gp", ".mkv", ".webm", ".avi", ".flv", ".mpg", ".mpeg", ".ts"}
    | {".wmv", ".asf", ".ogv"}
)


def has_video_signature(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a video container we hash."""
    if head[4:8] == b"ftyp" or head.startswith((_EBML, b"FLV\x01", b"\x00\x00\x01\xba", _ASF)):
        return True
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return True
    if head.startswith(b"OggS") and b"theora" in head[:64]:
        return True
    return len(head) >= 377 and head[0] == head[188] == head[376] == 0x47


def looks_like_video(name: str, head: bytes, content_type: str = "") -> bool:
    """Given as a video: by its bytes, its name or its declared type. A file so given and not
    decodable is refused, never hashed as a plain file."""
    return (
        has_video_signature(head)
        or Path(name).suffix.lower() in VIDEO_EXTENSIONS
        or content_type.lower().startswith("video/")
    )


@dataclass(frozen=True, slots=True)
class VideoLimits:
    max_seconds: float
    max_pixels: int = MAX_VIDEO_PIXELS


@dataclass(frozen=True, slots=True)
class VideoProbe:
    duration: float
    frames: int
    width: int
    height: int
    codec: str


@dataclass(frozen=True, slots=True)
class VideoHashes:
    """What a video gives: its vPDQ frames and the digests of its bytes."""

    path: str
    md5: str
    sha256: str
    duration: float
    frames: tuple[VpdqFrame, ...]

    @property
    def vpdq(self) -> str:
        return VpdqSignal.serialize(list(self.frames))

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "pdq": None,
            "quality": None,
            "md5": self.md5,
            "sha256": self.sha256,
            "vpdq": self.vpdq,
            "vpdq_frames": len(self.frames),
            "duration": round(self.duration, 3),
        }


def probe_video(
    path: str | Path, name: str, limits: VideoLimits | None = None, *, ffprobe: str = ""
) -> VideoProbe:
    """Open the file with ffprobe and check it against ``limits`` (None: no limit)."""
    data = _run_ffprobe(Path(path), name, ffprobe or DEFAULT_FFPROBE)
    # A cover picture in an audio file is a "video" stream of one frame: not a video.
    streams = [
        s
        for s in data.get("streams", [])
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    if not streams:
        raise NotAVideo(f"{name}: no video stream in the file")
    stream = streams[0]
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    frames = int(stream.get("nb_read_packets") or 0)
    if width <= 0 or height <= 0 or frames <= 0:
        raise UndecodableVideo(f"{name}: the video stream has no frames the decoder can read")
    rate = _rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate")) or 25.0
    duration = max(
        _seconds(data.get("format", {}).get("duration")),
        _seconds(stream.get("duration")),
        frames / rate,
    )
    probe = VideoProbe(duration, frames, width, height, str(stream.get("codec_name") or ""))
    if limits is not None:
        _check_limits(probe, name, limits)
    return probe


def _check_limits(probe: VideoProbe, name: str, limits: VideoLimits) -> None:
    if probe.width * probe.height > limits.max_pixels:
        raise VideoTooLarge(
            f"{name}: frames of {probe.width}x{probe.height} are over the limit of "
            f"{limits.max_pixels:,} pixels",
            limit="pixels",
        )
    if probe.duration > limits.max_seconds or probe.frames > limits.max_seconds * MAX_FRAME_RATE:
        raise VideoTooLarge(
            f"{name}: {probe.duration:.1f} s ({probe.frames:,} frames) is over the limit of "
            f"{limits.max_seconds:g} s",
            limit="duration",
        )


def _run_ffprobe(path: Path, name: str, ffprobe: str) -> dict[str, Any]:
    command = [
        ffprobe,
        "-v",
        "error",
        "-count_packets",
        "-show_entries",
        "format=duration,format_name:stream=codec_type,codec_name,width,height,"
        "nb_read_packets,avg_frame_rate,r_frame_rate,duration:stream_disposition=attached_pic",
        "-of",
        "json",
        "--",
        str(path),
    ]
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        raise VideoUnavailable(f"video hashing needs FFmpeg's ffprobe at {ffprobe}") from None
    except subprocess.TimeoutExpired:
        raise UndecodableVideo(f"{name}: probing the video took too long") from None
    if done.returncode != 0:
        # ffprobe cannot tell "not a container" from "a broken one": the caller decides by the
        # file's signature which of the two to say.
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UndecodableVideo(f"{name}: the decoder cannot open it ({(detail or ['?'])[-1]})")
    try:
        data = json.loads(done.stdout or b"{}")
    except ValueError:
        raise UndecodableVideo(f"{name}: the decoder gave no readable description") from None
    return data if isinstance(data, dict) else {}


def _rate(text: object) -> float:
    num, _sep, den = str(text or "").partition("/")
    try:
        value = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def _seconds(text: object) -> float:
    try:
        value = float(str(text))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def compute_vpdq(path: str | Path, name: str, *, threads: int = 1) -> list[VpdqFrame]:
    """The vPDQ frames of a video file (one a second), through the vpdq library."""
    try:
        import vpdq
    except ImportError:
        raise VideoUnavailable("video hashing needs the vpdq library (pip install vpdq)") from None
    try:
        features = vpdq.computeHash(
            str(path), seconds_per_hash=VPDQ_SECONDS_PER_HASH, thread_count=threads
        )
    except Exception as exc:  # the binding raises a bare Exception when decoding fails
        raise UndecodableVideo(f"{name}: the decoder failed on its frames ({exc})") from None
    frames = [
        VpdqFrame(f.hex.lower(), int(f.quality), round(float(f.timestamp), 3)) for f in features
    ]
    if not frames:
        raise UndecodableVideo(f"{name}: the decoder gave no frame")
    return frames


def hash_video_file(
    path: str | Path,
    *,
    name: str = "",
    limits: VideoLimits | None = None,
    threads: int = 1,
    ffprobe: str = "",
) -> VideoHashes:
    """Probe, check the limits, then hash. ``threads`` is vpdq's hashing threads (0: all)."""
    name = name or str(path)
    with open(path, "rb") as fp:
        head = fp.read(512)
        md5, sha256 = _digests(fp, head)
    try:
        probe = probe_video(path, name, limits, ffprobe=ffprobe)
    except UndecodableVideo:
        if not has_video_signature(head):
            raise NotAVideo(f"{name}: not a video file") from None
        raise
    frames = compute_vpdq(path, name, threads=threads)
    return VideoHashes(name, md5, sha256, probe.duration, tuple(frames))


def _digests(fp: Any, head: bytes) -> tuple[str, str]:
    md5 = hashlib.md5(head, usedforsecurity=False)
    sha256 = hashlib.sha256(head)
    while chunk := fp.read(1 << 20):
        md5.update(chunk)
        sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def file_head(path: str | Path, size: int = 512) -> bytes:
    with open(path, "rb") as fp:
        return fp.read(size)


def is_video_path(path: str | Path) -> bool:
    """For ``ctnet hash``: a file on disk given as a video, by its name or its bytes."""
    path = Path(path)
    if not path.is_file():
        return False
    return looks_like_video(path.name, file_head(path))
