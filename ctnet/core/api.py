"""Core API: the signed-in person, organisations, members, invitations, tokens, audit log.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import EmailStr

from ctnet.core import access, labels, notifications, services
from ctnet.core.auditlog import filter_events, record_log_read
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.models import Membership, Organisation, OrgKind, Role, UNGroup
from ctnet.core.orgnames import resolve_organisation
from ctnet.core.pagination import PageParams, Pagination, page_of
from ctnet.core.policy import policy

router = Router(tags=["core"])


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    code: str
    name: str
    names: dict[str, str]
    un_group: str
    un_group_label: str
    website: str

    # Human fields beside the codes, in the caller's language, from the one label registry.
    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return labels.label("core.OrgKind", obj.kind)

    @staticmethod
    def resolve_un_group_label(obj: Organisation) -> str:
        return labels.label("core.UNGroup", obj.un_group)


class MembershipOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    full_name: str = Field(alias="user.get_full_name")
    email: str = Field(alias="user.email")
    role: str
    title: str
    is_active: bool


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    language: str
    time_zone: str
    organisation: OrganisationOut | None
    role: str | None
    role_label: str | None


class LabelOut(Schema):
    vocabulary: str
    value: str
    label: str


class LabelFilter(Schema):
    vocabulary: Annotated[str | None, Field(None, max_length=64)] = None


class InvitationIn(Schema):
    email: EmailStr
    role: Role


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime


class RoleIn(Schema):
    role: Role


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    read_only: bool
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str = Field(alias="actor_label")
    organisation: str | None = Field(None, alias="organisation.code")
    action: str
    object_type: str
    object_id: str
    ip: str | None
    detail: dict
    row_hash: str


class OrganisationFilter(Schema):
    kind: OrgKind | None = None
    un_group: UNGroup | None = None
    # An ISO code or a country's name in any of the six UN languages ("Francia", "法国").
    country: Annotated[str | None, Field(None, max_length=100)] = None
    q: Annotated[str | None, Field(None, max_length=100)] = None


class AuditFilter(Schema):
    action: Annotated[str | None, Field(None, max_length=64)] = None
    actor: Annotated[str | None, Field(None, max_length=150)] = None
    object_type: Annotated[str | None, Field(None, max_length=64)] = None
    object_id: Annotated[str | None, Field(None, max_length=64)] = None
    since: datetime | None = None
    until: datetime | None = None


@router.get("/me", response=MeOut, summary="The signed-in person and their membership")
def me(request: AuthenticatedHttpRequest) -> dict:
    user = request.user
    m = user.active_membership
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "email": user.email,
        "language": user.preferred_language,
        "time_zone": user.time_zone or "UTC",
        "organisation": m.organisation if m else None,
        "role": m.role if m else None,
        "role_label": labels.label("core.Role", m.role) if m else None,
    }


@router.get(
    "/labels",
    response=list[LabelOut],
    summary="Every code the API returns, with its label in the caller's language",
)
@paginate(Pagination)
def list_labels(request: AuthenticatedHttpRequest, filters: Query[LabelFilter]) -> list[dict]:
    vocabularies = labels.vocabularies()
    if filters.vocabulary is not None:
        if filters.vocabulary not in vocabularies:
            raise HttpError(400, _("Unknown vocabulary: %(name)s.") % {"name": filters.vocabulary})
        vocabularies = {filters.vocabulary: vocabularies[filters.vocabulary]}
    return [
        {"vocabulary": name, "value": value, "label": str(label)}
        for name, pairs in sorted(vocabularies.items())
        for value, label in pairs.items()
    ]


@router.get("/organisations", response=list[OrganisationOut], summary="Network organisations")
@paginate(Pagination)
def list_organisations(
    request: AuthenticatedHttpRequest, filters: Query[OrganisationFilter]
) -> QuerySet[Organisation]:
    if not policy.can_list_organisations(request.user):
        raise PermissionDenied
    qs = Organisation.objects.filter(is_active=True)
    if filters.country:
        states = qs.filter(kind=OrgKind.MEMBER_STATE)
        try:
            qs = qs.filter(pk=resolve_organisation(states, filters.country).pk)
        except ValidationError as exc:
            raise HttpError(400, " ".join(exc.messages)) from None
    qs = access.filter_organisations(
        qs, kind=filters.kind or "", un_group=filters.un_group or "", q=filters.q or ""
    )
    return qs.order_by("kind", "code")


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request: AuthenticatedHttpRequest, org_id: int) -> Organisation:
    return access.access_organisation(request.user, org_id)


@router.get("/organisations/{org_id}/members", response=list[MembershipOut])
@paginate(Pagination)
def list_members(request: AuthenticatedHttpRequest, org_id: int) -> QuerySet[Membership]:
    org = access.access_member_list(request.user, org_id)
    return org.memberships.select_related("user").order_by("user__username")


@router.post("/organisations/{org_id}/invitations", response={201: InvitationOut})
def create_invitation(
    request: AuthenticatedHttpRequest, org_id: int, payload: InvitationIn
) -> Status:
    org = access.access_organisation(request.user, org_id)
    issued = services.invite_member(
        acting_user=request.user,
        organisation=org,
        email=payload.email,
        role=payload.role,
    )
    return Status(201, issued.invitation)


@router.delete("/invitations/{invitation_id}", response={204: None})
def revoke_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> Status:
    invitation = access.access_invitation(request.user, invitation_id)
    services.revoke_invitation(acting_user=request.user, invitation=invitation)
    return Status(204, None)


@router.patch("/memberships/{membership_id}", response=MembershipOut)
def change_role(
    request: AuthenticatedHttpRequest, membership_id: int, payload: RoleIn
) -> Membership:
    membership = access.access_membership(request.user, membership_id)
    return services.change_member_role(
        acting_user=request.user,
        membership=membership,
        role=payload.role,
    )


@router.delete("/memberships/{membership_id}", response={204: None})
def deactivate_member(request: AuthenticatedHttpRequest, membership_id: int) -> Status:
    membership = access.access_membership(request.user, membership_id)
    services.deactivate_membership(acting_user=request.user, membership=membership)
    return Status(204, None)


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
@paginate(Pagination)
def list_tokens(request: AuthenticatedHttpRequest) -> QuerySet:
    return request.user.api_tokens.order_by("-created_at")


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> Status:
    token = access.access_own_token(request.user, token_id)
    services.revoke_api_token(acting_user=request.user, token=token)
    return Status(204, None)


class AuditPage(Schema):
    items: list[AuditOut]
    count: int


@router.get("/audit", response=AuditPage, summary="The audit log (oversight only; reads audited)")
def list_audit(
    request: AuthenticatedHttpRequest, filters: Query[AuditFilter], page: Query[PageParams]
) -> dict:
    if not policy.can_read_audit(request.user):
        raise PermissionDenied(_("Only the oversight role reads the audit log."))
    chosen = filters.dict()
    served = page_of(filter_events(**chosen), page)
    record_log_read(
        acting_user=request.user,
        via="api",
        filters={**chosen, "offset": page.offset, "limit": page.limit},
        shown=served["items"],
        count=served["count"],
    )
    return served


# --- Notifications: the person's own, nobody else's --------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool = False


class MarkedRead(Schema):
    marked: int


@router.get(
    "/notifications", response=list[NotificationOut], summary="Your notifications, newest first"
)
@paginate(Pagination)
def list_notifications(
    request: AuthenticatedHttpRequest, filters: Query[NotificationFilter]
) -> QuerySet:
    found = notifications.notifications_of(request.user)
    return found.filter(read_at=None) if filters.unread else found


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request: AuthenticatedHttpRequest, notification_id: int) -> object:
    found = notifications.access_notification(request.user, notification_id)
    return notifications.mark_read(acting_user=request.user, notification=found)


@router.post("/notifications/read-all", response=MarkedRead)
def read_all_notifications(request: AuthenticatedHttpRequest) -> dict:
    return {"marked": notifications.mark_all_read(acting_user=request.user)}
