"""Capacity-building projects and their results framework, in the shape of IATI 2.03.

A project (an IATI activity) is owned by the entity that runs it (``originator``) and marked like
all shared content. Its results (output, outcome, impact, other; a result may roll up into a
parent) carry indicators with a measure, a baseline and periods; each period has a target, and
its actual is what approved updates report. Updates move draft -> submitted -> returned ->
approved with four eyes, and every change is kept in ``UpdateEvent``. Code values are IATI's own
codelists (ResultType, IndicatorMeasure, ActivityStatus, OrganisationRole, TransactionType), so
the export writes them as they are.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import MarkedModel, Organisation, User


class ProjectStatus(models.TextChoices):
    """IATI ActivityStatus codelist."""

    PIPELINE = "1", _("Pipeline/identification")
    IMPLEMENTATION = "2", _("Implementation")
    FINALISATION = "3", _("Finalisation")
    CLOSED = "4", _("Closed")
    CANCELLED = "5", _("Cancelled")
    SUSPENDED = "6", _("Suspended")


class PartnerRole(models.TextChoices):
    """IATI OrganisationRole codelist."""

    FUNDING = "1", _("Donor (funding)")
    ACCOUNTABLE = "2", _("Accountable")
    EXTENDING = "3", _("Extending")
    IMPLEMENTING = "4", _("Implementing partner")


class ResultType(models.TextChoices):
    """IATI ResultType codelist."""

    OUTPUT = "1", _("Output")
    OUTCOME = "2", _("Outcome")
    IMPACT = "3", _("Impact")
    OTHER = "9", _("Other")


class Measure(models.TextChoices):
    """IATI IndicatorMeasure codelist."""

    UNIT = "1", _("Unit")
    PERCENTAGE = "2", _("Percentage")
    NOMINAL = "3", _("Nominal")
    ORDINAL = "4", _("Ordinal")
    QUALITATIVE = "5", _("Qualitative")


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class Project(MarkedModel):
    """An IATI activity: a capacity-building project run by one entity."""

    iati_identifier = models.CharField(max_length=150, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=1, choices=ProjectStatus.choices, default=ProjectStatus.IMPLEMENTATION
    )
    start_date = models.DateField()
    end_date = models.DateField()
    # ISO 3166-1 alpha-3 of the member states where the project works (core's reference data).
    countries = models.JSONField(default=list, blank=True)
    # Slugs of the four pillars of the Global CT Strategy and of core's topics (``themes.py``).
    themes = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """A participating organisation: a donor, an implementing partner, ... (IATI roles)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The name as written, for a partner outside the network (a national NGO, a foundation).
    name = models.CharField(max_length=300)
    role = models.CharField(max_length=1, choices=PartnerRole.choices)

    class Meta:
        ordering = ["role", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """The money planned for one period (IATI budget)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["period_start", "id"]

    def __str__(self) -> str:
        return f"{self.period_start}..{self.period_end}: {self.value}"


class Disbursement(models.Model):
    """Money paid out on a date (an IATI transaction of type 3, disbursement)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="disbursements")
    date = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=2)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class StoredFile(models.Model):
    """Bytes checked by core's upload checks, stored by digest; a project document or evidence."""

    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True


class ProjectDocument(StoredFile):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class Result(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    # A programme's result rolls up the results of its parts.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    type = models.CharField(max_length=1, choices=ResultType.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    aggregation_status = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=1, choices=Measure.choices)
    # Higher is better (IATI ``ascending``); False for, say, "days to screen a traveller".
    ascending = models.BooleanField(default=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_comment = models.CharField(max_length=1000, blank=True)
    # Disaggregation dimensions: {"sex": ["female", "male"], "age": ["15-24", "25+"]}.
    dimensions = models.JSONField(default=dict, blank=True)
    # ISO alpha-3 codes where the indicator is measured (IATI locations by country).
    countries = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_qualitative(self) -> bool:
        return self.measure == Measure.QUALITATIVE


class Period(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    target_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_comment = models.CharField(max_length=1000, blank=True)
    # Targets by disaggregation: [{"dims": {"sex": "female"}, "value": "40"}].
    target_dimensions = models.JSONField(default=list, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actual, from the approved updates only, kept here when an update is approved (as
    # Akvo RSR does): dashboards over a whole portfolio read one row per period, no update.
    has_actual = models.BooleanField(default=False)
    actual_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    actual_numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    actual_denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    # Approved values by combination of dimensions, summed: [{"dims": {...}, "value": "12"}].
    actual_dimensions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="monitoring_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class PeriodUpdate(models.Model):
    """What a reporter says happened in one period of one indicator; four eyes approve it."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(
        max_length=16, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    # Percentages are reported as a numerator over a denominator, never as a bare figure.
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    narrative = models.TextField(blank=True)
    # [{"dims": {"sex": "female", "age": "15-24"}, "value": "12"}]
    disaggregations = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "period"])]

    def __str__(self) -> str:
        return f"update {self.pk} ({self.status})"


class UpdateEvent(models.Model):
    """The history of an update: every change, who made it, and what it held afterwards."""

    update = models.ForeignKey(PeriodUpdate, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class Evidence(StoredFile):
    """A file (through the upload checks) or a link backing an update."""

    update = models.ForeignKey(PeriodUpdate, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    # A link has no bytes: the stored-file fields stay empty.
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)
