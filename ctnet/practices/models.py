"""Good practices: the practice, its versions, endorsements, comments, attachments, index state."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from ctnet.core.markings import Handling
from ctnet.core.models import MarkedModel, Organisation, User
from ctnet.practices.vocab import Language, Status, theme_label


class Practice(MarkedModel):
    """A good practice. Its origin is the ``originator`` organisation (a state or an entity)."""

    title = models.CharField(max_length=300)
    summary = models.TextField(max_length=3000)
    body = models.TextField(max_length=60000, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices)
    themes = models.JSONField(default=list)
    # UN regional groups (core.models.UNGroup values) where the practice was applied.
    regions = models.JSONField(default=list, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    outcomes = models.TextField(max_length=10000, blank=True)
    # A free-text pointer to the person who can tell more; a link to a directory contact point
    # replaces it once ctnet.directory can be depended on.
    contact_reference = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    review_comment = models.TextField(max_length=5000, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # float32 little-endian, 512 values (engine/embedder.py); written by the embedding task.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_digest = models.CharField(max_length=64, blank=True, editable=False)
    # PostgreSQL only ('simple' configuration, GIN index in migration 0002); NULL on SQLite,
    # where the FTS5 table practices_fts holds the index instead.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        # No index on status on purpose: it has three or four values, and without statistics
        # SQLite's planner would scan it (all published rows) instead of looking up the few
        # hundred search candidates by primary key (0.5 s against 5 ms at 100,000 practices).
        indexes = [models.Index(fields=["published_at", "id"])]

    def __str__(self) -> str:
        return f"practice {self.pk} {self.title[:60]}"

    @property
    def theme_labels(self) -> list[str]:
        return [theme_label(t) for t in self.themes]

    @property
    def handling_labels(self) -> list[str]:
        """The handling codes in plain words, for pages (H2 — no onward sharing ...)."""
        return [str(Handling(code).label) for code in self.handling]


class PracticeVersion(models.Model):
    """The content of a practice as it was after each edit (number = Practice.version then)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    edited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practice_version_unique")
        ]

    def __str__(self) -> str:
        return f"practice {self.practice_id} v{self.number}"


class Endorsement(models.Model):
    """'We applied this': one per organisation and practice, with a short note."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"], name="endorsement_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"endorsement of {self.practice_id} by {self.organisation_id}"


class PracticeComment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.practice_id}"


class Attachment(models.Model):
    """A file stored under the data directory, named by its SHA-256 (see attachments.py)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"attachment {self.filename} of {self.practice_id}"


class SearchIndexState(models.Model):
    """One row whose token changes whenever searchable content changes.

    Every process keeps the embedding matrix in memory and rebuilds it when the token it read
    is no longer the one stored: the index lives in the database and survives any restart.
    The token is random rather than a counter: after a rolled-back transaction (or a restored
    backup) a counter would come back to a number a process has already seen, with other data.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"practice index v{self.version}"

    @classmethod
    def bump(cls) -> None:
        token = secrets.randbits(62) + 1
        if not cls.objects.filter(id=1).update(version=token):
            cls.objects.get_or_create(id=1, defaults={"version": token})

    @classmethod
    def current(cls) -> int:
        row: Any = cls.objects.filter(id=1).values_list("version", flat=True).first()
        return int(row or 0)
