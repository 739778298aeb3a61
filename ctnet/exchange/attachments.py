"""Request attachments: size-limited, type-checked files under ``DATA_DIR/exchange/attachments``.

Files are named by their SHA-256 and served only after the request's access check, by one
function (``download``) that the page and the API both call. A file
written for a send that then rolls back stays on disk unreferenced: content-addressed, it
cannot be reached without a row, and a later send of the same bytes reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from ctnet.core import audit, files
from ctnet.core.models import User
from ctnet.exchange import access
from ctnet.exchange.models import Attachment, Request
from ctnet.exchange.policy import policy

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
ACCEPTED_TYPES = files.file_types(files.PDF, files.PNG, files.JPEG, files.TEXT)


@dataclass(frozen=True)
class NewFile:
    filename: str
    content_type: str
    data: bytes

    @classmethod
    def from_upload(cls, upload: UploadedFile) -> NewFile:
        """An uploaded file from a form or the API; the size is checked before it is read."""
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("The file is too large."))
        return cls(upload.name or "attachment", upload.content_type or "", upload.read())


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "exchange" / "attachments"


def path_of(attachment: Attachment) -> Path:
    return storage_dir() / attachment.sha256


def check_file(new_file: NewFile) -> str:
    """The normalised content type, or a ValidationError saying what is wrong with the file."""
    return files.check_upload(
        new_file.content_type,
        new_file.data,
        accepted=ACCEPTED_TYPES,
        max_bytes=MAX_ATTACHMENT_BYTES,
        accepted_label="PDF, PNG, JPEG, text",
    )


def store_attachment(*, acting_user: User, request: Request, new_file: NewFile) -> Attachment:
    if not policy.can_act_for_sender(acting_user, request):
        raise PermissionDenied(_("Only the sending organisation adds attachments."))
    content_type = check_file(new_file)
    with transaction.atomic():
        if request.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
        digest = files.store_by_digest(storage_dir(), new_file.data)
        attachment = Attachment.objects.create(
            request=request,
            filename=files.safe_filename(new_file.filename),
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


def download(*, acting_user: User, request_id: int, attachment_id: int) -> FileResponse:
    """A request's attachment as a download, for the page and the API alike.

    The request is fetched as for reading it (role gate, access check, audited read of
    AMBER/RED; no delivery receipt, a GET changes nothing); an attachment of another request
    answers 404, audited as ``exchange.denied``.
    """
    request = access.read_request(acting_user, request_id)
    attachment = request.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise access.deny(acting_user, "attachment", attachment_id)
    return FileResponse(
        path_of(attachment).open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
