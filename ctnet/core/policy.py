"""The access policy: the one place that decides who may see and do what.

Views, API endpoints and services ask this object; none of them re-implements a rule. Refusals
come in two kinds, and the caller picks the answer from the kind:
- the user may not *know* the object exists  -> 404 (``access_*`` helpers turn this into Http404);
- the user may see it but not act on it       -> 403 (``PermissionDenied``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ctnet.core.markings import TLP, is_lowering
from ctnet.core.models import COMMUNITY_KINDS, Membership, Organisation, OrgKind, Role

# Which roles an organisation of each kind may hold. A role outside its kind is refused on
# invitation and on role change, so a CSO member can never become a "national coordinator".
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrgKind.MEMBER_STATE: frozenset({Role.NATIONAL_COORDINATOR, Role.OFFICER}),
    OrgKind.UN_ENTITY: frozenset({Role.SECRETARIAT, Role.ENTITY_FOCAL_POINT, Role.OVERSIGHT}),
    OrgKind.INTERNATIONAL: frozenset({Role.ENTITY_FOCAL_POINT}),
    OrgKind.REGIONAL: frozenset({Role.ENTITY_FOCAL_POINT}),
    OrgKind.CIVIL_SOCIETY: frozenset({Role.CSO_MEMBER}),
    OrgKind.TECH_COMPANY: frozenset({Role.PLATFORM_MEMBER}),
}

# Roles that a national coordinator may hand out inside their own state.
COORDINATOR_GRANTABLE = frozenset({Role.NATIONAL_COORDINATOR, Role.OFFICER})

# Civil-society members often join from personal devices and low-risk material; every other role
# touches restricted or person-related data and must use a second factor (issue 2, item 4).
OTP_OPTIONAL_ROLES = frozenset({Role.CSO_MEMBER})


def _membership(user: Any) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.active_membership


class AccessPolicy:
    # --- Authentication ----------------------------------------------------------------------
    def requires_otp(self, user: Any) -> bool:
        membership = _membership(user)
        return membership is None or membership.role not in OTP_OPTIONAL_ROLES

    # --- Organisations and people ------------------------------------------------------------
    def is_member(self, user: Any) -> bool:
        return _membership(user) is not None

    def has_role(self, user: Any, *roles: str) -> bool:
        membership = _membership(user)
        return membership is not None and membership.role in roles

    def can_list_organisations(self, user: Any) -> bool:
        return self.is_member(user)

    def visible_member_orgs(self, user: Any) -> QuerySet[Organisation]:
        """Organisations whose member list this user may see: their own; all for the secretariat."""
        membership = _membership(user)
        if membership is None:
            return Organisation.objects.none()
        if membership.role == Role.SECRETARIAT:
            return Organisation.objects.all()
        return Organisation.objects.filter(pk=membership.organisation_id)

    def can_manage_members(self, user: Any, org: Organisation) -> bool:
        membership = _membership(user)
        if membership is None:
            return False
        if membership.role == Role.SECRETARIAT:
            return True
        return membership.role == Role.NATIONAL_COORDINATOR and membership.organisation_id == org.pk

    def can_grant_role(self, user: Any, org: Organisation, role: str) -> bool:
        """May ``user`` invite someone to ``org`` with ``role`` (or change a member to it)?"""
        if role not in ROLES_BY_KIND.get(org.kind, frozenset()):
            return False
        membership = _membership(user)
        if membership is None:
            return False
        if membership.role == Role.SECRETARIAT:
            return True
        return (
            membership.role == Role.NATIONAL_COORDINATOR
            and membership.organisation_id == org.pk
            and role in COORDINATOR_GRANTABLE
        )

    def can_read_audit(self, user: Any) -> bool:
        # The oversight role reads the log and nothing else; content stays out of its reach.
        return self.has_role(user, Role.OVERSIGHT)

    def can_read_content(self, user: Any) -> bool:
        membership = _membership(user)
        return membership is not None and membership.role != Role.OVERSIGHT

    # --- Marked content (DESIGN.md rules 1, 2, 7) --------------------------------------------
    def visibility_q(self, user: Any) -> Q | None:
        """The filter for marked content this user may read, or None for nothing at all."""
        membership = _membership(user)
        if membership is None or membership.role == Role.OVERSIGHT:
            return None
        org_id = membership.organisation_id
        own = Q(originator_id=org_id)
        clear = Q(tlp=TLP.CLEAR)
        shared_with_org = Q(tlp__in=[TLP.AMBER, TLP.AMBER_STRICT], recipient_orgs=org_id)
        red = Q(tlp=TLP.RED) & (
            Q(recipient_users=user.pk) | Q(originator_id=org_id, created_by=user.pk)
        )
        q = clear | (own & ~Q(tlp=TLP.RED)) | shared_with_org | red
        if membership.organisation.kind in COMMUNITY_KINDS:
            q |= Q(tlp=TLP.GREEN)
        else:
            # Outside the community, GREEN reaches an organisation only when shared with it.
            q |= Q(tlp=TLP.GREEN, recipient_orgs=org_id)
        return q

    def filter_visible(self, qs: QuerySet, user: Any) -> QuerySet:
        q = self.visibility_q(user)
        if q is None:
            return qs.none()
        # The joins through recipients can repeat a row; distinct on the primary key keeps the
        # query a single SELECT that works the same on SQLite and PostgreSQL.
        return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))

    def can_see(self, user: Any, obj: Any) -> bool:
        return self.filter_visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()

    def can_edit_marked(self, user: Any, obj: Any) -> bool:
        membership = _membership(user)
        return (
            membership is not None
            and membership.role != Role.OVERSIGHT
            and membership.organisation_id == obj.originator_id
        )

    def can_change_marking(
        self, user: Any, obj: Any, new_tlp: str, new_handling: list[str]
    ) -> bool:
        """Anyone who may see an object may raise its marking; only the originator may lower it."""
        from ctnet.core.markings import handling_is_lowering

        lowering = is_lowering(obj.tlp, new_tlp) or handling_is_lowering(obj.handling, new_handling)
        if lowering:
            return self.can_edit_marked(user, obj)
        return self.can_see(user, obj) and self.can_read_content(user)

    # --- Directory ---------------------------------------------------------------------------
    # Contact points of ``ctnet.directory`` (issue 3). The directory is for network members; the
    # oversight role reads the audit log, never contact details.
    def can_use_directory(self, user: Any) -> bool:
        return self.can_read_content(user)

    def directory_audiences(self, user: Any) -> frozenset[str] | None:
        """The ``published_to`` levels this user sees, or None for every level (community)."""
        membership = _membership(user)
        if membership is None or membership.role == Role.OVERSIGHT:
            return frozenset()
        kind = membership.organisation.kind
        if kind in COMMUNITY_KINDS:
            return None
        # Audience levels are cumulative: "also platforms" includes civil society.
        if kind == OrgKind.CIVIL_SOCIETY:
            return frozenset({"CIVIL_SOCIETY", "PLATFORMS"})
        if kind == OrgKind.TECH_COMPANY:
            return frozenset({"PLATFORMS"})
        return frozenset()

    def directory_visibility_q(self, user: Any) -> Q | None:
        """The filter for contact points this user may see, or None for nothing at all."""
        audiences = self.directory_audiences(user)
        if audiences is not None and not audiences:
            return None
        q = Q(is_active=True)
        return q if audiences is None else q & Q(published_to__in=sorted(audiences))

    def can_see_directory_overview(self, user: Any) -> bool:
        """Coverage, routing and history show the whole network's gaps: community members only."""
        membership = _membership(user)
        return (
            membership is not None
            and membership.role != Role.OVERSIGHT
            and membership.organisation.kind in COMMUNITY_KINDS
        )

    def can_edit_directory(self, user: Any, org: Organisation) -> bool:
        """Secretariat: any entry; coordinators and entity focal points: their organisation's."""
        membership = _membership(user)
        if membership is None:
            return False
        if membership.role == Role.SECRETARIAT:
            return True
        if membership.organisation_id != org.pk:
            return False
        if membership.role == Role.NATIONAL_COORDINATOR:
            return org.kind == OrgKind.MEMBER_STATE
        return membership.role == Role.ENTITY_FOCAL_POINT and org.kind != OrgKind.MEMBER_STATE

    def can_verify_contacts(self, user: Any) -> bool:
        # Verification is the secretariat's independent check, not the owner's own word.
        return self.has_role(user, Role.SECRETARIAT)

    def can_run_communication_test(self, user: Any) -> bool:
        return self.has_role(user, Role.SECRETARIAT)


policy = AccessPolicy()
