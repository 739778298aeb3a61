"""Request bodies of the monitoring API (pydantic through django-ninja)."""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema

from ctnet.core.markings import TLP

from ..models import Measure, PartnerRole, ProjectStatus, ResultType

Text = Annotated[str, Field(max_length=4000)]
Title = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(max_length=60)]
Number = Annotated[str, Field(max_length=40)] | float | int | None


class PartnerIn(Schema):
    name: Title = ""
    organisation: Annotated[str, Field(max_length=32)] = ""
    role: PartnerRole


class BudgetIn(Schema):
    period_start: date
    period_end: date
    value: Number


class DisbursementIn(Schema):
    date: date
    value: Number
    description: Title = ""


class ProjectIn(Schema):
    iati_identifier: Annotated[str, Field(max_length=150)]
    title: Title
    description: Text = ""
    status: ProjectStatus = ProjectStatus.IMPLEMENTATION
    start_date: date
    end_date: date
    countries: Annotated[list[Code], Field(max_length=193)] = []
    themes: Annotated[list[Code], Field(max_length=30)] = []
    currency: Annotated[str, Field(min_length=3, max_length=3)] = "USD"
    tlp: TLP = TLP.AMBER
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] = ""
    recipients: list[Annotated[str, Field(max_length=32)]] = []
    partners: Annotated[list[PartnerIn], Field(max_length=50)] = []
    budgets: Annotated[list[BudgetIn], Field(max_length=200)] = []
    disbursements: Annotated[list[DisbursementIn], Field(max_length=200)] = []


class PartyIn(Schema):
    """A donor or an implementing partner: a network organisation (code) or a name."""

    name: Title = ""
    organisation: Annotated[str, Field(max_length=32)] = ""


class ProjectPatch(Schema):
    """The fields to change; those left out stay. Partners are replaced as a whole
    (``partners``) or by role (``donors``, ``implementers``), never both at once."""

    title: Title | None = None
    description: Text | None = None
    status: ProjectStatus | None = None
    start_date: date | None = None
    end_date: date | None = None
    countries: Annotated[list[Code], Field(max_length=193)] | None = None
    themes: Annotated[list[Code], Field(max_length=30)] | None = None
    partners: Annotated[list[PartnerIn], Field(max_length=50)] | None = None
    donors: Annotated[list[PartyIn], Field(max_length=50)] | None = None
    implementers: Annotated[list[PartyIn], Field(max_length=50)] | None = None


class MarkingIn(Schema):
    tlp: TLP
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] | None = None


class ResultIn(Schema):
    type: ResultType
    title: Title
    description: Text = ""
    parent: int | None = None
    aggregation_status: bool = True


class IndicatorIn(Schema):
    title: Title
    measure: Measure
    ascending: bool = True
    description: Text = ""
    baseline_year: int | None = None
    baseline_value: Number = None
    baseline_comment: Annotated[str, Field(max_length=1000)] = ""
    dimensions: dict[Code, Annotated[list[Code], Field(max_length=20)]] = {}
    countries: Annotated[list[Code], Field(max_length=193)] = []


class ResultPatch(Schema):
    type: ResultType | None = None
    title: Title | None = None
    description: Text | None = None
    parent: int | None = None
    aggregation_status: bool | None = None


class IndicatorPatch(Schema):
    title: Title | None = None
    measure: Measure | None = None
    ascending: bool | None = None
    description: Text | None = None
    baseline_year: int | None = None
    baseline_value: Number = None
    baseline_comment: Annotated[str, Field(max_length=1000)] | None = None
    dimensions: dict[Code, Annotated[list[Code], Field(max_length=20)]] | None = None
    countries: Annotated[list[Code], Field(max_length=193)] | None = None


class DimValue(Schema):
    dims: dict[Code, Code]
    value: Number


class PeriodIn(Schema):
    start: date
    end: date
    target_value: Number = None
    target_comment: Annotated[str, Field(max_length=1000)] = ""
    target_dimensions: Annotated[list[DimValue], Field(max_length=1000)] = []


class PeriodPatch(Schema):
    start: date | None = None
    end: date | None = None
    target_value: Number = None
    target_comment: Annotated[str, Field(max_length=1000)] | None = None
    target_dimensions: Annotated[list[DimValue], Field(max_length=1000)] | None = None


class UpdateIn(Schema):
    value: Number = None
    numerator: Number = None
    denominator: Number = None
    narrative: Text = ""
    disaggregations: Annotated[list[DimValue], Field(max_length=1000)] = []
    country: Annotated[str, Field(max_length=3)] = ""


class CommentIn(Schema):
    comment: Annotated[str, Field(max_length=2000)] = ""


class LinkIn(Schema):
    title: Title = ""
    url: Annotated[str, Field(max_length=1000)]


def values_of(payload: Schema) -> dict[str, Any]:
    return payload.dict()
