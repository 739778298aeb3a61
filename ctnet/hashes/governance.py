"""Governance writes: label opinions and disputes, false-positive reports and trust, match
counting with surge quarantine, and the end of crisis banks. Same rules as ``services``: one
function per act, atomic, audited in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.hashes.models import (
    SHARED_STATUSES,
    Bank,
    Confirmation,
    CrisisEnd,
    CrisisState,
    FalsePositiveReport,
    LabelOpinion,
    MatchWindow,
    Signal,
    SignalStatus,
)
from ctnet.hashes.policy import policy
from ctnet.hashes.services import set_status

# --- Label opinions and disputes -------------------------------------------------------------


def _dispute_status(signal: Signal) -> str | None:
    """The status the opinions call for, or None to leave it as it is.

    Disputed once at least ``HASHES_DISPUTE_THRESHOLD`` organisations disagree and they outnumber
    those who agree; back to active when that no longer holds. Only shared signals move: a
    pending or disabled signal keeps its status, its opinions are still shown.
    """
    if signal.status not in SHARED_STATUSES:
        return None
    tally = signal.opinions.aggregate(
        agree=Count("pk", filter=Q(agrees=True)), disagree=Count("pk", filter=Q(agrees=False))
    )
    disputed = (
        tally["disagree"] >= settings.HASHES_DISPUTE_THRESHOLD
        and tally["disagree"] > tally["agree"]
    )
    wanted = SignalStatus.DISPUTED if disputed else SignalStatus.ACTIVE
    return wanted if wanted != signal.status else None


def give_label_opinion(
    *, acting_user: User, signal: Signal, agrees: bool, reason: str
) -> LabelOpinion:
    """Agree or disagree with a signal's labels; one opinion per organisation, replaceable."""
    if not policy.can_give_hash_opinion(acting_user):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for your opinion."))
    org = acting_org(acting_user)
    with transaction.atomic():
        current = Signal.objects.select_for_update().get(pk=signal.pk)
        opinion, _created = LabelOpinion.objects.update_or_create(
            signal=current,
            organisation=org,
            defaults={
                "user": acting_user,
                "agrees": agrees,
                "reason": reason,
                "at": timezone.now(),
            },
        )
        new_status = _dispute_status(current)
        if new_status is not None:
            disputed = new_status == SignalStatus.DISPUTED
            set_status([current], new_status, _("labels contested") if disputed else "")
        audit.record(
            "hashes.signal.opinion",
            actor=acting_user,
            obj=current,
            detail={"agrees": agrees, "status": current.status},
        )
    signal.status = current.status
    return opinion


# --- False positives and trust ---------------------------------------------------------------


def report_false_positive(*, acting_user: User, signal: Signal, reason: str) -> Signal:
    """Each report lowers trust by ``HASHES_FP_TRUST_PENALTY``; at or below
    ``HASHES_FP_DISABLE_TRUST`` the signal is disabled (and tombstoned in the feed)."""
    if not policy.can_contribute_hashes(acting_user):
        raise PermissionDenied(_("Your role may not report false positives."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what the matched content really was."))
    org = acting_org(acting_user)
    with transaction.atomic():
        current = Signal.objects.select_for_update().get(pk=signal.pk)
        _report, created = FalsePositiveReport.objects.get_or_create(
            signal=current, organisation=org, defaults={"user": acting_user, "reason": reason}
        )
        if not created:
            raise ValidationError(_("Your organisation has already reported this signal."))
        current.trust_score = max(0, current.trust_score - settings.HASHES_FP_TRUST_PENALTY)
        current.save(update_fields=["trust_score"])
        disabled = current.trust_score <= settings.HASHES_FP_DISABLE_TRUST and current.status in (
            SignalStatus.PENDING,
            *SHARED_STATUSES,
        )
        if disabled:
            set_status([current], SignalStatus.DISABLED, _("false-positive reports"))
        audit.record(
            "hashes.signal.false_positive",
            actor=acting_user,
            obj=current,
            detail={"trust": current.trust_score, "disabled": disabled},
        )
    return current


# --- Match counting and surge quarantine -----------------------------------------------------


def window_start(now: datetime) -> datetime:
    """The fixed window ``now`` falls in (windows of ``HASHES_SURGE_WINDOW_MINUTES``)."""
    size = settings.HASHES_SURGE_WINDOW_MINUTES * 60
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, tz=now.tzinfo)


def record_matches(*, acting_user: User, counts: dict[int, int]) -> list[int]:
    """Count matches per signal (on match, never on read) and quarantine surging signals.

    Race-free under concurrency: the windows are created with ``ignore_conflicts`` and then
    incremented in SQL. Returns the ids quarantined now.
    """
    if not counts:
        return []
    now = timezone.now()
    start = window_start(now)
    by_increment: dict[int, list[int]] = defaultdict(list)
    for signal_id, n in counts.items():
        by_increment[n].append(signal_id)
    with transaction.atomic():
        MatchWindow.objects.bulk_create(
            [MatchWindow(signal_id=i, window_start=start) for i in sorted(counts)],
            ignore_conflicts=True,
        )
        for n, ids in by_increment.items():
            MatchWindow.objects.filter(window_start=start, signal_id__in=ids).update(
                count=F("count") + n
            )
            Signal.objects.filter(pk__in=ids).update(
                match_count=F("match_count") + n, last_matched_at=now
            )
        surging = list(
            Signal.objects.select_for_update().filter(
                pk__in=MatchWindow.objects.filter(
                    window_start=start,
                    signal_id__in=list(counts),
                    count__gt=settings.HASHES_SURGE_MATCHES,
                ).values("signal_id"),
                status__in=sorted(SHARED_STATUSES),
            )
        )
        # One audit row per match request: matching reads AMBER material (DESIGN.md rule 5).
        audit.record(
            "hashes.match",
            actor=acting_user,
            detail={"signals": sorted(counts), "matches": sum(counts.values())},
        )
        if surging:
            _quarantine(surging, start)
    return [s.pk for s in surging]


def _quarantine(signals: list[Signal], start: datetime) -> None:
    reason = _("matched more than %(n)d times in %(m)d minutes") % {
        "n": settings.HASHES_SURGE_MATCHES,
        "m": settings.HASHES_SURGE_WINDOW_MINUTES,
    }
    set_status(signals, SignalStatus.QUARANTINED, reason)
    for signal in signals:
        # No actor: the platform quarantined it on its own rule, and says which.
        audit.record(
            "hashes.signal.quarantine",
            obj=signal,
            detail={
                "rule": "surge",
                "matches": settings.HASHES_SURGE_MATCHES,
                "minutes": settings.HASHES_SURGE_WINDOW_MINUTES,
                "window_start": start.isoformat(),
            },
        )


# --- Crisis banks ----------------------------------------------------------------------------


def close_crisis_bank(*, acting_user: User | None, bank: Bank, end: str) -> Bank:
    """End the incident protocol: review (unconfirmed signals wait for a second organisation)
    or expiry (every live signal expires and is tombstoned). ``acting_user`` None: the task."""
    if acting_user is not None and not policy.can_manage_hash_bank(acting_user, bank):
        raise PermissionDenied(_("Only the bank's owner or the secretariat may close it."))
    if end not in CrisisEnd.values:
        raise ValidationError(_("Unknown end of crisis %(end)s.") % {"end": end})
    with transaction.atomic():
        current = Bank.objects.select_for_update().get(pk=bank.pk)
        if current.crisis_state != CrisisState.OPEN:
            raise ValidationError(_("This is not an open crisis bank."))
        live = list(
            current.signals.select_for_update().filter(
                status__in=[SignalStatus.PENDING, *SHARED_STATUSES]
            )
        )
        # Not an annotation: PostgreSQL refuses FOR UPDATE with GROUP BY.
        vouched = set(
            Confirmation.objects.filter(signal__in=live).values_list("signal_id", flat=True)
        )
        if end == CrisisEnd.EXPIRE:
            changed = live
            set_status(changed, SignalStatus.EXPIRED, _("crisis bank closed"))
            current.crisis_state = CrisisState.EXPIRED
            current.is_open = False
        else:
            changed = [s for s in live if s.pk not in vouched and s.status != SignalStatus.PENDING]
            set_status(changed, SignalStatus.PENDING, _("crisis over: awaiting confirmation"))
            current.crisis_state = CrisisState.REVIEW
            current.requires_confirmation = True
        current.crisis_ends_at = min(current.crisis_ends_at or timezone.now(), timezone.now())
        current.save(
            update_fields=["crisis_state", "is_open", "requires_confirmation", "crisis_ends_at"]
        )
        audit.record(
            "hashes.crisis.close",
            actor=acting_user,
            obj=current,
            detail={"end": end, "signals_changed": len(changed)},
        )
    return current


def expire_crisis_banks(now: datetime | None = None) -> list[int]:
    """Close every crisis bank whose time box has ended, as chosen when it was opened."""
    due = Bank.objects.filter(
        crisis_state=CrisisState.OPEN, crisis_ends_at__lte=now or timezone.now()
    ).values_list("pk", "crisis_end")
    closed = []
    for bank_id, end in due:
        bank = Bank.objects.get(pk=bank_id)
        close_crisis_bank(acting_user=None, bank=bank, end=end or CrisisEnd.EXPIRE)
        closed.append(bank_id)
    return closed


def crisis_time_left(bank: Bank, now: datetime | None = None) -> timedelta | None:
    if bank.crisis_state != CrisisState.OPEN or bank.crisis_ends_at is None:
        return None
    return max(timedelta(0), bank.crisis_ends_at - (now or timezone.now()))
