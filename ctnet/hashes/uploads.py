"""Hashing an uploaded file, shared by the API and the pages. Nothing is stored.

A file given as a video (by its bytes, name or declared type) is hashed with vPDQ and refused
if it is not one; anything else is hashed as an image (PDQ) or a plain file (MD5, SHA-256).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ctnet.hashes.engine.errors import (
    ImageTooLarge,
    NotAVideo,
    UndecodableVideo,
    UnreadableImage,
    VideoTooLarge,
    VideoUnavailable,
)
from ctnet.hashes.engine.hashing import FileHashes, hash_bytes
from ctnet.hashes.engine.signals import PDQ_MIN_QUALITY
from ctnet.hashes.engine.video import VideoHashes, VideoLimits, hash_video_file, looks_like_video

_HEAD_BYTES = 512


class UploadRefused(Exception):
    """An upload we will not hash; ``status`` is the HTTP answer (400 or 413)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class HashedUpload:
    hashes: FileHashes
    size: int
    video: VideoHashes | None = None

    @property
    def pdq_usable(self) -> bool:
        return self.hashes.pdq is not None and (self.hashes.quality or 0) >= PDQ_MIN_QUALITY

    @property
    def pdq_variants(self) -> list[str]:
        """The other seven dihedral PDQ hashes (rotated and mirrored copies), when computed."""
        if not self.pdq_usable or not self.hashes.pdq_dihedral:
            return []
        return [v for v in self.hashes.pdq_dihedral if v != self.hashes.pdq]

    @property
    def pdq_message(self) -> str:
        if self.video is not None:
            return ""
        if self.hashes.pdq is None:
            return _("Not an image: only exact hashes (MD5, SHA-256) can be matched.")
        if not self.pdq_usable:
            return _(
                "PDQ quality %(quality)d is below %(min)d: the image is too flat or too small "
                "for its PDQ hash to be used for contributing or matching. Exact hashes still work."
            ) % {"quality": self.hashes.quality, "min": PDQ_MIN_QUALITY}
        return ""


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        413, _("The file is larger than %(mb).1f MB.") % {"mb": limit / (1024 * 1024)}
    )


def hash_upload(upload: UploadedFile, *, dihedral: bool = False) -> HashedUpload:
    if upload.size == 0:
        raise UploadRefused(400, _("The file is empty."))
    name = upload.name or "upload"
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    if looks_like_video(name, head, upload.content_type or ""):
        return _hash_video_upload(upload, name)
    limit = settings.HASHES_MAX_UPLOAD_BYTES
    # Checked before reading: the size comes from the parsed multipart body.
    if upload.size is None or upload.size > limit:
        raise _too_large(limit)
    data = upload.read(limit + 1)
    try:
        hashes = hash_bytes(data, name, dihedral=dihedral)
    except ImageTooLarge:
        raise UploadRefused(413, _("The image has too many pixels to be decoded safely.")) from None
    except UnreadableImage:
        raise UploadRefused(400, _("The image cannot be decoded; is the file complete?")) from None
    return HashedUpload(hashes, len(data))


def _hash_video_upload(upload: UploadedFile, name: str) -> HashedUpload:
    """vPDQ of a video upload. The decoder reads a file: Django's temporary upload file when it
    made one, else a private temporary copy, deleted on the way out either way."""
    limit = settings.HASHES_MAX_VIDEO_BYTES
    if upload.size is None or upload.size > limit:
        raise _too_large(limit)
    with tempfile.TemporaryDirectory(prefix="ctnet-video-") as folder:
        path = getattr(upload, "temporary_file_path", lambda: "")()
        if not path:
            path = str(Path(folder) / "upload")
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        video = _hash_video_path(path, name)
    hashes = FileHashes(name, None, None, video.md5, video.sha256)
    return HashedUpload(hashes, int(upload.size), video)


def _hash_video_path(path: str, name: str) -> VideoHashes:
    limits = VideoLimits(max_seconds=settings.HASHES_MAX_VIDEO_SECONDS)
    try:
        # One hashing thread: web processes already run one per core.
        return hash_video_file(
            path, name=name, limits=limits, threads=1, ffprobe=settings.HASHES_FFPROBE
        )
    except NotAVideo:
        raise UploadRefused(400, _("This file is not a video.")) from None
    except VideoTooLarge as exc:
        if exc.limit == "pixels":
            message = _("The video's frames are larger than 4K (3840x2160).")
        else:
            message = _("The video is longer than %(n)d seconds.") % {
                "n": settings.HASHES_MAX_VIDEO_SECONDS
            }
        raise UploadRefused(413, message) from None
    except UndecodableVideo:
        raise UploadRefused(400, _("The video cannot be decoded; is the file complete?")) from None
    except VideoUnavailable:
        raise UploadRefused(503, _("Video hashing is not available on this server.")) from None
