"""Request attachments: size-limited, type-checked files under ``DATA_DIR/exchange/attachments``.

Files are named by their SHA-256 and served only after the request's access check. A file
written for a send that then rolls back stays on disk unreferenced: content-addressed, it
cannot be reached without a row, and a later send of the same bytes reuses it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import policy
from ctnet.exchange.models import Attachment, Request

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Accepted types and the bytes their files start with (None: UTF-8 text, checked apart).
ACCEPTED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "text/plain": None,
}


@dataclass(frozen=True)
class NewFile:
    filename: str
    content_type: str
    data: bytes


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "exchange" / "attachments"


def path_of(attachment: Attachment) -> Path:
    return storage_dir() / attachment.sha256


def check_file(new_file: NewFile) -> str:
    """The normalised content type, or a ValidationError saying what is wrong with the file."""
    content_type = (new_file.content_type or "").split(";")[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("Files of type %(type)s are not accepted: PDF, PNG, JPEG or text.")
            % {"type": content_type or "?"}
        )
    data = new_file.data
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
    return content_type


def store_attachment(*, acting_user: User, request: Request, new_file: NewFile) -> Attachment:
    if not policy.can_act_for_sender(acting_user, request):
        raise PermissionDenied(_("Only the sending organisation adds attachments."))
    content_type = check_file(new_file)
    digest = hashlib.sha256(new_file.data).hexdigest()
    with transaction.atomic():
        if request.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
        target = storage_dir() / digest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            tmp.write_bytes(new_file.data)
            tmp.replace(target)
        attachment = Attachment.objects.create(
            request=request,
            filename=Path(new_file.filename or "attachment").name[:200] or "attachment",
            content_type=content_type,
            size=len(new_file.data),
            sha256=digest,
            uploaded_by=acting_user,
        )
        audit.record(
            "exchange.attachment.add",
            actor=acting_user,
            obj=attachment,
            detail={"request": request.pk, "size": attachment.size, "sha256": digest},
        )
    return attachment
