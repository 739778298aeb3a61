"""Typed requests after authentication (STYLE.md 13).

Django types ``request.user`` as "a user or an anonymous user"; once ``member_required`` (pages)
or the API's authentication has run, it is always a ``User`` with an active membership. The
gatekeepers set ``request.membership`` and views declare ``request: AuthenticatedHttpRequest``,
so an acting user passes to a service without a cast and the organisation is one attribute away.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctnet.core.models import Membership, User
from ctnet.core.policy import membership_of


class SignedInHttpRequest(HttpRequest):
    """A request behind ``login_required``: a signed-in person, second factor perhaps not yet."""

    user: User


class AuthenticatedHttpRequest(SignedInHttpRequest):
    """A request whose person is signed in (second factor done) and a member of the network."""

    membership: Membership


def attach_membership(request: HttpRequest, user: Any) -> Membership | None:
    """Set ``request.membership`` for a member; None (and nothing set) for anyone else."""
    membership = membership_of(user)
    if membership is not None:
        request.membership = membership  # type: ignore[attr-defined]  # becomes typed here
    return membership
