"""Read-only views over the banks: the delta feed for platforms and the transparency report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from ctnet.hashes import access
from ctnet.hashes.indexing import current_state
from ctnet.hashes.models import MATCHABLE_STATUSES, Bank, MatchWindow, Signal
from ctnet.hashes.policy import policy


@dataclass
class FeedPage:
    checkpoint: int
    next: int
    has_more: bool
    items: list[tuple[Signal, bool]]  # (signal, deleted)
    # Checkpoints count from 1 again in a new or restored database: a client that holds a cursor
    # of another epoch must start over (``threatexchange fetch --clear``), not resume.
    epoch: str = ""


def feed_page(user: Any, since: int, limit: int | None = None) -> FeedPage:
    """Signals changed after checkpoint ``since``, in checkpoint order.

    A signal the caller sees and may match on is an entry; one that was shared and is no longer
    (removed, disabled, quarantined, expired, back under confirmation) is a tombstone. A signal
    the caller never saw is left out, so a tombstone never reveals a pending contribution.
    """
    limit = min(limit or settings.HASHES_FEED_PAGE_SIZE, settings.HASHES_FEED_PAGE_SIZE)
    # Read the head first: whatever commits after this is for the next call.
    epoch, head = current_state()
    banks = access.feed_banks(user)  # 403 for the wrong role; H2 banks only where named
    scope = policy.hash_signal_q(user)
    assert scope is not None
    rows = list(
        Signal.objects.filter(bank__in=banks, change_seq__gt=since, change_seq__lte=head)
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
    # Entries carry the hash and its labels; tombstones carry an id and a status only.
    shown = [(s.pk, s.bank.tlp) for s, deleted in items if not deleted]
    access.record_reads(user, shown, object_type="hashes.signal", why="feed")
    next_checkpoint = rows[-1].change_seq if has_more else max(head, since)
    return FeedPage(
        checkpoint=head, next=next_checkpoint, has_more=has_more, items=items, epoch=epoch
    )


def transparency_report(user: Any, start: datetime, end: datetime) -> dict[str, Any]:
    """Counts per bank, label and status over a period, for the banks the caller sees.

    Matches are counted in windows; a window is in the period when it starts inside it. The
    oversight role sees no content: its report covers every bank but says only how many banks,
    signals and matches each owning organisation has (codes and counts; no bank name, no
    entity, which are free text) — ``oversight_report``.
    """
    if not policy.can_use_hashes(user):
        return oversight_report(start, end)
    signals = Signal.objects.filter(bank__in=access.visible_banks(user).values("pk"))
    windows = _windows(signals, start, end)
    return {
        "scope": "visible",
        **_counts(signals, windows, start, end),
        "matches_by_bank": list(
            windows.values("signal__bank_id", "signal__bank__name")
            .annotate(n=Sum("count"))
            .order_by("signal__bank_id")
        ),
        "matches_by_entity": _grouped(windows, "signal__entity", Sum("count")),
    }


def oversight_report(start: datetime, end: datetime) -> dict[str, Any]:
    """The whole platform in counts per owning organisation (codes), for oversight."""
    signals = Signal.objects.all()
    windows = _windows(signals, start, end)
    banks = dict(Bank.objects.values_list("originator__code").annotate(n=Count("pk")).order_by())
    held = dict(signals.values_list("bank__originator__code").annotate(n=Count("pk")).order_by())
    added = dict(
        signals.filter(created_at__gte=start, created_at__lt=end)
        .values_list("bank__originator__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    matched = dict(
        windows.values_list("signal__bank__originator__code").annotate(n=Sum("count")).order_by()
    )
    return {
        "scope": "oversight",
        **_counts(signals, windows, start, end),
        "by_organisation": [
            {
                "organisation": code,
                "banks": n,
                "signals": held.get(code, 0),
                "signals_added": added.get(code, 0),
                "matches": matched.get(code, 0),
            }
            for code, n in sorted(banks.items())
        ],
    }


def _windows(signals: Any, start: datetime, end: datetime) -> Any:
    return MatchWindow.objects.filter(
        signal__in=signals.values("pk"), window_start__gte=start, window_start__lt=end
    )


def _grouped(qs: Any, key: str, total: Any) -> list[dict[str, Any]]:
    return list(qs.values(key).annotate(n=total).order_by(key))


def _counts(signals: Any, windows: Any, start: datetime, end: datetime) -> dict[str, Any]:
    """What every report says: statuses and categories are codes, not content."""
    return {
        "start": start,
        "end": end,
        "signals_by_status": _grouped(signals, "status", Count("pk")),
        "signals_added": signals.filter(created_at__gte=start, created_at__lt=end).count(),
        "matches_by_category": _grouped(windows, "signal__category", Sum("count")),
        "matches_by_status": _grouped(windows, "signal__status", Sum("count")),
    }
