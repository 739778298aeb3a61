"""Coordination data (issue 17): national and regional action plans, their commitments with the
owner's self-report and independent assessments, milestones, evidence, and the references
(resolution paragraphs) that commitments implement.

A plan carries the core markings (``MarkedModel``); its commitments, milestones, assessments and
evidence are read through the plan, so one visibility rule covers them all.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import MarkedModel, Organisation, User


class PlanScope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class PlanFocus(models.TextChoices):
    CT = "ct", _("Counter-terrorism")
    PVE = "pve", _("Preventing violent extremism")


class Visibility(models.TextChoices):
    """How far a plan reaches, in words; stored as the platform's markings (``policy``)."""

    NETWORK = "network", _("The whole network")
    SHARED = "shared", _("Shared with named organisations")
    PRIVATE = "private", _("Private to the owner and the secretariat")


class Status(models.TextChoices):
    """The Open Government Partnership's completion scale; "no evidence" is an assessor's."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    NO_EVIDENCE = "no_evidence", _("No evidence")


# The owner reports on the work; only an assessor can find that there is no evidence of it.
SELF_STATUSES = (Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.COMPLETE)


class ActionPlan(MarkedModel):
    """A national plan (owner: a member state) or a regional one (a regional organisation)."""

    scope = models.CharField(max_length=10, choices=PlanScope.choices)
    focus = models.CharField(max_length=4, choices=PlanFocus.choices)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    # Pillars of the UN Global Counter-Terrorism Strategy covered: "I" .. "IV".
    pillars = models.JSONField(default=list)
    period_start = models.DateField()
    period_end = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["originator", "period_end"])]

    def __str__(self) -> str:
        return f"plan {self.pk} of {self.originator_id}"


class Commitment(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    pillar = models.CharField(max_length=3, blank=True)
    # References outside the reference list: a CTED recommendation, a regional strategy.
    free_references = models.JSONField(default=list, blank=True)
    # The owner's own report.
    self_status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    self_progress = models.PositiveSmallIntegerField(default=0)  # per cent
    self_note = models.TextField(blank=True)
    self_reported_at = models.DateTimeField(null=True, blank=True)
    # The latest independent assessment, copied here so that the per-resolution and coverage
    # views read one row per commitment; the history is in ``Assessment``.
    assessed_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    assessed_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # An organisation the owner asked to assess (told by a notice); cleared when it has.
    assessment_requested_from = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return f"commitment {self.pk} of plan {self.plan_id}"


class CommitmentProject(models.Model):
    """A monitoring project that answers a commitment (issue 16), linked by the project's heads.

    A foreign key to monitoring's project: coordination may depend on monitoring (it starts
    projects from matches already), never the other way round, so monitoring reads these links
    only through the answer kind in ``apps.py``.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="project_links"
    )
    project = models.ForeignKey("monitoring.Project", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commitment_id", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "project"], name="coordination_commitment_project_once"
            )
        ]

    def __str__(self) -> str:
        return f"project {self.project_id} answers commitment {self.commitment_id}"


class CommitmentReference(models.Model):
    """A resolution paragraph (or pillar) a commitment implements: indexed by code, so the
    per-resolution view is one query whatever the number of plans."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="references")
    code = models.CharField(max_length=16)
    paragraph = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["code", "paragraph"]
        indexes = [models.Index(fields=["code", "paragraph"])]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "code", "paragraph"], name="coordination_one_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.paragraph}".strip()


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    done_at = models.DateField(null=True, blank=True)
    # Organisations responsible: the owner itself or Compact entities that support it.
    responsible_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+")
    # A named office of the state that is not an organisation of the network ("Ministry of
    # Interior, border police").
    responsible_office = models.CharField(max_length=200, blank=True)
    # The day the owners were told it is due (the scheduled job tells them once).
    due_notice_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date", "done_at"])]

    def __str__(self) -> str:
        return f"milestone {self.pk} due {self.due_date}"


class Assessment(models.Model):
    """An independent assessment of a commitment, by an organisation that does not implement it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"assessment {self.pk} of commitment {self.commitment_id}"


class Evidence(models.Model):
    """A link or a stored file behind a self-report (no assessment) or an assessment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="evidence")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    url = models.URLField(max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, blank=True)  # the stored file (core/files.py)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"evidence {self.pk} of commitment {self.commitment_id}"


# --- Assistance matched to needs (CTED's "technical-assistance needs" beside "capacity to assist")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class AssistanceNeed(MarkedModel):
    """A state's technical-assistance need; network-wide (TLP:GREEN) so that offerers see it."""

    topic = models.CharField(max_length=40)  # a slug of core/topics.py
    region = models.CharField(max_length=32)  # the state's UN regional group, at the time
    languages = models.JSONField(default=list)  # language codes the assistance can be given in
    urgency = models.CharField(max_length=8, choices=Urgency.choices)
    title = models.CharField(max_length=300)
    existing = models.TextField(blank=True)  # what exists already
    status = models.CharField(max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    closing_report = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "status"])]

    def __str__(self) -> str:
        return f"need {self.pk} of {self.originator_id}"


class AssistanceOffer(models.Model):
    """Capacity to assist, offered by a Compact entity, an international or regional
    organisation or a state."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=40)
    regions = models.JSONField(default=list, blank=True)  # UN groups served; empty: everywhere
    languages = models.JSONField(default=list)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "is_active"])]

    def __str__(self) -> str:
        return f"offer {self.pk} of {self.organisation_id}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    # "agreed", not "accepted": core already uses that word, and no core string may be one of a
    # capability's values (tests/test_structure.py).
    ACCEPTED = "agreed", _("Accepted")


class Match(models.Model):
    """A match the platform proposes; a person of the state in need accepts it."""

    need = models.ForeignKey(AssistanceNeed, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(AssistanceOffer, on_delete=models.CASCADE, related_name="matches")
    score = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The monitoring project the assisting organisation started for this match
    # (``services.assistance.start_project``); its first approved report closes the need.
    project = models.ForeignKey(
        "monitoring.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="coordination_one_match")
        ]

    def __str__(self) -> str:
        return f"match {self.pk}: need {self.need_id}, offer {self.offer_id}"


# --- Working groups of the Global Counter-Terrorism Coordination Compact ---------------------
# Network-wide within the community (the Compact's work is shared among its entities and the
# states it serves); not marked, so no plan-style visibility rule applies.


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# What is still owed: the late list and the waiting counts read these.
OPEN_ITEM_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)


class WorkingGroup(models.Model):
    name = models.CharField(max_length=300, unique=True)
    mandate = models.TextField(blank=True)
    members = models.ManyToManyField(Organisation, related_name="working_groups")
    chairs = models.ManyToManyField(Organisation, related_name="chaired_working_groups")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            # The service refuses a name that differs only in case; the index holds it when
            # two secretariat members set groups up at once.
            models.UniqueConstraint(Lower("name"), name="coordination_group_name_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WorkItem(models.Model):
    """An item of a group's programme of work, owned by one member entity."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="work_items")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"work item {self.pk} of group {self.group_id}"


class GroupMeeting(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"meeting {self.pk} of group {self.group_id}"


class Decision(models.Model):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"decision {self.pk} of meeting {self.meeting_id}"


class FollowUp(models.Model):
    """An action a decision assigns to a responsible entity, by a date."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(max_length=300)
    responsible = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["responsible", "status", "due_date"])]

    def __str__(self) -> str:
        return f"follow-up {self.pk} of decision {self.decision_id}"


class MeetingDocument(models.Model):
    """A document of a meeting (agenda papers, a concept note, the report), stored once by its
    digest through core's upload checks (``core/files.py``)."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="documents")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    digest = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"document {self.pk} of meeting {self.meeting_id}"
