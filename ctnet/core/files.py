"""Uploaded files: type checks by content, and content-addressed storage under the data dir.

Shared by every app that takes attachments. A declared type must be one the app accepts *and*
the first bytes must look like it, so a renamed executable is refused; files are stored by their
SHA-256 and served only through the owning object's access check, never as static files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The bytes each accepted type starts with; None means UTF-8 text, checked by decoding.
PDF = ("application/pdf", (b"%PDF-",))
PNG = ("image/png", (b"\x89PNG\r\n\x1a\n",))
JPEG = ("image/jpeg", (b"\xff\xd8\xff",))
# Office Open XML and OpenDocument files are ZIP archives.
DOCX = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (b"PK\x03\x04",),
)
ODT = ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",))
TEXT: tuple[str, tuple[bytes, ...] | None] = ("text/plain", None)

FileTypes = dict[str, tuple[bytes, ...] | None]


def file_types(*kinds: tuple[str, tuple[bytes, ...] | None]) -> FileTypes:
    return dict(kinds)


def check_upload(
    content_type: str, data: bytes, *, accepted: FileTypes, max_bytes: int, accepted_label: str
) -> str:
    """The normalised content type, or a ValidationError that says what is wrong with the file."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type not in accepted:
        raise ValidationError(
            _("Files of type %(type)s are not accepted: %(accepted)s.")
            % {"type": content_type or "?", "accepted": accepted_label}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    signatures = accepted[content_type]
    if signatures is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("A text file must be UTF-8 text.")) from None
    elif not data.startswith(signatures):
        raise ValidationError(
            _("The file's content does not match its type %(type)s.") % {"type": content_type}
        )
    return content_type


def store_by_digest(directory: Path, data: bytes) -> str:
    """Write ``data`` as ``directory/<sha256>`` (once) and return the digest.

    Content-addressed: an identical file is stored once, and a transaction that rolls back after
    this leaves at most an unreferenced file, never a row without its file.
    """
    digest = hashlib.sha256(data).hexdigest()
    target = directory / digest
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return digest


def safe_filename(filename: str | None) -> str:
    """The base name only (no path), at most 200 characters."""
    return Path(filename or "attachment").name[:200] or "attachment"
