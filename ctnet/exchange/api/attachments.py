"""Exchange API: files attached to a request (added by the sender, read by both sides).

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.http import FileResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access, attachments
from ctnet.exchange.api.schemas import AttachmentOut

router = Router(tags=["exchange"])


@router.post(
    "/requests/{request_id}/attachments",
    response={201: AttachmentOut},
    operation_id="ctnet_exchange_api_add_attachment",
)
def add_attachment(
    request: AuthenticatedHttpRequest, request_id: int, file: File[UploadedFile]
) -> Status:
    obj = access.read_request(request.user, request_id)
    att = attachments.store_attachment(
        acting_user=request.user, request=obj, new_file=attachments.NewFile.from_upload(file)
    )
    return Status(201, att)


@router.get(
    "/requests/{request_id}/attachments/{attachment_id}",
    response={200: None},
    operation_id="ctnet_exchange_api_download_attachment",
)
def download_attachment(
    request: AuthenticatedHttpRequest, request_id: int, attachment_id: int
) -> FileResponse:
    return attachments.download(
        acting_user=request.user, request_id=request_id, attachment_id=attachment_id
    )
