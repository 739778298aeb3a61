"""Attachments: size-limited, type-checked files stored under the data directory.

Files are named by their SHA-256 under ``DATA_DIR/practices/attachments`` and are served only
through the practice's access check, never as static files. The declared content type must be
one we accept *and* the first bytes must look like it: a renamed executable is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from ctnet.core import audit, files
from ctnet.core.models import User
from ctnet.practices.models import Attachment, Practice
from ctnet.practices.policy import policy

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
ACCEPTED_TYPES = files.file_types(
    files.PDF, files.DOCX, files.ODT, files.PNG, files.JPEG, files.TEXT
)


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "practices" / "attachments"


def path_of(attachment: Attachment) -> Path:
    return storage_dir() / attachment.sha256


def marking_header(practice: Practice) -> str:
    """The marking a downloaded copy carries (``X-Marking``), e.g. ``TLP:GREEN; H1``: H1 (not
    for court without the originator's permission) and the other codes travel with the file."""
    return "; ".join([f"TLP:{practice.tlp}", *practice.handling])


def download_response(attachment: Attachment) -> FileResponse:
    """The one download of an attachment, for the page and the API."""
    response = FileResponse(
        path_of(attachment).open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Marking"] = marking_header(attachment.practice)
    return response


def add_attachment(
    *, acting_user: User, practice: Practice, filename: str, content_type: str, data: bytes
) -> Attachment:
    if not policy.can_edit_practice(acting_user, practice):
        raise PermissionDenied(_("Only the originating organisation adds attachments."))
    content_type = files.check_upload(
        content_type,
        data,
        accepted=ACCEPTED_TYPES,
        max_bytes=MAX_ATTACHMENT_BYTES,
        accepted_label="PDF, Word/OpenDocument, PNG, JPEG, text",
    )
    name = files.safe_filename(filename)
    with transaction.atomic():
        if practice.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(
                _("A practice has at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}
            )
        digest = files.store_by_digest(storage_dir(), data)
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
            detail={"attachment": attachment.pk, "type": content_type, "size": len(data)},
        )
    return attachment
