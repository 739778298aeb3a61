"""Watchlists of foreign terrorist fighters, traveller screening runs, possible matches and
their human review (Security Council resolution 2396; DESIGN.md rules 3 and 4).

What is *not* here is as deliberate as what is: a traveller who matched nothing is never written
to any table (the run keeps counts only), and a possible match keeps the traveller's details only
until its retention date.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ctnet.core.models import MarkedModel, Organisation, User


class ListSource(models.TextChoices):
    UN_SC = "UN_SC", _("UN Security Council Consolidated List")
    NATIONAL = "NATIONAL", _("National list")
    INTERNATIONAL = "INTERNATIONAL", _("International organisation's list")


class EntryLegalStatus(models.TextChoices):
    """DESIGN.md rule 3, plus the status of a person on a UN sanctions list."""

    SANCTIONED = "sanctioned", _("Listed under UN sanctions")
    SUSPECT = "suspect", _("Suspect")
    CHARGED = "charged", _("Charged")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    CLEARED = "cleared", _("Cleared")
    DECEASED = "deceased", _("Deceased")


class EntryStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("Listed")
    # Kept for history and for the hits that refer to it, never screened again.
    DELISTED = "DELISTED", _("De-listed")


class Watchlist(MarkedModel):
    """A list owned by one organisation (``originator``).

    Its marking says who may *screen* against it: CLEAR/GREEN the network, AMBER the named
    recipient organisations. ``entries_visible`` says whether those screeners also see the
    entries' details in a possible match, or only a hit/no-hit answer with the evidence and a
    reference to ask the owner about (the model of INTERPOL's notices and of most national lists).
    """

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=ListSource.choices)
    legal_basis = models.CharField(max_length=500)
    purpose = models.CharField(max_length=500)
    default_legal_status = models.CharField(
        max_length=16, choices=EntryLegalStatus.choices, default=EntryLegalStatus.SUSPECT
    )
    entries_visible = models.BooleanField(default=True)
    # How long a confirmed hit on this list is kept (the owner's legal basis decides it).
    hit_retention_days = models.PositiveIntegerField(default=730)
    # Entries not re-confirmed by an import within this many days are due for review.
    review_days = models.PositiveIntegerField(default=365)
    is_active = models.BooleanField(default=True)
    edition = models.CharField(max_length=40, blank=True)
    last_import_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """One listed person or entity, modelled on the field's person schema (names with quality,
    original script, dates of birth exact/year/range, places of birth, documents)."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="entries")
    # The list's own reference (UN "QDi.014", a national id); unique within the list.
    ref = models.CharField(max_length=64)
    # UN DATAID: stable across editions even when the reference number is reissued.
    data_id = models.CharField(max_length=32, blank=True)
    entity_type = models.CharField(max_length=16, default="individual")
    primary_name = models.CharField(max_length=300)
    names = models.JSONField(default=list)  # [{"text", "kind"}], kind as in the engine
    dobs = models.JSONField(default=list)  # [{"kind", "date", "year_from", "year_to", ...}]
    places_of_birth = models.JSONField(default=list)
    nationalities = models.JSONField(default=list)  # ISO 3166 alpha-3 where resolvable
    documents = models.JSONField(default=list)  # [{"number", "type", "country"}]
    gender = models.CharField(max_length=16, blank=True)
    listed_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=500)
    legal_status = models.CharField(max_length=16, choices=EntryLegalStatus.choices)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    delisted_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change of content: a remembered false positive holds only for the
    # version it was decided on ("not raised again without new evidence").
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["watchlist_id", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "ref"], name="screening_entry_ref_unique")
        ]
        indexes = [models.Index(fields=["status", "watchlist"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.primary_name}"


class ImportFormat(models.TextChoices):
    UN_XML = "UN_XML", _("UN Security Council XML")
    CSV = "CSV", _("CSV")


class WatchlistImport(models.Model):
    """One import of a whole list, with the report of what it changed."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="imports")
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=8, choices=ImportFormat.choices)
    edition = models.CharField(max_length=40, blank=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    delisted = models.PositiveIntegerField(default=0)
    relisted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # {"added": [ref], "changed": {ref: [field]}, "delisted": [ref], "relisted": [ref]}
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"import of {self.watchlist_id} at {self.at:%Y-%m-%d}"


class Channel(models.TextChoices):
    API = "API", _("API (JSON)")
    CSV = "CSV", _("Passenger list (CSV)")
    PAXLST = "PAXLST", _("Passenger list (UN/EDIFACT PAXLST)")
    PAGE = "PAGE", _("Single check (page)")


class Purpose(models.TextChoices):
    """Why travellers are screened; recorded with every run (purpose limitation)."""

    BORDER = "BORDER", _("Border control (advance passenger information)")
    VISA = "VISA", _("Visa or residence application")
    INVESTIGATION = "INVESTIGATION", _("Criminal investigation")


class ScreeningRun(models.Model):
    """One screening call. Counts and flight facts only: no traveller who matched nothing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    source_name = models.CharField(max_length=255, blank=True)
    # Flight facts from a PAXLST message (carrier, number, airports, times): no person in them.
    flight = models.JSONField(default=dict, blank=True)
    threshold = models.FloatField()
    watchlists = models.ManyToManyField(Watchlist, related_name="+")
    travellers = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    travellers_with_matches = models.PositiveIntegerField(default=0)
    possible_matches = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)  # remembered false positives
    # Possible matches raised by an earlier run and seen again in this one (attached to them).
    seen_again = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.travellers} travellers)"


class HitStatus(models.TextChoices):
    OPEN = "OPEN", _("To review")
    PROPOSED = "PROPOSED", _("Confirmation proposed: needs a second reviewer")
    CONFIRMED = "CONFIRMED", pgettext_lazy("possible match", "Confirmed")
    FALSE_POSITIVE = "FALSE_POSITIVE", _("False positive")
    INCONCLUSIVE = "INCONCLUSIVE", _("Inconclusive")


class Outcome(models.TextChoices):
    """What a first reviewer may decide."""

    CONFIRMED = "CONFIRMED", _("Confirmed (needs a second reviewer)")
    FALSE_POSITIVE = "FALSE_POSITIVE", _("False positive")
    INCONCLUSIVE = "INCONCLUSIVE", _("Inconclusive")


class Hit(models.Model):
    """A possible match: one traveller, one entry, the score and its evidence. A person decides."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="hits")
    entry_version = models.PositiveIntegerField()
    traveller_ref = models.CharField(max_length=64)
    traveller_name = models.CharField(max_length=300)
    traveller_dob = models.CharField(max_length=32, blank=True)
    traveller_nationality = models.CharField(max_length=3, blank=True)
    traveller_document = models.CharField(max_length=64, blank=True)
    # Keyed hash of the traveller's identifying data: how a remembered false positive is found
    # again without keeping the traveller in clear.
    traveller_key = models.CharField(max_length=64, db_index=True)
    # Keyed hash of the normalised name alone: finds an earlier decision on the same entry for a
    # traveller of that name who now presents other data (new evidence), to show it the reviewer.
    name_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The earlier decision on this entry that new evidence reopened, if any.
    earlier_decision = models.ForeignKey(
        "DecisionMemory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sightings (one per run, ``HitSighting``), counted here so that a queue shows them for free.
    times_seen = models.PositiveIntegerField(default=1)
    last_seen_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=HitStatus.choices, default=HitStatus.OPEN)
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notify_owner = models.BooleanField(default=False)
    disseminate = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    retain_until = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-score", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"hit {self.pk} ({self.status})"


class ReviewAction(models.TextChoices):
    DECIDED = "DECIDED", _("Decided")
    SECOND_APPROVED = "SECOND_APPROVED", _("Confirmation approved by a second reviewer")
    SECOND_REJECTED = "SECOND_REJECTED", _("Confirmation rejected by a second reviewer")


class Review(models.Model):
    """Each step of the human review of a hit, with its reason (the hit's own trail)."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=ReviewAction.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"review of {self.hit_id}: {self.action}"


class HitSighting(models.Model):
    """One run in which a possible match was found: the run that raised it, and each later run
    that met the same traveller and the same version of the entry again (not raised twice)."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="sightings")
    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="sightings")
    traveller_ref = models.CharField(max_length=64, blank=True)
    score = models.FloatField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hit", "run"], name="screening_sighting_unique")
        ]

    def __str__(self) -> str:
        return f"hit {self.hit_id} seen in run {self.run_id}"


class DecisionMemory(models.Model):
    """'This traveller is (not) this entry', per screening organisation, until new evidence.

    Written by a false positive, an inconclusive decision and an approved confirmation, keyed by
    the traveller's keyed hash and the entry's version: the same pair is not raised again, and a
    new hit on new evidence links back to it so the reviewer sees the earlier decision.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    entry_version = models.PositiveIntegerField()
    traveller_key = models.CharField(max_length=64)
    name_key = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(
        max_length=16, choices=HitStatus.choices, default=HitStatus.FALSE_POSITIVE
    )
    # The hit decided (gone once purged: a false positive's memory outlives its hit).
    hit = models.ForeignKey(Hit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry", "traveller_key"],
                name="screening_fp_memory_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.entry_id} for {self.organisation_id}"


class HitNotice(models.Model):
    """A notice to a list owner that one of its entries was hit and confirmed by four eyes.

    The traveller's details travel only when the reviewers chose to disseminate them.
    """

    hit = models.ForeignKey(
        Hit, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    traveller = models.JSONField(default=dict, blank=True)
    flight = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retain_until = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"notice on {self.entry_id} to {self.owner_id}"


def new_epoch() -> str:
    return secrets.token_hex(16)


class ScreeningIndexState(models.Model):
    """The single row whose checkpoint moves with every change of the screened entries.

    Each process holds one candidate index and rebuilds it when the checkpoint (or the epoch:
    a new database or a rolled-back test counts from 1 again) differs from what it holds.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    checkpoint = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32, default=new_epoch)

    def __str__(self) -> str:
        return f"screening index at {self.checkpoint}"
