"""API schemas of coordination.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

Title = Annotated[str, Field(min_length=1, max_length=300)]
Text = Annotated[str, Field(max_length=20_000)]
Code = Annotated[str, Field(max_length=32)]
Url = Annotated[str, Field(max_length=500)]


class ReferenceIn(Schema):
    code: Code
    paragraph: Annotated[str, Field(max_length=16)] = ""


class MilestoneIn(Schema):
    title: Title
    due_date: date
    responsible: list[Code] = Field(default=[], max_length=20)
    responsible_office: Annotated[str, Field(max_length=200)] = ""


class CommitmentIn(Schema):
    title: Title
    description: Text = ""
    pillar: Annotated[str, Field(max_length=3)] = ""
    references: list[ReferenceIn] = Field(default=[], max_length=30)
    free_references: list[Annotated[str, Field(max_length=300)]] = Field(default=[], max_length=30)
    milestones: list[MilestoneIn] = Field(default=[], max_length=50)


class CommitmentUpdateIn(Schema):
    """What the owner corrects in a commitment; a field left out is kept."""

    title: Title | None = None
    description: Text | None = None
    pillar: Annotated[str, Field(max_length=3)] | None = None
    references: list[ReferenceIn] | None = Field(default=None, max_length=30)
    free_references: list[Annotated[str, Field(max_length=300)]] | None = Field(
        default=None, max_length=30
    )


class PlanIn(Schema):
    title: Title
    summary: Text = ""
    focus: Annotated[str, Field(pattern="^(ct|pve)$")]
    visibility: Annotated[str, Field(pattern="^(network|shared|private)$")]
    shared_with: list[Code] = Field(default=[], max_length=50)
    pillars: list[Annotated[str, Field(max_length=3)]] = Field(default=[], max_length=4)
    period_start: date
    period_end: date
    commitments: list[CommitmentIn] = Field(default=[], max_length=100)


class PlanUpdateIn(Schema):
    """What the owner corrects; a field left out is kept."""

    title: Title | None = None
    summary: Text | None = None
    focus: Annotated[str, Field(pattern="^(ct|pve)$")] | None = None
    visibility: Annotated[str, Field(pattern="^(network|shared|private)$")] | None = None
    shared_with: list[Code] | None = Field(default=None, max_length=50)
    pillars: list[Annotated[str, Field(max_length=3)]] | None = Field(default=None, max_length=4)
    period_start: date | None = None
    period_end: date | None = None


class ProgressIn(Schema):
    status: Annotated[str, Field(max_length=16)]
    progress: int = Field(ge=0, le=100)
    note: Text = ""
    evidence_urls: list[Url] = Field(default=[], max_length=10)


class AssessmentIn(Schema):
    status: Annotated[str, Field(max_length=16)]
    note: Text = ""
    evidence_urls: list[Url] = Field(default=[], max_length=10)


class AssessmentRequestIn(Schema):
    assessor: Code


class MilestoneDoneIn(Schema):
    done_on: date | None = None


class EvidenceOut(Schema):
    id: int
    url: str
    filename: str


class AssessmentOut(Schema):
    id: int
    assessor: str
    status: str
    note: str
    created_at: datetime
    evidence: list[EvidenceOut]


class ReferenceOut(Schema):
    code: str
    paragraph: str
    label: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: date
    done_at: date | None
    late: bool
    responsible: list[str]
    responsible_office: str


class CommitmentOut(Schema):
    id: int
    plan_id: int
    title: str
    description: str
    pillar: str
    references: list[ReferenceOut]
    free_references: list[str]
    self_status: str
    self_progress: int
    self_note: str
    self_evidence: list[EvidenceOut]
    assessed_status: str
    assessed_by: str
    assessment_requested_from: str
    assessments: list[AssessmentOut]
    milestones: list[MilestoneOut]


class PlanSummaryOut(Schema):
    id: int
    owner: str
    owner_name: str

    # A list serves plans (rows), a detail serves the presenter's dict.
    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj["owner"] if isinstance(obj, dict) else obj.originator.code

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return obj["owner_name"] if isinstance(obj, dict) else obj.originator.name

    scope: str
    focus: str
    visibility: str
    tlp: str
    title: str
    pillars: list[str]
    period_start: date
    period_end: date


class PlanOut(PlanSummaryOut):
    summary: str
    shared_with: list[str]
    commitments: list[CommitmentOut]


class ParagraphOut(Schema):
    paragraph: str
    label: str


class ResolutionRefOut(Schema):
    code: str
    title: str
    paragraphs: list[ParagraphOut]


class ResolutionRowOut(Schema):
    owner: str
    plan_id: int
    plan_title: str
    commitment_id: int
    commitment_title: str
    paragraph: str
    self_status: str
    assessed_status: str


class ResolutionViewOut(Schema):
    code: str
    title: str
    owners: int
    count: int  # rows in all; ``rows`` is the page asked for (limit, offset)
    self_counts: dict[str, int]
    assessed_counts: dict[str, int]
    rows: list[ResolutionRowOut]


class RegionOut(Schema):
    code: str
    label: str
    members: int
    with_plan: int
    commitments: int
    self_counts: dict[str, int]
    assessed_counts: dict[str, int]


class NeedIn(Schema):
    topic: Annotated[str, Field(max_length=40)]
    urgency: Annotated[str, Field(max_length=8)]
    languages: list[Annotated[str, Field(max_length=10)]] = Field(max_length=6)
    title: Title
    existing: Text = ""


class OfferIn(Schema):
    topic: Annotated[str, Field(max_length=40)]
    regions: list[Annotated[str, Field(max_length=32)]] = Field(default=[], max_length=5)
    languages: list[Annotated[str, Field(max_length=10)]] = Field(max_length=6)
    title: Title
    description: Text = ""


class CloseNeedIn(Schema):
    report: Annotated[str, Field(min_length=1, max_length=20_000)]


class MatchOut(Schema):
    id: int
    need_id: int
    offer_id: int
    offered_by: str
    offer_title: str
    score: int
    status: str
    project_id: int | None = None  # the monitoring project that delivers it, once started


class StartProjectIn(Schema):
    iati_identifier: Annotated[str, Field(min_length=1, max_length=150)]
    title: Annotated[str, Field(max_length=300)] = ""
    start_date: date
    end_date: date


class NeedOut(Schema):
    id: int
    state: str
    topic: str
    region: str
    languages: list[str]
    urgency: str
    title: str
    existing: str
    status: str
    closing_report: str
    matches: list[MatchOut]


class OfferOut(Schema):
    id: int
    organisation: str
    topic: str
    regions: list[str]
    languages: list[str]
    title: str
    description: str
