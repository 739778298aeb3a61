"""Organisations, people, memberships, API tokens, invitations, rate-limit buckets, audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ctnet.core.markings import TLP, InformationGrade, SourceGrade
from ctnet.core.policy import policy
from ctnet.core.roles import COMMUNITY_KINDS, OrgKind, Role, UNGroup
from ctnet.core.timezones import validate_time_zone

if TYPE_CHECKING:
    from django.db.models import QuerySet


class Organisation(models.Model):
    """A member of the network: a state, an international entity, a CSO or a company."""

    kind = models.CharField(max_length=20, choices=OrgKind.choices)
    # ISO 3166-1 alpha-3 for member states; a short stable code (UNOCT, INTERPOL) otherwise.
    code = models.CharField(max_length=32, unique=True)
    # Names in the six UN languages: {"en": ..., "fr": ..., "ar": ..., "zh": ..., "ru": ..., "es"}.
    names = models.JSONField(default=dict)
    un_group = models.CharField(max_length=32, choices=UNGroup.choices, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English, then the code."""
        lang = (translation.get_language() or "en").split("-")[0]
        return self.names.get(lang) or self.names.get("en") or self.code

    @property
    def is_community(self) -> bool:
        return self.kind in COMMUNITY_KINDS


class NoticeEmail(models.TextChoices):
    """How a person gets the platform's notices by e-mail; in the platform they always land."""

    EACH = "each", _("Each notice by e-mail as it comes")
    DIGEST = "digest", _("One e-mail a day listing the day's notices")
    NONE = "none", _("No e-mail: notices in the platform only")


#: What to ``select_related`` from a person so that ``adopt_fetched_membership`` needs no query.
MEMBERSHIP_WITH_PERSON = "membership__organisation"


class User(AbstractUser):
    """A person. What they may do comes from their membership, not from Django's flags."""

    preferred_language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default="en", blank=True
    )
    # The IANA zone the person reads times in (issue 14); empty means UTC. Rows store UTC.
    time_zone = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_time_zone]
    )
    notice_email = models.CharField(
        max_length=8, choices=NoticeEmail.choices, default=NoticeEmail.EACH
    )

    @property
    def active_membership(self) -> Membership | None:
        # Cached on the instance: the policy asks for it many times per request.
        cached = self.__dict__.get("_active_membership", ...)
        if cached is ...:
            cached = (
                Membership.objects.select_related("organisation")
                .filter(user=self, is_active=True, organisation__is_active=True)
                .first()
            )
            self.__dict__["_active_membership"] = cached
        return cached

    def adopt_fetched_membership(self) -> None:
        """After ``select_related(MEMBERSHIP_WITH_PERSON)``: answer ``active_membership`` from
        the row fetched with the person instead of a query of its own (issue 18)."""
        try:
            membership: Membership | None = self.membership
        except ObjectDoesNotExist:
            membership = None
        if membership is not None and not (
            membership.is_active and membership.organisation.is_active
        ):
            membership = None
        self.__dict__["_active_membership"] = membership

    def forget_membership(self) -> None:
        self.__dict__.pop("_active_membership", None)


class Membership(models.Model):
    """A user's place in the network: one organisation, one role.

    One active membership per person keeps the policy simple and the audit trail unambiguous:
    every act is done on behalf of exactly one organisation.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.code} ({self.role})"


class Invitation(models.Model):
    """An invitation to join an organisation with a role; the only way in (no open sign-up)."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(max_length=32, choices=Role.choices)
    # SHA-256 of the secret sent by email; the secret itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.organisation_id} as {self.role}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 of the secret part is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The public part of the token, shown in lists so people can tell tokens apart.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.prefix} of user {self.user_id}"

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RateLimitBucket(models.Model):
    """A token bucket for one named rule and one (hashed) subject; see ``core/ratelimit.py``."""

    key = models.CharField(max_length=100, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class ScheduledJobRun(models.Model):
    """When ``ctnet worker`` last enqueued a scheduled job (``core/scheduler.py``)."""

    name = models.CharField(max_length=64, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_enqueued_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One notice to one person in the platform, beside (or instead of) its e-mail.

    The same rule as the e-mails: the kind of event and a link, never the exchanged content
    (a title is "New request for information", not the request's subject); the linked page
    applies the access rules when it is opened. Written in the recipient's language.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # A path on this site ("/exchange/requests/12/"), so a moved SITE_URL breaks no link.
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an e-mail carried it (the notice's own, or the day's digest); empty: not mailed.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}"


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained audit log (see ``core/audit.py``)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    # Kept as text too: the record must still say who acted if the account is renamed.
    actor_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"audit {self.pk} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit events are append-only")


class AuditHead(models.Model):
    """The single row that serialises appends to the audit chain (locked FOR UPDATE).

    ``mac`` signs ``count`` and ``last_hash`` with the audit key (``core/audit.py``), so that
    someone who deletes the last rows cannot rewrite the head to match without the key.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head at {self.count}"


# --- Markings, as reusable fields ------------------------------------------------------------


class MarkedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> QuerySet:
        """Only the rows this user may see; the rule lives in ``core.policy``."""
        return policy.filter_visible(self, user)


class MarkedModel(models.Model):
    """Abstract base for anything shared in the network: originator, markings, recipients.

    ``recipient_orgs`` are the organisations an AMBER/AMBER+STRICT object was shared with;
    for RED the named people in ``recipient_users`` are the only readers besides the originator's
    own authors.
    """

    originator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="originated_%(class)s"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    tlp = models.CharField(max_length=16, choices=TLP.choices, default=TLP.AMBER)
    handling = models.JSONField(default=list, blank=True)
    handling_note = models.CharField(max_length=500, blank=True)
    source_grade = models.CharField(max_length=1, choices=SourceGrade.choices, blank=True)
    info_grade = models.CharField(max_length=1, choices=InformationGrade.choices, blank=True)
    recipient_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+")
    recipient_users = models.ManyToManyField(User, blank=True, related_name="+")

    objects = MarkedQuerySet.as_manager()

    class Meta:
        abstract = True
