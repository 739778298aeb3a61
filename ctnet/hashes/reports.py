"""Read-only views over the banks: the delta feed for platforms and the transparency report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from ctnet.hashes import access
from ctnet.hashes.indexing import current_checkpoint
from ctnet.hashes.models import MATCHABLE_STATUSES, Bank, MatchWindow, Signal
from ctnet.hashes.policy import policy


@dataclass
class FeedPage:
    checkpoint: int
    next: int
    has_more: bool
    items: list[tuple[Signal, bool]]  # (signal, deleted)


def feed_page(user: Any, since: int, limit: int | None = None) -> FeedPage:
    """Signals changed after checkpoint ``since``, in checkpoint order.

    A signal the caller sees and may match on is an entry; one that was shared and is no longer
    (removed, disabled, quarantined, expired, back under confirmation) is a tombstone. A signal
    the caller never saw is left out, so a tombstone never reveals a pending contribution.
    """
    limit = min(limit or settings.HASHES_FEED_PAGE_SIZE, settings.HASHES_FEED_PAGE_SIZE)
    # Read the head first: whatever commits after this is for the next call.
    head = current_checkpoint()
    scope = policy.hash_signal_q(user)
    visible_banks = access.visible_banks(user).values("pk")
    assert scope is not None  # visible_banks raised for the wrong role
    rows = list(
        Signal.objects.filter(bank__in=visible_banks, change_seq__gt=since, change_seq__lte=head)
        .filter(scope | Q(shared_at__isnull=False))
        .select_related("bank", "contributor")
        .order_by("change_seq")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    visible = set(
        Signal.objects.filter(scope, pk__in=[s.pk for s in rows]).values_list("pk", flat=True)
    )
    items = [(s, not (s.pk in visible and s.status in MATCHABLE_STATUSES)) for s in rows]
    next_checkpoint = rows[-1].change_seq if has_more else max(head, since)
    return FeedPage(checkpoint=head, next=next_checkpoint, has_more=has_more, items=items)


def transparency_report(user: Any, start: datetime, end: datetime) -> dict[str, Any]:
    """Counts per bank, label and status over a period, for the banks the caller sees.

    Matches are counted in windows; a window is in the period when it starts inside it.
    """
    banks = access.visible_banks(user) if policy.can_use_hashes(user) else Bank.objects.all()
    signals = Signal.objects.filter(bank__in=banks.values("pk"))
    windows = MatchWindow.objects.filter(
        signal__in=signals.values("pk"), window_start__gte=start, window_start__lt=end
    )

    def grouped(qs: Any, key: str, total: Any) -> list[dict[str, Any]]:
        return list(qs.values(key).annotate(n=total).order_by(key))

    return {
        "start": start,
        "end": end,
        "signals_by_status": grouped(signals, "status", Count("pk")),
        "signals_added": signals.filter(created_at__gte=start, created_at__lt=end).count(),
        "matches_by_bank": list(
            windows.values("signal__bank_id", "signal__bank__name")
            .annotate(n=Sum("count"))
            .order_by("signal__bank_id")
        ),
        "matches_by_category": grouped(windows, "signal__category", Sum("count")),
        "matches_by_entity": grouped(windows, "signal__entity", Sum("count")),
        "matches_by_status": grouped(windows, "signal__status", Sum("count")),
    }
