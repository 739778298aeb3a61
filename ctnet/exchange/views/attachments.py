"""The download of a request's attachment (the API serves it through the same function)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import attachments
from ctnet.exchange.views.common import exchange_required


@member_required
@exchange_required
@require_GET
def attachment_download(
    request: AuthenticatedHttpRequest, request_id: int, attachment_id: int
) -> HttpResponse:
    # A FileResponse streams; Django serves it like any response, the decorators' type aside.
    return attachments.download(  # type: ignore[return-value]
        acting_user=request.user, request_id=request_id, attachment_id=attachment_id
    )
