"""Consultations API: the public link of a consultation whose audience is the public.

The token is in the answer to the POST that makes the link, once; the platform keeps its hash.
Submitting through the link is a page for people without an account, not an API operation: an
API caller always has a token of their own.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from ninja import Router, Status

from ctnet.consultations import access, presenters
from ctnet.consultations.api.schemas import PublicLinkOut, PublicLinkStateOut
from ctnet.consultations.services import public_link
from ctnet.core.http import AuthenticatedHttpRequest

router = Router(tags=["consultations"])


@router.post(
    "/{consultation_id}/public-link",
    response={201: PublicLinkOut},
    summary="Make or replace the public link (the token is shown once)",
)
def make_public_link(request: AuthenticatedHttpRequest, consultation_id: int) -> Status:
    c = access.access_managed(request.user, consultation_id)
    made = public_link.make_public_link(acting_user=request.user, consultation=c)
    url = presenters.public_link_url(c, made.token)
    return Status(201, {"token": made.token, "url": url, "made_at": made.made_at})


@router.post(
    "/{consultation_id}/public-link/revoke",
    response=PublicLinkStateOut,
    summary="Revoke the public link",
)
def revoke_public_link(request: AuthenticatedHttpRequest, consultation_id: int) -> dict:
    c = access.access_managed(request.user, consultation_id)
    c = public_link.revoke_public_link(acting_user=request.user, consultation=c)
    return presenters.public_link_state(c) or {}
