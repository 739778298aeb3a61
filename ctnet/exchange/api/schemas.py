"""API schemas of the exchange.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
Required fields of a request are optional here on purpose: the service refuses a request that
lacks them with one message naming every missing field.
"""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from ctnet.exchange.models import ReleaseKind, ReleaseRequest, ReleaseStatus, SharingGroup

Text = Annotated[str, Field(max_length=50_000)]
Short = Annotated[str, Field(max_length=500)]


class MarkingIn(Schema):
    tlp: str | None = None
    handling: list[str] = []
    handling_note: Short = ""
    source_grade: Annotated[str, Field(max_length=1)] = ""
    info_grade: Annotated[str, Field(max_length=1)] = ""


class DocumentIn(Schema):
    type: Annotated[str, Field(max_length=50)] = "passport"
    number: Annotated[str, Field(max_length=100)]
    country: Annotated[str, Field(max_length=3)] = ""


class PersonIn(Schema):
    family_name: Annotated[str, Field(max_length=200)] = ""
    given_names: Annotated[str, Field(max_length=200)] = ""
    date_of_birth: date | None = None
    nationality: Annotated[str, Field(max_length=3)] = ""
    documents: list[DocumentIn] = []
    legal_status: Annotated[str, Field(max_length=16)] = ""
    legal_basis: Short = ""
    purpose: Short = ""
    review_date: date | None = None
    retain_until: date | None = None


class PersonCorrectionIn(Schema):
    family_name: Annotated[str, Field(max_length=200)] | None = None
    given_names: Annotated[str, Field(max_length=200)] | None = None
    date_of_birth: date | None = None
    nationality: Annotated[str, Field(max_length=3)] | None = None
    documents: list[DocumentIn] | None = None
    legal_status: Annotated[str, Field(max_length=16)] | None = None
    legal_basis: Short | None = None
    purpose: Short | None = None
    review_date: date | None = None
    retain_until: date | None = None


class PersonReviewIn(Schema):
    # None: a year from today, never past the record's retention date.
    review_date: date | None = None
    # None: the legal status stays; else changed through the correction (holders are told).
    legal_status: Annotated[str, Field(max_length=16)] | None = None


class RequestIn(MarkingIn):
    recipients: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=250)]
    subject: Annotated[str, Field(max_length=200)] = ""
    body: Text = ""
    priority: Annotated[str, Field(max_length=10)] = "normal"
    topic: Annotated[str, Field(max_length=64)] = ""
    legal_basis: Short = ""
    purpose: Short = ""
    source_details: Annotated[str, Field(max_length=5000)] = ""
    deadline: datetime | None = None
    people: Annotated[list[PersonIn], Field(max_length=50)] = []


class InboxRowOut(Schema):
    """One delivery (a request to one recipient), read straight from the inbox queryset."""

    request_id: int
    delivery_id: int = Field(alias="pk")
    subject: str = Field(alias="request.subject")
    priority: str = Field(alias="request.priority")
    tlp: str = Field(alias="request.tlp")
    originator: str = Field(alias="request.originator.code")
    recipient: str = Field(alias="organisation.code")
    status: str
    deadline: datetime
    overdue: bool = Field(alias="is_overdue")
    sent_at: datetime
    delivered_at: datetime | None


class ReplyOut(Schema):
    id: int
    author: str
    organisation: str
    kind: str
    body: str
    created_at: datetime


class DeliveryOut(Schema):
    id: int
    organisation: str
    status: str
    deadline: datetime
    overdue: bool
    sent_at: datetime
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    first_answer_at: datetime | None
    answered_at: datetime | None
    refused_at: datetime | None
    refusal_reason: str
    closed_at: datetime | None
    replies: list[ReplyOut]


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str


class PersonOut(Schema):
    id: int
    copy_of: int | None
    originator: str
    family_name: str
    given_names: str
    date_of_birth: date | None
    nationality: str
    documents: list[dict[str, Any]]
    legal_status: str
    legal_basis: str
    purpose: str
    review_date: date
    retain_until: date
    version: int
    updated_at: datetime


class DuePeopleOut(Schema):
    items: list[PersonOut]
    count: int


class RequestOut(Schema):
    id: int
    subject: str
    body: str
    priority: str
    topic: str
    legal_basis: str
    purpose: str
    tlp: str
    handling: list[str]
    handling_note: str
    source_grade: str
    info_grade: str
    originator: str
    created_by: str
    created_at: datetime
    released_from: int | None
    release_conditions: str
    source_details: str | None
    deliveries: list[DeliveryOut]
    attachments: list[AttachmentOut]
    people: list[PersonOut]


class ReplyIn(Schema):
    body: Text
    kind: Annotated[str, Field(max_length=10)] = "message"
    delivery_id: int | None = None


class ReasonIn(Schema):
    reason: Annotated[str, Field(max_length=5000)] = ""


class DeliveryChoiceIn(Schema):
    delivery_id: int | None = None


class MarkingChangeIn(Schema):
    tlp: Annotated[str, Field(max_length=16)]
    handling: list[str] = []


class ReleaseIn(Schema):
    """Name the request or the bulletin; ``export`` (bulletins) needs no new recipient."""

    request_id: int | None = None
    bulletin_id: int | None = None
    kind: ReleaseKind = ReleaseKind.ONWARD
    new_recipient: Annotated[str, Field(max_length=32)] = ""
    reason: Annotated[str, Field(max_length=5000)] = ""


class ConditionsIn(Schema):
    conditions: Annotated[str, Field(max_length=5000)] = ""


class ReleaseOut(Schema):
    id: int
    kind: str
    request_id: int | None
    bulletin_id: int | None
    requesting_org: str = Field(alias="requesting_org.code")
    new_recipient: str | None
    reason: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    conditions: str
    refusal_reason: str
    copy_id: int | None
    bulletin_copy_id: int | None

    @staticmethod
    def resolve_new_recipient(obj: ReleaseRequest) -> str | None:
        return obj.new_recipient.code if obj.new_recipient else None


class CopyOut(Schema):
    record_id: int
    material: str
    recipients: list[str]
    created_at: datetime
    created_by: str
    exists: bool


class TrailEventOut(Schema):
    at: datetime
    action: str
    actor: str
    organisation: str | None
    record_id: int | None


class TrailOut(Schema):
    root_id: int
    recipients: list[str]
    copies: list[CopyOut]
    reads: list[TrailEventOut]
    events: list[TrailEventOut]


class PersonMatchOut(Schema):
    id: int
    legal_status: str
    originator: str = Field(alias="originator.code")


class ReleaseFilter(Schema):
    status: ReleaseStatus | None = None
    awaiting_me: bool = False


class NameQuery(Schema):
    name: Annotated[str, Field(min_length=2, max_length=200)]


# --- Bulletins and sharing groups ------------------------------------------------------------


class IndicatorIn(Schema):
    kind: Annotated[str, Field(max_length=16)]
    value: Annotated[str, Field(max_length=2000)]
    shareable: bool = True
    description: Annotated[str, Field(max_length=500)] = ""


class IndicatorOut(Schema):
    id: int
    kind: str
    value: str
    shareable: bool
    description: str


class BulletinIn(MarkingIn):
    title: Annotated[str, Field(max_length=200)] = ""
    body: Annotated[str, Field(max_length=50_000)] = ""
    category: Annotated[str, Field(max_length=16)] = ""
    audience: Annotated[str, Field(max_length=10)] = ""
    un_group: Annotated[str, Field(max_length=32)] = ""
    sharing_group_id: int | None = None
    source_details: Annotated[str, Field(max_length=5000)] = ""
    indicators: Annotated[list[IndicatorIn], Field(max_length=500)] = []
    people: Annotated[list[PersonIn], Field(max_length=50)] = []


class BulletinRowOut(Schema):
    id: int
    title: str
    category: str
    tlp: str
    originator: str = Field(alias="originator.code")
    audience: str
    created_at: datetime


class AckOut(Schema):
    organisation: str
    acknowledged_at: datetime | None


class BulletinOut(Schema):
    id: int
    title: str
    body: str
    category: str
    audience: str
    un_group: str
    sharing_group: str | None
    tlp: str
    handling: list[str]
    handling_note: str
    source_grade: str
    info_grade: str
    originator: str
    created_at: datetime
    source_details: str | None
    indicators: list[IndicatorOut]
    acknowledgements: list[AckOut]
    people: list[PersonOut]


class GroupIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    members: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=500)]


class GroupOut(Schema):
    id: int
    name: str
    owner: str = Field(alias="owner.code")
    members: list[str]

    @staticmethod
    def resolve_members(obj: SharingGroup) -> list[str]:
        return sorted(o.code for o in obj.members.all())
