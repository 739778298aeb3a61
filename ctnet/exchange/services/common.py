"""Small helpers shared by the exchange services."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ctnet.core.models import Membership, Role
from ctnet.exchange.notices import send_notice


def notify_after_commit(kind: str, path: str, org_ids: list[int], **kw: Any) -> None:
    """Queue a notice once the change is committed: a rolled-back send must not e-mail anyone."""
    ids = sorted(set(org_ids))
    if ids:
        transaction.on_commit(lambda: send_notice.enqueue(kind, path, ids, **kw))


def named_readers(org_ids: list[int]) -> list[int]:
    """Users who become the named readers of RED material sent to these organisations.

    TLP:RED reaches named people only; for an organisation that is its head (coordinator or
    focal point), who decides who else needs to know.
    """
    heads = {Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    return list(
        Membership.objects.filter(
            organisation_id__in=org_ids, is_active=True, role__in=sorted(heads)
        ).values_list("user_id", flat=True)
    )
