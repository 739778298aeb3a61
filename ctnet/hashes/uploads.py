"""Hashing an uploaded file, shared by the API and the pages. Nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ctnet.hashes.engine.errors import ImageTooLarge, UnreadableImage
from ctnet.hashes.engine.hashing import FileHashes, hash_bytes
from ctnet.hashes.engine.signals import PDQ_MIN_QUALITY


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
        if self.hashes.pdq is None:
            return _("Not an image: only exact hashes (MD5, SHA-256) can be matched.")
        if not self.pdq_usable:
            return _(
                "PDQ quality %(quality)d is below %(min)d: the image is too flat or too small "
                "for its PDQ hash to be used for contributing or matching. Exact hashes still work."
            ) % {"quality": self.hashes.quality, "min": PDQ_MIN_QUALITY}
        return ""


def hash_upload(upload: UploadedFile, *, dihedral: bool = False) -> HashedUpload:
    limit = settings.HASHES_MAX_UPLOAD_BYTES
    # Checked before reading: the size comes from the parsed multipart body.
    if upload.size is None or upload.size > limit:
        raise UploadRefused(
            413, _("The file is larger than %(mb).1f MB.") % {"mb": limit / (1024 * 1024)}
        )
    if upload.size == 0:
        raise UploadRefused(400, _("The file is empty."))
    data = upload.read(limit + 1)
    name = upload.name or "upload"
    try:
        hashes = hash_bytes(data, name, dihedral=dihedral)
    except ImageTooLarge:
        raise UploadRefused(413, _("The image has too many pixels to be decoded safely.")) from None
    except UnreadableImage:
        raise UploadRefused(400, _("The image cannot be decoded; is the file complete?")) from None
    return HashedUpload(hashes, len(data))
