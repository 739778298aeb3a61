"""Fetch helpers of the directory: each returns what the user may see or raises.

Wrong role (oversight, or not a member) -> PermissionDenied (403): the whole directory is closed to
them. A contact point the user may not see -> Http404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ctnet.directory.models import CommunicationTest, ContactPoint
from ctnet.directory.policy import policy


def visible_contacts(user: Any) -> QuerySet[ContactPoint]:
    """Every contact point this user may see; the rule lives in the policy."""
    if not policy.can_use_directory(user):
        raise PermissionDenied
    q = policy.directory_visibility_q(user)
    if q is None:
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(q)


def require_overview(user: Any) -> None:
    """Coverage, routing and history: community members only."""
    if not policy.can_see_directory_overview(user):
        raise PermissionDenied


def access_contact(user: Any, contact_id: int) -> ContactPoint:
    contact = (
        visible_contacts(user)
        .select_related("organisation", "deputy")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def access_communication_test(user: Any, test_id: int) -> CommunicationTest:
    if not policy.can_run_communication_test(user):
        raise PermissionDenied
    test = CommunicationTest.objects.filter(pk=test_id).first()
    if test is None:
        raise Http404
    return test
