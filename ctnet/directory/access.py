"""Fetch helpers of the directory: each returns what the user may see or raises.

Wrong role (oversight, or not a member) -> PermissionDenied (403): the whole directory is closed to
them. A contact point the user may not see -> Http404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ctnet.core import audit
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


def record_contact_reads(user: Any, contacts: Iterable[ContactPoint], why: str) -> None:
    """Contact points name people (holders) and their channels: showing them is a read, written
    to the audit log as one row per page or answer with the ids (never names or channels)."""
    ids = [c.pk for c in contacts]
    if not ids:
        return
    audit.record(  # atomic on its own: the row and the chain head move together
        "read",
        actor=user,
        object_type="directory.contactpoint",
        object_id=str(ids[0]) if len(ids) == 1 else "",
        detail={"why": why, "ids": ids[:500], "count": len(ids)},
    )


def read_contact(user: Any, contact_id: int) -> ContactPoint:
    """A contact point opened to be read (its page, its API answer, its edit form): audited."""
    contact = access_contact(user, contact_id)
    record_contact_reads(user, [contact], "contact")
    return contact


def access_communication_test(user: Any, test_id: int) -> CommunicationTest:
    if not policy.can_run_communication_test(user):
        raise PermissionDenied
    test = CommunicationTest.objects.filter(pk=test_id).first()
    if test is None:
        raise Http404
    return test
