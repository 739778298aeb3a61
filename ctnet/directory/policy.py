"""Who may read, edit and verify the directory's contact points (issue 3).

The directory is for network members; the oversight role reads the audit log, never contact
details. Beyond the community, an entry reaches civil society or platforms only at the audience
level its owner chose.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ctnet.core.models import COMMUNITY_KINDS, Organisation, OrgKind, Role
from ctnet.core.policy import BasePolicy
from ctnet.directory.models import Audience


class DirectoryPolicy(BasePolicy):
    def can_use_directory(self, user: Any) -> bool:
        return self.can_read_content(user)

    def directory_audiences(self, user: Any) -> frozenset[str] | None:
        """The ``published_to`` levels this user sees, or None for every level (community)."""
        membership = self.membership(user)
        if membership is None or membership.role == Role.OVERSIGHT:
            return frozenset()
        kind = membership.organisation.kind
        if kind in COMMUNITY_KINDS:
            return None
        # Audience levels are cumulative: "also platforms" includes civil society.
        if kind == OrgKind.CIVIL_SOCIETY:
            return frozenset({Audience.CIVIL_SOCIETY, Audience.PLATFORMS})
        if kind == OrgKind.TECH_COMPANY:
            return frozenset({Audience.PLATFORMS})
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
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role != Role.OVERSIGHT
            and membership.organisation.kind in COMMUNITY_KINDS
        )

    def can_edit_directory(self, user: Any, org: Organisation) -> bool:
        """Secretariat: any entry; coordinators and entity focal points: their organisation's."""
        membership = self.membership(user)
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


policy = DirectoryPolicy()
