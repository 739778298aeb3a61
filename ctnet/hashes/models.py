"""Hash banks, signals, their governance (confirmations, opinions, false-positive reports), match
counters and the checkpoint that tells every process when its in-memory index is stale."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.markings import Handling
from ctnet.core.models import MarkedModel, Organisation, User


class BankKind(models.TextChoices):
    STANDARD = "STANDARD", _("Standing bank")
    CRISIS = "CRISIS", _("Crisis bank (incident protocol)")


class CrisisState(models.TextChoices):
    """Life of a crisis bank; standing banks leave it blank."""

    OPEN = "OPEN", _("Open: quick sharing")
    REVIEW = "REVIEW", _("Closed: signals back under confirmation")
    EXPIRED = "EXPIRED", _("Closed: signals expired")


class CrisisEnd(models.TextChoices):
    """What happens when the time box of a crisis bank ends."""

    REVIEW = "REVIEW", _("Review: keep confirmed signals, the rest wait for confirmation")
    EXPIRE = "EXPIRE", _("Expire every signal")


class SignalStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending confirmation")
    ACTIVE = "ACTIVE", _("Active")
    DISPUTED = "DISPUTED", _("Disputed")
    DISABLED = "DISABLED", _("Disabled (false positives)")
    QUARANTINED = "QUARANTINED", _("Quarantined (matched far too much)")
    EXPIRED = "EXPIRED", _("Expired")
    REMOVED = "REMOVED", _("Removed")


# Shared with everyone who may see the bank. A disputed signal stays shared but is flagged: the
# dispute is information for the reviewer, not a verdict.
SHARED_STATUSES = frozenset({SignalStatus.ACTIVE, SignalStatus.DISPUTED})
# In the match index: pending signals match for their contributor and the bank's reviewers.
MATCHABLE_STATUSES = frozenset({SignalStatus.PENDING, *SHARED_STATUSES})
# Sent as tombstones in the feed: a platform must drop them from its local index.
TOMBSTONE_STATUSES = frozenset(
    {
        SignalStatus.DISABLED,
        SignalStatus.QUARANTINED,
        SignalStatus.EXPIRED,
        SignalStatus.REMOVED,
    }
)


class ContentCategory(models.TextChoices):
    """What the content shows, in the spirit of GIFCT's hash-sharing taxonomy."""

    PROPAGANDA = "PROPAGANDA", _("Propaganda")
    RECRUITMENT = "RECRUITMENT", _("Recruitment")
    INSTRUCTIONAL = "INSTRUCTIONAL", _("Instructional material")
    GRAPHIC_VIOLENCE = "GRAPHIC_VIOLENCE", _("Graphic violence")
    GLORIFICATION = "GLORIFICATION", _("Glorification of an attack")
    ATTACK_FOOTAGE = "ATTACK_FOOTAGE", _("Attacker-produced footage")
    OTHER = "OTHER", _("Other")


class Bank(MarkedModel):
    """A collection of signals owned by one organisation; its marking covers every signal in it.

    ``originator`` (from ``MarkedModel``) is the owning organisation; ``recipient_orgs`` are the
    organisations an AMBER/GREEN bank is shared with (platforms see nothing unless named there).
    """

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=BankKind.choices, default=BankKind.STANDARD)
    # A signal is shared beyond its contributor only once a second organisation confirms it.
    requires_confirmation = models.BooleanField(default=True)
    legal_basis = models.CharField(max_length=500, blank=True)
    is_open = models.BooleanField(default=True)
    incident = models.CharField(max_length=300, blank=True)
    crisis_state = models.CharField(max_length=16, choices=CrisisState.choices, blank=True)
    crisis_end = models.CharField(max_length=16, choices=CrisisEnd.choices, blank=True)
    crisis_started_at = models.DateTimeField(null=True, blank=True)
    crisis_ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["crisis_state", "crisis_ends_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def handling_labels(self) -> list[str]:
        """The handling codes in plain words, for pages."""
        return [str(Handling(code).label) for code in self.handling]

    @property
    def no_onward_sharing(self) -> bool:
        """H2: the owner's permission is needed before its signals go further."""
        return Handling.H2 in self.handling


class Signal(models.Model):
    """One hash with its labels and the organisations that vouch for it."""

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="signals")
    signal_type = models.CharField(max_length=16)
    # Normalised by the engine's signal type (lower-case hexadecimal). A vPDQ hash (a list of
    # frames) is too long for an indexed column: its SHA-256 stands for it here, and the frames
    # are kept whole in ``full_value`` (``stored_value``).
    value = models.CharField(max_length=128)
    full_value = models.TextField(blank=True, default="")
    quality = models.PositiveSmallIntegerField(null=True, blank=True)
    contributor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contributed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(max_length=500)
    # Labels.
    category = models.CharField(max_length=20, choices=ContentCategory.choices)
    # The UN-listed entity or group: a reference code (QDe.004) or a name.
    entity = models.CharField(max_length=200, blank=True)
    behaviour = models.CharField(max_length=300, blank=True)
    incident = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=SignalStatus.choices, default=SignalStatus.PENDING
    )
    status_reason = models.CharField(max_length=500, blank=True)
    # Starts at 100; false-positive reports lower it (see settings.HASHES_FP_*).
    trust_score = models.IntegerField(default=100)
    match_count = models.BigIntegerField(default=0)
    last_matched_at = models.DateTimeField(null=True, blank=True)
    # When the signal was first shared beyond its contributor: only then does the feed owe
    # other organisations a tombstone for it.
    shared_at = models.DateTimeField(null=True, blank=True)
    # The index checkpoint of the last change to this signal (the feed's cursor).
    change_seq = models.BigIntegerField(default=0, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "signal_type", "value"], name="hashes_signal_unique_in_bank"
            )
        ]
        indexes = [models.Index(fields=["signal_type", "value"])]

    def __str__(self) -> str:
        return f"{self.signal_type}:{self.value[:16]}… ({self.status})"

    @property
    def is_shared(self) -> bool:
        return self.status in SHARED_STATUSES

    @property
    def hash_value(self) -> str:
        """The hash as exchanged: the frames of a vPDQ hash, the value of any other."""
        return self.full_value or self.value


#: Signal types whose normalised value is kept in ``Signal.full_value`` (see ``stored_value``).
LONG_VALUE_TYPES = frozenset({"vpdq"})


def stored_value(signal_type: str, value: str) -> tuple[str, str]:
    """``(value, full_value)`` columns for a normalised hash of ``signal_type``."""
    if signal_type in LONG_VALUE_TYPES:
        return hashlib.sha256(value.encode()).hexdigest(), value
    return value, ""


class Confirmation(models.Model):
    """A second organisation vouching for a signal."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "organisation"], name="hashes_one_confirmation_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"confirmation of {self.signal_id} by {self.organisation_id}"


class LabelOpinion(models.Model):
    """An organisation agreeing or disagreeing with a signal's labels, with its reason."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="opinions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "organisation"], name="hashes_one_opinion_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"opinion on {self.signal_id} by {self.organisation_id}: {self.agrees}"


class FalsePositiveReport(models.Model):
    """A platform or member saying a match on this signal was not terrorist content."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="fp_reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # One report per organisation: a single platform cannot disable a signal alone.
            models.UniqueConstraint(fields=["signal", "organisation"], name="hashes_one_fp_per_org")
        ]

    def __str__(self) -> str:
        return f"false positive on {self.signal_id} by {self.organisation_id}"


class MatchWindow(models.Model):
    """How many times one signal matched in one fixed window: surge detection and reports."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="match_windows")
    window_start = models.DateTimeField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "window_start"], name="hashes_one_window_per_signal"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.signal_id} @ {self.window_start}: {self.count}"


def new_epoch() -> str:
    return secrets.token_hex(16)


class HashIndexState(models.Model):
    """The single row whose checkpoint moves with every signal change (locked FOR UPDATE).

    Match processes compare it with the checkpoint of the index they hold; the feed uses it as
    its cursor. Bumped in the same transaction as the change, so the order of checkpoints is
    the order of commits.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    checkpoint = models.BigIntegerField(default=0)
    # Checkpoints count from 1 again in a new database (and in every rolled-back test), so a
    # held or saved index is keyed by this random epoch too: a number alone could name the index
    # of another database.
    epoch = models.CharField(max_length=32, default=new_epoch)

    def __str__(self) -> str:
        return f"hash index at {self.checkpoint}"
