"""Fetch helpers of the practice library: what the user may see, or Http404.

Visibility is the marking rule of the core policy (``visible_to``) together with the workflow
rule of the same policy (``practice_status_q``): a draft is seen by its author organisation only,
a submitted practice also by the secretariat, a published one by everyone the marking allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ctnet import ratelimits
from ctnet.core import ratelimit
from ctnet.core import services as core_services
from ctnet.core.access import access_marked
from ctnet.core.markings import AUDITED_READ_TLP
from ctnet.practices.models import Attachment, Practice
from ctnet.practices.policy import policy


def require_reader(user: Any) -> None:
    """The library is for network members who read content; oversight reads the audit log."""
    if not policy.can_read_content(user):
        raise PermissionDenied


class SearchThrottled(Exception):
    """The person has used up their searches for the minute (429)."""


def spend_search(user: Any) -> None:
    if not ratelimit.authorize(ratelimits.PRACTICE_SEARCHES_PER_USER, str(user.pk)):
        raise SearchThrottled


def record_result_reads(user: Any, practices: Iterable[Practice]) -> None:
    """Search results show the title and a snippet: for AMBER/RED practices that is a read,
    written to the audit log as one row per results page (the ids), like opening them."""
    marked = [p for p in practices if p.tlp in AUDITED_READ_TLP]
    if marked:
        ids = [p.pk for p in marked]
        core_services.record_read(acting_user=user, obj=marked[0], why=f"search results {ids}")


def visible_practices(user: Any) -> QuerySet[Practice]:
    status_q = policy.practice_status_q(user)
    if status_q is None:
        return Practice.objects.none()
    return Practice.objects.visible_to(user).filter(status_q)


def visible_among(user: Any, ids: Iterable[int]) -> QuerySet[Practice]:
    """``visible_practices(user).filter(pk__in=ids)``, fast when the library is large.

    The generic ``visible_to`` puts the marking rule in a sub-query over the whole table, which
    costs about half a second at 100,000 practices on SQLite. Search knows its few hundred
    candidates, so the same two rules of the policy (``visibility_q`` and
    ``practice_status_q``) are applied to a sub-query over the candidates only. A test holds the
    two forms equal for every kind of user (tests/test_api_search.py).
    """
    marking_q = policy.visibility_q(user)
    status_q = policy.practice_status_q(user)
    if marking_q is None or status_q is None:
        return Practice.objects.none()
    ids = list(ids)
    allowed = Practice.objects.filter(marking_q, status_q, pk__in=ids).values("pk")
    return Practice.objects.filter(pk__in=allowed)


def access_practice(user: Any, practice_id: int) -> Practice:
    # The workflow rule first: a refused draft must not leave a "read" row in the audit log.
    status_q = policy.practice_status_q(user)
    if status_q is None or not Practice.objects.filter(status_q, pk=practice_id).exists():
        raise Http404
    return access_marked(user, Practice, practice_id)


def access_attachment(user: Any, practice_id: int, attachment_id: int) -> Attachment:
    practice = access_practice(user, practice_id)
    attachment = Attachment.objects.filter(pk=attachment_id, practice=practice).first()
    if attachment is None:
        raise Http404
    return attachment
