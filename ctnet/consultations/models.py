"""Consultations of the civil-society unit (issue 15): questions, participation, submissions,
themes with their responses, and the results they lead to.

Anonymity is a property of the tables, not of the pages: an anonymous ``Submission`` has no
person, no organisation and no time finer than the day, and its primary key is random, so no
sequence number lines it up with the ``Participation`` row that only says "this person has taken
part" (the guard against a second submission). Nothing joins the two tables.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import Organisation, UNGroup, User


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    SYNTHESIS = "synthesis", _("Synthesis")
    PUBLISHED = "published", _("Response published")


# The only moves of the window; each is one service call, checked on the server.
NEXT_STATUS = {
    Status.DRAFT: Status.OPEN,
    Status.OPEN: Status.CLOSED,
    Status.CLOSED: Status.SYNTHESIS,
    Status.SYNTHESIS: Status.PUBLISHED,
}


class SubjectKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROGRAMME = "programme", _("Programme")
    GUIDELINE = "guideline", _("Guideline")
    ACTION_PLAN = "action_plan", _("Action plan")


class Audience(models.TextChoices):
    ALL_CSOS = "all_csos", _("All accredited civil-society organisations")
    REGION = "region", _("Civil-society organisations of a region")
    NAMED = "named", _("Named organisations")
    # Anyone who holds the consultation's link, without an account: anonymous inputs only.
    PUBLIC = "public", _("The public, through a link")


class Mode(models.TextChoices):
    IDENTIFIED = "identified", _("Identified (as your organisation)")
    PSEUDONYMOUS = "pseudonymous", _("Pseudonymous (an alias; the unit knows the organisation)")
    ANONYMOUS = "anonymous", _("Anonymous (nothing links the submission to you)")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    STATEMENT = "statement", _("Agree or disagree")


class Stance(models.IntegerChoices):
    AGREE = 1, _("Agree")
    PASS = 0, _("Pass")
    DISAGREE = -1, _("Disagree")


class ResponseKind(models.TextChoices):
    TAKEN_UP = "taken_up", _("Taken up")
    PARTLY = "partly", _("Partly taken up")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class Consultation(models.Model):
    originator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject = models.CharField(max_length=300)
    subject_link = models.URLField(blank=True)
    # The plan, programme or guideline consulted on where it is held in the platform: its id
    # under the capability that offers ``subject_kind`` (``core.capabilities.subject_kinds``).
    # An id, not a foreign key, so consultations imports no other capability's models.
    subject_ref = models.PositiveIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    region = models.CharField(max_length=32, choices=UNGroup.choices, blank=True)
    named_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+")
    languages = models.JSONField(default=list)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    # At risk: receipts for every sender, uploads stripped of metadata, mails that name nothing.
    at_risk = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optional hard end of the window: past it a submission is refused even while "open".
    closes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The public link (audience "public"): the SHA-256 of its token, never the token itself,
    # which is shown once to the unit member who made it. Emptied when the link is revoked.
    public_link_hash = models.CharField(max_length=64, blank=True)
    public_link_made_at = models.DateTimeField(null=True, blank=True)
    public_link_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The page of a plan, a programme or a guideline asks which consultations are on it.
        indexes = [
            models.Index(fields=["subject_kind", "subject_ref"], name="consultation_subject")
        ]

    def __str__(self) -> str:
        return self.title

    def participant_count(self) -> int:
        """People who took part. Senders through a public link have no account, so no
        participation row: their inputs are counted (one each; nothing tells two apart)."""
        if self.audience == Audience.PUBLIC:
            return self.submissions.count()
        return self.participations.count()


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    choices = models.JSONField(default=list)
    required = models.BooleanField(default=False)
    # An answer that must differ between senders (a registration number): it identifies the
    # sender, so an anonymous consultation refuses such a question when it is configured.
    unique_answer = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "position"], name="question_position")
        ]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """That a person has taken part, and nothing about what they said (the second-vote guard)."""

    # A random key as on submissions: a counter would number both tables in the same order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"participation in {self.consultation_id}"


class Theme(models.Model):
    """A group of inputs a person formed, and the unit's answer to it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    response = models.CharField(max_length=16, choices=ResponseKind.choices, blank=True)
    reason = models.TextField(blank=True)
    change_link = models.URLField(blank=True)
    change_label = models.CharField(max_length=200, blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ThemeProject(models.Model):
    """A monitoring project that answers a theme of inputs and the unit's response to it
    (issue 16), linked by the project's heads.

    A foreign key to monitoring's project: consultations may depend on monitoring, never the
    other way round, so monitoring reads these links only through the answer kind in
    ``apps.py``.
    """

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey("monitoring.Project", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["theme_id", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "project"], name="consultations_theme_project_once"
            )
        ]

    def __str__(self) -> str:
        return f"project {self.project_id} answers theme {self.theme_id}"


class Moderation(models.TextChoices):
    REINSTATED = "reinstated", _("Reinstated by a moderator")
    REMOVED = "taken_down", _("Removed by a moderator")


class Submission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="submissions"
    )
    mode = models.CharField(max_length=16, choices=Mode.choices)
    # Identified and pseudonymous only; always empty for an anonymous submission.
    author = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    alias = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=10)
    # The day only: a finer time would line the submission up with the sender's other acts.
    submitted_on = models.DateField()
    # SHA-256 of the receipt code; the code itself is shown once to the sender, never stored.
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    # An attached image, re-encoded without its metadata, stored by digest.
    attachment_digest = models.CharField(max_length=64, blank=True)
    attachment_type = models.CharField(max_length=32, blank=True)
    # Hidden pending a moderator (reports); a hidden input waits for the decision, not a theme.
    hidden = models.BooleanField(default=False)
    moderation = models.CharField(max_length=16, choices=Moderation.choices, blank=True)
    appeal = models.TextField(blank=True)

    class Meta:
        # Never by insertion: the key is random, and the listing order says nothing.
        ordering = ["submitted_on", "id"]

    def __str__(self) -> str:
        return f"submission {self.id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    selected = models.JSONField(default=list)
    stance = models.SmallIntegerField(choices=Stance.choices, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_answer")
        ]

    def __str__(self) -> str:
        return f"answer {self.id}"


class ResultStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Result(models.Model):
    """What the consultation led to, in Decidim's accountability shape (a tree of results)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(max_length=200)
    weight = models.FloatField(default=1.0)
    # A leaf's own progress (0-100); a parent's is rolled up from its children.
    progress = models.FloatField(default=0.0)
    status = models.CharField(max_length=16, choices=ResultStatus.choices)
    themes = models.ManyToManyField(Theme, blank=True, related_name="results")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    # What the step consists of, for the people who gave the inputs it answers.
    description = models.TextField(blank=True, max_length=2000)
    on = models.DateField()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """A participant's report about an input; enough of them hide it until a moderator decides."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reports")
    # The reporter, never the author: an anonymous input stays linked to nobody.
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    reported_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "reporter"], name="one_report")
        ]

    def __str__(self) -> str:
        return f"report on {self.submission_id}"
