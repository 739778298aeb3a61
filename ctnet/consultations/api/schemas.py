"""API schemas of consultations.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

Short = Annotated[str, Field(max_length=500)]
Text = Annotated[str, Field(max_length=5000)]


class QuestionIn(Schema):
    kind: Annotated[str, Field(max_length=16)]
    text: Short
    choices: list[Annotated[str, Field(max_length=200)]] = []
    required: bool = False
    unique_answer: bool = False


class ConsultationIn(Schema):
    title: Annotated[str, Field(max_length=200)]
    description: Text = ""
    subject_kind: Annotated[str, Field(max_length=16)]
    subject: Annotated[str, Field(max_length=300)]
    subject_link: Short = ""
    # The id of the plan, programme or guideline consulted on, where the platform holds it.
    subject_ref: int | None = None
    audience: Annotated[str, Field(max_length=16)]
    region: Annotated[str, Field(max_length=32)] = ""
    named_orgs: list[Annotated[str, Field(max_length=32)]] = []
    languages: list[Annotated[str, Field(max_length=10)]]
    mode: Annotated[str, Field(max_length=16)]
    at_risk: bool = False
    closes_at: datetime | None = None
    questions: list[QuestionIn]


class ConsultationRowOut(Schema):
    id: int
    title: str
    status: str
    mode: str
    at_risk: bool
    subject_kind: str
    originator: str
    languages: list[str]
    opened_on: date | None
    closes_at: datetime | None

    @staticmethod
    def resolve_originator(obj: Any) -> str:
        # A model from the list endpoint, a presenter's dict from the others.
        return obj["originator"] if isinstance(obj, dict) else obj.originator.code


class ConsultationOut(ConsultationRowOut):
    description: str
    subject: str
    subject_link: str
    # The thing consulted on ({id, label, url}) where the reader may see it; null otherwise.
    subject_target: dict[str, Any] | None
    audience: str
    region: str
    questions: list[dict[str, Any]]
    accepting: bool
    participants: int
    manages: bool
    taken_part: bool
    # None while hidden: before the window closes, or below k participants.
    breakdown: list[dict[str, Any]] | None
    themes: list[dict[str, Any]]
    results: list[dict[str, Any]]
    unanswered: int | None
    moderation: dict[str, int]
    # The public link's state, for the unit of a public consultation only (never the token).
    public_link: dict[str, Any] | None = None


class MoveIn(Schema):
    to: Annotated[str, Field(max_length=16)]


class SubmissionIn(Schema):
    # Question id -> the answer: text, a choice, a list of choices, or agree/disagree/pass.
    answers: dict[str, Text | list[Annotated[str, Field(max_length=200)]]]
    language: Annotated[str, Field(max_length=10)]


class SubmissionOut(Schema):
    id: str
    consultation: int
    consultation_title: str
    mode: str
    alias: str
    organisation: str | None
    language: str
    submitted_on: date
    hidden: bool
    moderation: str
    appealed: bool
    answers: list[dict[str, Any]]
    theme: dict[str, Any] | None


class SentOut(Schema):
    submission: SubmissionOut
    # Shown once; the platform keeps only its hash. Empty where the consultation gives none.
    receipt: str


class ThemeIn(Schema):
    title: Annotated[str, Field(max_length=200)]
    submission_ids: list[Annotated[str, Field(max_length=40)]] = []


class AssignIn(Schema):
    submission_ids: list[Annotated[str, Field(max_length=40)]]


class ThemeOut(Schema):
    id: int
    title: str
    response: str
    reason: str
    change_link: str
    change_label: str
    responded_on: date | None
    inputs: int


class ResponseIn(Schema):
    response: Annotated[str, Field(max_length=16)]
    reason: Text
    change_link: Short = ""
    change_label: Annotated[str, Field(max_length=200)] = ""


class ResultIn(Schema):
    title: Annotated[str, Field(max_length=200)]
    parent_id: int | None = None
    weight: float = 1.0
    progress: float = 0.0
    status: Annotated[str, Field(max_length=16)] = "planned"
    theme_ids: list[int] = []


class ResultOut(Schema):
    id: int
    title: str
    weight: float
    status: str
    progress: float


class MilestoneIn(Schema):
    title: Annotated[str, Field(max_length=200)]
    on: date
    description: Annotated[str, Field(max_length=2000)] = ""


class MilestoneOut(Schema):
    id: int
    result_id: int
    title: str
    description: str
    on: date


class UngroupedOut(Schema):
    """How many of the named inputs are now in no theme."""

    inputs: int


class ProposalOut(Schema):
    submission_ids: list[str]
    languages: list[str]
    sample: list[str]


class OpinionGroupOut(Schema):
    size: int
    agree: list[float]
    disagree: list[float]


class OpinionMapOut(Schema):
    groups: list[OpinionGroupOut]
    statements: list[int]
    consensus: list[int]
    divisive: list[int]


class InputOut(Schema):
    id: str
    alias: str
    organisation: str | None
    language: str
    texts: list[str]


class ReportIn(Schema):
    reason: Short


class AppealIn(Schema):
    text: Short


class ModerateIn(Schema):
    decision: Annotated[str, Field(max_length=16)]


class ModeratedOut(Schema):
    id: str
    hidden: bool
    moderation: str
    appealed: bool


class PublicLinkOut(Schema):
    # Shown once; the platform keeps only its hash. ``url`` is the whole link to hand out.
    token: str
    url: str
    made_at: datetime


class PublicLinkStateOut(Schema):
    active: bool
    made_at: datetime | None
    revoked_at: datetime | None
