"""Directory: contact points, their history, reminders and communication tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import Organisation, User
from ctnet.directory import taxonomy


class Function(models.TextChoices):
    NATIONAL_COORDINATOR = "NATIONAL_COORDINATOR", _("National coordinator")
    ENTITY_FOCAL_POINT = "ENTITY_FOCAL_POINT", _("Entity focal point")
    OFFICE = "OFFICE", _("Office or function")


# The entry a route falls back to when no topic contact can be reached.
HEAD_FUNCTIONS = frozenset({Function.NATIONAL_COORDINATOR, Function.ENTITY_FOCAL_POINT})


class Audience(models.TextChoices):
    """Who beyond the network community may see an entry. Each level includes the previous."""

    NETWORK = "NETWORK", _("Network members only")
    CIVIL_SOCIETY = "CIVIL_SOCIETY", _("Also civil society")
    PLATFORMS = "PLATFORMS", _("Also civil society and technology platforms")


def reconfirm_cutoff(now: datetime | None = None) -> datetime:
    """Entries last confirmed before this moment are stale."""
    return (now or timezone.now()) - timedelta(days=settings.DIRECTORY_RECONFIRM_DAYS)


class ContactPoint(models.Model):
    """One office or function of an organisation, with the people who hold it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contact_points"
    )
    function = models.CharField(max_length=32, choices=Function.choices, default=Function.OFFICE)
    office = models.CharField(max_length=200)
    # [{"name": ..., "title": ...}]: the people who hold the function today.
    holders = models.JSONField(default=list, blank=True)
    mandate = models.TextField(blank=True)
    topics = models.CharField(max_length=400, blank=True)  # taxonomy.pack() of topic slugs
    languages = models.CharField(max_length=100, blank=True)  # taxonomy.pack() of ISO 639-1
    time_zone = models.CharField(max_length=64, default="UTC")
    always_on = models.BooleanField(default=False)  # staffed 24/7
    hours_start = models.TimeField(null=True, blank=True)
    hours_end = models.TimeField(null=True, blank=True)
    work_days = models.CharField(max_length=7, default="12345")  # ISO weekdays, 1 = Monday
    urgent_procedure = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    pgp_fingerprint = models.CharField(max_length=64, blank=True)
    other_channel = models.CharField(max_length=300, blank=True)
    deputy = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy_for"
    )
    published_to = models.CharField(
        max_length=16, choices=Audience.choices, default=Audience.NETWORK
    )
    verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_confirmed_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__code", "function", "office"]
        indexes = [
            models.Index(fields=["organisation", "is_active"]),
            models.Index(fields=["is_active", "last_confirmed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.office} ({self.organisation_id})"

    @property
    def topic_list(self) -> list[str]:
        return taxonomy.unpack(self.topics)

    @property
    def topic_labels(self) -> list[str]:
        return [taxonomy.topic_label(t) for t in self.topic_list]

    @property
    def language_list(self) -> list[str]:
        return taxonomy.unpack(self.languages)

    @property
    def is_stale(self) -> bool:
        return self.last_confirmed_at < reconfirm_cutoff()

    @property
    def confirm_due_at(self) -> datetime:
        return self.last_confirmed_at + timedelta(days=settings.DIRECTORY_RECONFIRM_DAYS)

    @property
    def is_head(self) -> bool:
        return self.function in HEAD_FUNCTIONS

    @property
    def display_name(self) -> str:
        names = [h.get("name", "") for h in self.holders if h.get("name")]
        return ", ".join(names) or self.office

    @property
    def office_hours(self) -> str:
        if self.always_on:
            return "24/7"
        if self.hours_start is None or self.hours_end is None:
            return ""
        days = work_days_label(self.work_days)
        return f"{self.hours_start:%H:%M}–{self.hours_end:%H:%M} ({days})"


def work_days_label(days: str) -> str:
    """ISO weekday digits ("12345") as abbreviated day names in the active language ("Mon–Fri")."""
    numbers = sorted({int(d) for d in days if d in "1234567"})
    if not numbers:
        return ""
    names = [str(WEEKDAYS_ABBR[n - 1]) for n in numbers]
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


# What a history row records (``services._record_change``), as the contact page names it.
CHANGE_ACTIONS = {
    "create": _("created"),
    "update": _("updated"),
    "confirm": _("re-confirmed"),
    "verify": _("verification changed"),
    "archive": _("archived"),
}


class ContactChange(models.Model):
    """One change to a contact point: who, when, which fields from what to what."""

    contact = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=32)
    version = models.PositiveIntegerField()
    changes = models.JSONField(default=dict)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} of contact {self.contact_id} v{self.version}"


class ReminderSent(models.Model):
    """A re-confirmation reminder already sent, so each threshold mails once per cycle."""

    contact = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    # The confirmation this reminder is about: a new confirmation starts a new cycle.
    cycle = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "days_before", "cycle"], name="directory_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.days_before}d for contact {self.contact_id}"


class CommunicationTest(models.Model):
    """A secretariat test: every contact gets an email and confirms receipt with one click."""

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"communication test {self.pk}"


class Receipt(models.Model):
    """One contact's part in a communication test. Only a SHA-256 of the link secret is kept."""

    test = models.ForeignKey(CommunicationTest, on_delete=models.CASCADE, related_name="receipts")
    contact = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contact__organisation__code", "contact__office"]

    def __str__(self) -> str:
        return f"receipt {self.pk} of test {self.test_id}"

    @property
    def time_to_confirm(self) -> timedelta | None:
        return self.confirmed_at - self.sent_at if self.confirmed_at else None
