"""Every write of the hash banks: one function each, atomic, with its audit row.

Every change to a signal moves the ``HashIndexState`` checkpoint in the same transaction
(``_touch``): match processes rebuild their index when it moved, and the feed pages by it.
Governance writes (opinions, false positives, surges, crisis banks) live in ``governance.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit, remarking
from ctnet.core.markings import TLP, clean_handling
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org
from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.signals import PDQ_MIN_QUALITY, PdqSignal, get_signal_type
from ctnet.hashes.indexing import prebuild_pdq_index
from ctnet.hashes.models import (
    SHARED_STATUSES,
    Bank,
    BankKind,
    Confirmation,
    ContentCategory,
    CrisisEnd,
    CrisisState,
    HashIndexState,
    Signal,
    SignalStatus,
    stored_value,
)
from ctnet.hashes.policy import policy


def _touch(signals: Sequence[Signal], fields: Iterable[str]) -> int:
    """Give each signal the next checkpoint and save ``fields``; call inside the transaction.

    Each signal gets its own number, so a feed page never cuts through a group of equal cursors.
    The row lock serialises changes: checkpoints are handed out in commit order.
    """
    state, _created = HashIndexState.objects.select_for_update().get_or_create(id=1)
    first = state.checkpoint + 1
    state.checkpoint += len(signals)
    state.save(update_fields=["checkpoint"])
    now = timezone.now()
    for offset, signal in enumerate(signals):
        signal.change_seq = first + offset
        signal.updated_at = now
    Signal.objects.bulk_update(
        list(signals), [*set(fields), "change_seq", "updated_at"], batch_size=500
    )
    transaction.on_commit(prebuild_pdq_index.enqueue)
    return state.checkpoint


def set_status(signals: Sequence[Signal], status: str, reason: str) -> None:
    """Move signals to ``status`` (inside the caller's transaction); the caller audits."""
    now = timezone.now()
    for signal in signals:
        signal.status = status
        signal.status_reason = reason[:500]
        if status in SHARED_STATUSES and signal.shared_at is None:
            signal.shared_at = now
    if signals:
        _touch(signals, ["status", "status_reason", "shared_at"])


# --- Banks -----------------------------------------------------------------------------------


def _clean_bank_fields(name: str, tlp: str, recipients: Sequence[Organisation]) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("A bank needs a name."))
    if tlp not in TLP.values:
        raise ValidationError(_("Unknown TLP level %(tlp)s.") % {"tlp": tlp})
    if tlp == TLP.RED:
        # A RED bank could reach named people only; platforms need whole organisations.
        raise ValidationError(_("Hash banks cannot be TLP:RED; use AMBER+STRICT."))
    if any(not org.is_active for org in recipients):
        raise ValidationError(_("Banks can only be shared with active organisations."))
    return name


def create_bank(
    *,
    acting_user: User,
    name: str,
    description: str = "",
    tlp: str = TLP.AMBER,
    recipients: Sequence[Organisation] = (),
    requires_confirmation: bool = True,
    legal_basis: str = "",
    handling: Sequence[str] = (),
    handling_note: str = "",
) -> Bank:
    if not policy.can_create_hash_bank(acting_user):
        raise PermissionDenied(_("Your role may not own a hash bank."))
    name = _clean_bank_fields(name, tlp, recipients)
    codes, note = clean_handling(handling, handling_note)
    with transaction.atomic():
        bank = Bank.objects.create(
            name=name,
            description=description.strip(),
            originator=acting_org(acting_user),
            created_by=acting_user,
            tlp=tlp,
            handling=codes,
            handling_note=note,
            requires_confirmation=requires_confirmation,
            legal_basis=legal_basis.strip(),
        )
        bank.recipient_orgs.set(recipients)
        audit.record(
            "hashes.bank.create",
            actor=acting_user,
            obj=bank,
            detail={
                "tlp": tlp,
                "handling": codes,
                "recipients": sorted(org.code for org in recipients),
                "requires_confirmation": requires_confirmation,
            },
        )
    return bank


def open_crisis_bank(
    *,
    acting_user: User,
    name: str,
    incident: str,
    hours: int,
    end: str = CrisisEnd.REVIEW,
    tlp: str = TLP.AMBER,
    recipients: Sequence[Organisation] = (),
    legal_basis: str = "",
    handling: Sequence[str] = (),
    handling_note: str = "",
) -> Bank:
    """The incident protocol: a time-boxed bank where one organisation's word shares a signal."""
    if not policy.can_create_hash_bank(acting_user):
        raise PermissionDenied(_("Your role may not open a crisis bank."))
    name = _clean_bank_fields(name, tlp, recipients)
    codes, note = clean_handling(handling, handling_note)
    if not incident.strip():
        raise ValidationError(_("A crisis bank names its incident."))
    if not 1 <= hours <= settings.HASHES_CRISIS_MAX_HOURS:
        raise ValidationError(
            _("The time box must be between 1 and %(max)d hours.")
            % {"max": settings.HASHES_CRISIS_MAX_HOURS}
        )
    if end not in CrisisEnd.values:
        raise ValidationError(_("Unknown end of crisis %(end)s.") % {"end": end})
    now = timezone.now()
    with transaction.atomic():
        bank = Bank.objects.create(
            name=name,
            kind=BankKind.CRISIS,
            incident=incident.strip(),
            originator=acting_org(acting_user),
            created_by=acting_user,
            tlp=tlp,
            handling=codes,
            handling_note=note,
            requires_confirmation=False,
            legal_basis=legal_basis.strip(),
            crisis_state=CrisisState.OPEN,
            crisis_end=end,
            crisis_started_at=now,
            crisis_ends_at=now + timedelta(hours=hours),
        )
        bank.recipient_orgs.set(recipients)
        audit.record(
            "hashes.crisis.open",
            actor=acting_user,
            obj=bank,
            detail={"hours": hours, "end": end, "tlp": tlp, "handling": codes},
        )
    return bank


def change_bank_marking(
    *, acting_user: User, bank: Bank, tlp: str, handling: Sequence[str]
) -> Bank:
    """Raise (any reader) or lower (the owning organisation only) a bank's marking (core's
    ``change_marking``). Banks are never RED: they are shared with organisations, not people."""
    if tlp not in TLP.values or tlp == TLP.RED:
        raise ValidationError(_("Hash banks cannot be TLP:RED; use AMBER+STRICT."))
    return remarking.change_marking(
        acting_user=acting_user, obj=bank, tlp=tlp, handling=handling, action="hashes.bank.marking"
    )


# --- Signals ---------------------------------------------------------------------------------


def _refuse_h2_copy(user: User, bank: Bank, signal_type: str, value: str) -> None:
    """H2 banks' signals are not re-shared into another bank without the owner's permission.

    Only copies the contributor could have taken count: the same hash in an H2 bank it can
    see, of another owner than itself and the target bank's. A hash the contributor cannot see
    elsewhere is never refused (that would tell it the hash exists in a bank it may not see).
    The owner of the H2 bank may add it anywhere itself.
    """
    scope = policy.hash_signal_q(user)
    if scope is None:
        return
    org = acting_org(user)
    copies = (
        Signal.objects.filter(scope, signal_type=signal_type, value=value)
        .filter(bank__in=Bank.objects.visible_to(user).values("pk"))
        .exclude(bank=bank)
        .exclude(bank__originator_id__in=[org.pk, bank.originator_id])
        .select_related("bank__originator")
    )
    for copy in copies:
        if copy.bank.no_onward_sharing:
            raise ValidationError(
                _(
                    "This hash is in bank %(bank)d, marked H2 by %(owner)s: no onward sharing "
                    "without its permission. Ask %(owner)s to add it to this bank."
                )
                % {"bank": copy.bank_id, "owner": copy.bank.originator.code}
            )


def _clean_signal(signal_type: str, value: str, quality: int | None, category: str) -> tuple:
    try:
        kind = get_signal_type(signal_type)
        value = kind.validate(value)
    except HashEngineError as exc:
        raise ValidationError(str(exc)) from None
    if kind is PdqSignal and quality is not None and quality < PDQ_MIN_QUALITY:
        raise ValidationError(
            _(
                "This PDQ hash has quality %(quality)d, below %(min)d: the image is too flat or "
                "too small for its hash to identify it. Contribute its SHA-256 instead."
            )
            % {"quality": quality, "min": PDQ_MIN_QUALITY}
        )
    if kind is not PdqSignal:
        quality = None
    if category not in ContentCategory.values:
        raise ValidationError(_("Unknown content category %(c)s.") % {"c": category})
    return kind.name, value, quality


def contribute_signal(
    *,
    acting_user: User,
    bank: Bank,
    signal_type: str,
    value: str,
    category: str,
    legal_basis: str,
    entity: str = "",
    behaviour: str = "",
    incident: str = "",
    quality: int | None = None,
) -> Signal:
    if not policy.can_contribute_hashes(acting_user):
        raise PermissionDenied(_("Your role may not contribute hashes."))
    if not bank.is_open:
        raise ValidationError(_("This bank is closed to new signals."))
    type_name, normalised, quality = _clean_signal(signal_type, value, quality, category)
    value, full_value = stored_value(type_name, normalised)
    _refuse_h2_copy(acting_user, bank, type_name, value)
    if not legal_basis.strip():
        raise ValidationError(_("Say on what legal basis this hash is shared."))
    quick = not bank.requires_confirmation
    status = SignalStatus.ACTIVE if quick else SignalStatus.PENDING
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                bank=bank,
                signal_type=type_name,
                value=value,
                full_value=full_value,
                quality=quality,
                contributor=acting_org(acting_user),
                contributed_by=acting_user,
                legal_basis=legal_basis.strip(),
                category=category,
                entity=entity.strip(),
                behaviour=behaviour.strip(),
                incident=(incident or bank.incident).strip(),
                status=status,
                shared_at=timezone.now() if quick else None,
            )
            _touch([signal], [])
            audit.record(
                "hashes.signal.contribute",
                actor=acting_user,
                obj=signal,
                detail={"bank": bank.pk, "type": type_name, "status": status},
            )
    except IntegrityError:
        raise ValidationError(_("This hash is already in this bank.")) from None
    return signal


def confirm_signal(*, acting_user: User, signal: Signal) -> Signal:
    """A second organisation vouches for a signal; a pending one is then shared."""
    if not policy.can_confirm_signal(acting_user, signal):
        raise PermissionDenied(_("A signal is confirmed by an organisation other than its own."))
    if signal.status not in (SignalStatus.PENDING, *SHARED_STATUSES):
        raise ValidationError(_("Only a pending or shared signal can be confirmed."))
    org = acting_org(acting_user)
    with transaction.atomic():
        current = Signal.objects.select_for_update().get(pk=signal.pk)
        _confirmation, created = Confirmation.objects.get_or_create(
            signal=current, organisation=org, defaults={"user": acting_user}
        )
        if not created:
            raise ValidationError(_("Your organisation has already confirmed this signal."))
        if current.status == SignalStatus.PENDING:
            set_status([current], SignalStatus.ACTIVE, "")
        audit.record(
            "hashes.signal.confirm",
            actor=acting_user,
            obj=current,
            detail={"status": current.status},
        )
    return current


def remove_signal(*, acting_user: User, signal: Signal, reason: str) -> Signal:
    if not policy.can_remove_signal(acting_user, signal):
        raise PermissionDenied(_("Only the contributor or the bank's owner may remove a signal."))
    if not reason.strip():
        raise ValidationError(_("Say why the signal is removed."))
    with transaction.atomic():
        current = Signal.objects.select_for_update().get(pk=signal.pk)
        if current.status == SignalStatus.REMOVED:
            raise ValidationError(_("This signal is already removed."))
        set_status([current], SignalStatus.REMOVED, reason.strip())
        audit.record(
            "hashes.signal.remove",
            actor=acting_user,
            obj=current,
            detail={"bank": current.bank_id, "status": current.status},
        )
    return current
