"""Attachments: size-limited, type-checked files stored under the data directory.

Files are named by their SHA-256 under ``DATA_DIR/practices/attachments`` and are served only
through the practice's access check, never as static files. The declared content type must be
one we accept *and* the first bytes must look like it: a renamed executable is refused.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import policy
from ctnet.practices.models import Attachment, Practice

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Accepted types and the magic bytes their files start with (None: plain text, checked apart).
ACCEPTED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    # Office Open XML and OpenDocument files are ZIP archives.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "text/plain": None,
}


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "practices" / "attachments"


def path_of(attachment: Attachment) -> Path:
    return storage_dir() / attachment.sha256


def _check_content(content_type: str, data: bytes) -> None:
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("Files of type %(type)s are not accepted: PDF, Word/OpenDocument, PNG, JPEG or text.")
            % {"type": content_type or "?"}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    signatures = ACCEPTED_TYPES[content_type]
    if signatures is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("A text file must be UTF-8 text.")) from None
    elif not data.startswith(signatures):
        raise ValidationError(
            _("The file's content does not match its type %(type)s.") % {"type": content_type}
        )


def add_attachment(
    *, acting_user: User, practice: Practice, filename: str, content_type: str, data: bytes
) -> Attachment:
    if not policy.can_edit_practice(acting_user, practice):
        raise PermissionDenied(_("Only the originating organisation adds attachments."))
    content_type = (content_type or "").split(";")[0].strip().lower()
    _check_content(content_type, data)
    name = Path(filename or "attachment").name[:200] or "attachment"
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if practice.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(
                _("A practice has at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}
            )
        target = storage_dir() / digest
        # Content-addressed: an identical file is stored once; a rolled-back transaction leaves
        # at most an unreferenced file, never a row without its file.
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        attachment = Attachment.objects.create(
            practice=practice,
            filename=name,
            content_type=content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=acting_user,
        )
        audit.record(
            "practice.attach",
            actor=acting_user,
            obj=practice,
            detail={"file": name, "sha256": digest, "size": len(data)},
        )
    return attachment
