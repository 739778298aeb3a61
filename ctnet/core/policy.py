"""The base access policy: membership, roles, organisations and marking visibility.

Each capability writes its rules in its own ``<app>/policy.py``, on ``BasePolicy`` and in its own
vocabulary (Wagtail's permission policies: one base, one policy per model); core knows no
capability. Views, API endpoints and services ask their capability's ``policy`` object; none of
them re-implements a rule. Refusals come in two kinds, and the caller picks the answer from the
kind:
- the user may not *know* the object exists  -> 404 (``access_*`` helpers turn this into Http404);
- the user may see it but not act on it       -> 403 (``PermissionDenied``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ctnet.core.markings import TLP, handling_is_lowering, is_lowering
from ctnet.core.roles import COMMUNITY_KINDS, OrgKind, Role

if TYPE_CHECKING:
    from ctnet.core.models import Membership, Organisation

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


def membership_of(user: Any) -> Membership | None:
    """The active membership of a signed-in person, None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.active_membership


def acting_org(user: Any) -> Organisation:
    """The organisation a person acts for; services take it from here, never from the input.

    The gatekeepers refuse non-members before any service runs, so this 403 is the last line,
    for a service called from a path that skipped them.
    """
    membership = membership_of(user)
    if membership is None:
        raise PermissionDenied(_("Only members of the network may do this."))
    return membership.organisation


class BasePolicy:
    """Rules every capability builds on. Capability policies subclass it and add their own."""

    def membership(self, user: Any) -> Membership | None:
        return membership_of(user)

    # --- Authentication ----------------------------------------------------------------------
    def requires_otp(self, user: Any) -> bool:
        membership = membership_of(user)
        return membership is None or membership.role not in OTP_OPTIONAL_ROLES

    # --- Organisations and people ------------------------------------------------------------
    def is_member(self, user: Any) -> bool:
        return membership_of(user) is not None

    def has_role(self, user: Any, *roles: str) -> bool:
        membership = membership_of(user)
        return membership is not None and membership.role in roles

    def can_list_organisations(self, user: Any) -> bool:
        return self.is_member(user)

    def can_address_organisations(self, user: Any) -> bool:
        """Choose organisations to address or filter by (the organisation picker): members who
        act on content. Oversight addresses no one."""
        return self.can_read_content(user)

    def member_orgs_q(self, user: Any) -> Q | None:
        """Organisations whose member list this user may see: their own; all for the secretariat.

        A filter on organisations (``core.access.visible_member_orgs`` applies it), or None for
        none at all.
        """
        membership = membership_of(user)
        if membership is None:
            return None
        if membership.role == Role.SECRETARIAT:
            return Q()
        return Q(pk=membership.organisation_id)

    def can_manage_members(self, user: Any, org: Organisation) -> bool:
        membership = membership_of(user)
        if membership is None:
            return False
        if membership.role == Role.SECRETARIAT:
            return True
        return membership.role == Role.NATIONAL_COORDINATOR and membership.organisation_id == org.pk

    def can_grant_role(self, user: Any, org: Organisation, role: str) -> bool:
        """May ``user`` invite someone to ``org`` with ``role`` (or change a member to it)?"""
        if role not in ROLES_BY_KIND.get(org.kind, frozenset()):
            return False
        membership = membership_of(user)
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
        membership = membership_of(user)
        return membership is not None and membership.role != Role.OVERSIGHT

    # --- Marked content (DESIGN.md rules 1, 2, 7) --------------------------------------------
    def visibility_q(self, user: Any) -> Q | None:
        """The filter for marked content this user may read, or None for nothing at all."""
        membership = membership_of(user)
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
        membership = membership_of(user)
        return (
            membership is not None
            and membership.role != Role.OVERSIGHT
            and membership.organisation_id == obj.originator_id
        )

    def can_change_marking(
        self, user: Any, obj: Any, new_tlp: str, new_handling: list[str]
    ) -> bool:
        """Anyone who may see an object may raise its marking; only the originator may lower it."""
        lowering = is_lowering(obj.tlp, new_tlp) or handling_is_lowering(obj.handling, new_handling)
        if lowering:
            return self.can_edit_marked(user, obj)
        return self.can_see(user, obj) and self.can_read_content(user)

    def visible_to_addressees(self, qs: QuerySet, user: Any) -> QuerySet:
        """Marked objects the user may read *and* that are addressed to their organisation.

        For material sent to named organisations (a request, a bulletin): the marking rule, and
        the user's organisation is the originator or a recipient, so a GREEN message between two
        states still never reaches a third.
        """
        membership = membership_of(user)
        q = self.visibility_q(user)
        if membership is None or q is None:
            return qs.none()
        org_id = membership.organisation_id
        addressed = Q(originator_id=org_id) | Q(recipient_orgs=org_id)
        return qs.filter(pk__in=qs.model._default_manager.filter(q & addressed).values("pk"))

    def has_role_in_kind(self, user: Any, roles: frozenset[str], kinds: frozenset[str]) -> bool:
        """Holds one of ``roles`` in an organisation of one of ``kinds``."""
        membership = membership_of(user)
        return (
            membership is not None
            and membership.role in roles
            and membership.organisation.kind in kinds
        )


# Core's own decisions (organisations, members, the audit log) are the base's.
policy = BasePolicy()
