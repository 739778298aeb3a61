"""Fetch helpers of the practice library: what the user may see, or Http404.

Visibility is one rule of the policy (``practice_visibility_q``): the core marking rule together
with the workflow rule: a draft is seen by its author organisation only, a submitted practice
also by the secretariat that reviews it (whatever its recipients), a published one by everyone
the marking allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet import ratelimits
from ctnet.core import ratelimit
from ctnet.core import services as core_services
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
    q = policy.practice_visibility_q(user)
    if q is None:
        return Practice.objects.none()
    # The joins through recipients can repeat a row: a sub-query of primary keys keeps one.
    return Practice.objects.filter(pk__in=Practice.objects.filter(q).values("pk"))


def visible_among(user: Any, ids: Iterable[int]) -> QuerySet[Practice]:
    """``visible_practices(user).filter(pk__in=ids)``, fast when the library is large.

    A sub-query over the whole table costs about half a second at 100,000 practices on
    SQLite. Search knows its few hundred candidates, so the policy's rule
    (``practice_visibility_q``) is applied to a sub-query over the candidates only. A test holds
    the two forms equal for every kind of user (tests/test_api_search.py).
    """
    q = policy.practice_visibility_q(user)
    if q is None:
        return Practice.objects.none()
    ids = list(ids)
    allowed = Practice.objects.filter(q, pk__in=ids).values("pk")
    return Practice.objects.filter(pk__in=allowed)


def access_practice(user: Any, practice_id: int) -> Practice:
    """A practice the user may read, or 404; opening an AMBER one is written to the audit log
    (a refused one leaves no "read" row)."""
    practice = visible_practices(user).select_related("originator").filter(pk=practice_id).first()
    if practice is None:
        raise Http404
    if practice.tlp in AUDITED_READ_TLP:
        core_services.record_read(acting_user=user, obj=practice, why=f"TLP:{practice.tlp}")
    return practice


def access_attachment(user: Any, practice_id: int, attachment_id: int) -> Attachment:
    """An attachment to download: 404 as for its practice; 403 when the practice is marked H2
    and the user's organisation may not take a copy (``policy.can_take_copy``)."""
    practice = access_practice(user, practice_id)
    attachment = Attachment.objects.filter(pk=attachment_id, practice=practice).first()
    if attachment is None:
        raise Http404
    if not policy.can_take_copy(user, practice):
        raise PermissionDenied(
            _(
                "This practice is marked H2: no onward sharing without the originator's "
                "permission. Read it here, or ask %(origin)s for a copy."
            )
            % {"origin": practice.originator.code}
        )
    attachment.practice = practice  # the marking travels with the download
    return attachment
