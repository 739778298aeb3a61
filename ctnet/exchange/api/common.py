"""Refusals shared by the exchange endpoints (the pages say the same with decorators)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ctnet.exchange import access
from ctnet.exchange.models import Delivery, Request
from ctnet.exchange.policy import policy


def require_exchange(user: Any) -> None:
    if not policy.can_use_exchange(user):
        raise PermissionDenied(_("Your role does not take part in exchanges."))


def require_reviewer(user: Any) -> None:
    if not policy.can_review_people(user):
        raise PermissionDenied(_("Your role does not review person records."))


def require_tracer(user: Any) -> None:
    if not policy.can_trace_person(user):
        raise PermissionDenied(_("Only the oversight role produces a person's trail."))


def recipient_delivery(user: Any, obj: Request) -> Delivery:
    """The delivery of a request to the user's organisation; 403 for anyone else who sees it."""
    own = access.own_delivery(user, obj)
    if own is None:
        raise PermissionDenied(_("Only the recipient organisation may do this."))
    return own
