"""Secure exchange data: requests and their per-recipient deliveries, replies, attachments,
release requests, bulletins with indicators, sharing groups, and person records (issue 5).

Requests and bulletins carry the core markings (``MarkedModel``); who may read them is the core
visibility rule narrowed to the addressees (``ExchangePolicy.exchange_visible``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import MarkedModel, Organisation, UNGroup, User


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    PARTLY_ANSWERED = "partly_answered", _("Answered in part")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")


# A delivery in one of these states no longer waits for the recipient: never overdue.
SETTLED_STATUSES = frozenset(
    {DeliveryStatus.ANSWERED, DeliveryStatus.REFUSED, DeliveryStatus.CLOSED}
)


class Request(MarkedModel):
    """A request for information or assistance from one organisation to one or several."""

    subject = models.CharField(max_length=200)
    body = models.TextField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Slug of the directory topic; the directory will route it to the recipient's topic contact.
    topic = models.SlugField(max_length=64, blank=True)
    legal_basis = models.CharField(max_length=500)
    purpose = models.CharField(max_length=500)
    # Fernet token (see ``crypto.py``); readable by the originating organisation only.
    source_details_enc = models.TextField(blank=True)
    # A released copy points at the material it was released from (originator control).
    released_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="released_copies"
    )
    release_conditions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"request {self.pk}"


class Delivery(models.Model):
    """One recipient organisation's copy of a request and where it stands (every step timed)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.SENT
    )
    deadline = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"], name="one_delivery_per_org")
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"delivery {self.pk} of request {self.request_id}"

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return not self.is_settled and self.deadline < timezone.now()


class ReplyKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    PART = "part", _("Part of the answer")
    FINAL = "final", _("Final answer")


class Reply(models.Model):
    """A message in the thread between the sender and one recipient organisation."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReplyKind.choices, default=ReplyKind.MESSAGE)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"reply {self.pk}"


class Attachment(models.Model):
    """A file of a request, stored by SHA-256 under the data directory (``attachments.py``)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename


class ReleaseStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the originator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ReleaseKind(models.TextChoices):
    ONWARD = "onward", _("Pass on to an organisation")
    EXPORT = "export", _("Export out of the platform (STIX)")


class ReleaseRequest(models.Model):
    """A recipient asks the originator to pass a request or bulletin on to one more
    organisation (``onward``: an approval makes a linked copy), or to take a bulletin's
    indicators out of the platform (``export``: an approval lets the requesting organisation
    export its STIX bundle). Exactly one of ``request`` and ``bulletin`` is set; ``originator``
    is the material's originating organisation, the one that decides."""

    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.CASCADE, related_name="releases"
    )
    bulletin = models.ForeignKey(
        "Bulletin", null=True, blank=True, on_delete=models.CASCADE, related_name="releases"
    )
    originator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReleaseKind.choices, default=ReleaseKind.ONWARD)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requesting_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    new_recipient = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    refusal_reason = models.TextField(blank=True)
    copy = models.OneToOneField(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="release"
    )
    bulletin_copy = models.OneToOneField(
        "Bulletin", null=True, blank=True, on_delete=models.SET_NULL, related_name="release"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False, bulletin__isnull=True)
                | models.Q(request__isnull=True, bulletin__isnull=False),
                name="release_of_request_or_bulletin",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="onward", new_recipient__isnull=False)
                | models.Q(kind="export", new_recipient__isnull=True, request__isnull=True),
                name="release_onward_names_recipient_export_is_bulletin",
            ),
        ]

    def __str__(self) -> str:
        return f"release {self.pk}"

    @property
    def material(self) -> Request | Bulletin:
        material = self.request if self.request_id else self.bulletin
        assert material is not None  # the check constraint: exactly one is set
        return material


class SharingGroup(models.Model):
    """A named group of organisations that bulletins can be addressed to."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Organisation, related_name="exchange_groups")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    NETWORK = "network", _("The whole network")
    REGION = "region", _("A UN regional group")
    GROUP = "group", _("A sharing group")
    # A copy the originator approved for one more organisation (``ReleaseRequest``).
    RELEASE = "release", _("Released to one organisation")


class BulletinCategory(models.TextChoices):
    DRONES = "drones", _("Drones")
    CYBER = "cyber", _("Cyber-attacks")
    CBRN = "cbrn", _("CBRN")
    INCIDENT = "incident", _("Incident")
    OTHER = "other", _("Other emerging threat")


class Bulletin(MarkedModel):
    """An alert or bulletin; the audience is expanded into ``acks`` when it is published."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    category = models.CharField(max_length=16, choices=BulletinCategory.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    un_group = models.CharField(max_length=32, choices=UNGroup.choices, blank=True)
    sharing_group = models.ForeignKey(
        SharingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="bulletins"
    )
    source_details_enc = models.TextField(blank=True)
    released_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="released_copies"
    )
    release_conditions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"bulletin {self.pk}"


class BulletinAck(models.Model):
    """One addressee organisation of a bulletin, and whether it has acknowledged it."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="acks")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "organisation"], name="one_ack_per_org")
        ]

    def __str__(self) -> str:
        return f"ack {self.pk}"


class IndicatorKind(models.TextChoices):
    DOMAIN = "domain", _("Domain name")
    URL = "url", _("URL")
    IPV4 = "ipv4", _("IPv4 address")
    SHA256 = "sha256", _("SHA-256 file hash")
    FILE_NAME = "file_name", _("File name")


class Indicator(models.Model):
    """A typed, validated technical indicator of a bulletin (``indicators.py``)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=16, choices=IndicatorKind.choices)
    value = models.CharField(max_length=2000)
    # Only shareable indicators leave the platform in a STIX export.
    shareable = models.BooleanField(default=True)
    description = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.value[:40]}"


class LegalStatus(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    CHARGED = "charged", _("Charged")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    CLEARED = "cleared", _("Cleared")
    DECEASED = "deceased", _("Deceased")


class PersonRecord(models.Model):
    """A person named in a request or bulletin (DESIGN.md rule 3).

    A released copy of the material carries a copy of the record whose ``copy_of`` is the
    original; corrections, withdrawal and purge act on the original and all of its copies.
    """

    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.CASCADE, related_name="people"
    )
    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.CASCADE, related_name="people"
    )
    copy_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="copies"
    )
    originator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    family_name = models.CharField(max_length=200)
    given_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    # [{"type": "passport", "number": "...", "country": "FRA"}]
    documents = models.JSONField(default=list, blank=True)
    legal_status = models.CharField(max_length=16, choices=LegalStatus.choices)
    legal_basis = models.CharField(max_length=500)
    purpose = models.CharField(max_length=500)
    review_date = models.DateField()
    retain_until = models.DateField(db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False, bulletin__isnull=True)
                | models.Q(request__isnull=True, bulletin__isnull=False),
                name="person_on_request_or_bulletin",
            )
        ]

    def __str__(self) -> str:
        return f"person record {self.pk}"

    @property
    def root_id(self) -> int:
        return self.copy_of_id or self.pk
