"""Who may see, run, report on and approve capacity-building projects (issue 16).

A project's marking decides who sees it. The entity that owns it (``originator``) runs it: its
heads create and change projects and their results frameworks, and approve updates; its people
and the people of the project's implementing partners report. Four eyes: the person who
submitted an update never approves it.
"""

from __future__ import annotations

from typing import Any

from ctnet.core.models import COMMUNITY_KINDS, OrgKind, Role
from ctnet.core.policy import BasePolicy


class MonitoringPolicy(BasePolicy):
    # Projects are run by Compact entities and other international bodies, not by states.
    OWNER_KINDS = frozenset({OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL, OrgKind.REGIONAL})
    MANAGER_ROLES = frozenset({Role.SECRETARIAT, Role.ENTITY_FOCAL_POINT})
    REPORTER_ROLES = frozenset(
        {Role.SECRETARIAT, Role.ENTITY_FOCAL_POINT, Role.NATIONAL_COORDINATOR, Role.OFFICER}
    )

    def can_use_monitoring(self, user: Any) -> bool:
        """Open the projects pages: every content reader of the community."""
        return self.can_read_content(user) and self.has_role_in_kind(
            user, frozenset(Role), COMMUNITY_KINDS
        )

    def can_create_project(self, user: Any) -> bool:
        return self.has_role_in_kind(user, self.MANAGER_ROLES, self.OWNER_KINDS)

    def is_owner(self, user: Any, project: Any) -> bool:
        membership = self.membership(user)
        return membership is not None and membership.organisation_id == project.originator_id

    def can_manage_project(self, user: Any, project: Any) -> bool:
        """Change the project, its framework, budgets and documents; approve; lock periods."""
        return self.can_create_project(user) and self.is_owner(user, project)

    def can_report(self, user: Any, project: Any, partner_org_ids: frozenset[int]) -> bool:
        """Write and submit updates: the owner's people and its implementing partners' people.

        ``partner_org_ids`` are the project's implementing partners in the network (the caller
        has them loaded with the project, so this decision costs no query).
        """
        membership = self.membership(user)
        if membership is None or membership.role not in self.REPORTER_ROLES:
            return False
        return self.is_owner(user, project) or membership.organisation_id in partner_org_ids

    def can_approve(self, user: Any, project: Any, update: Any) -> bool:
        """Four eyes: a head of the owner who is not the update's submitter."""
        return self.can_manage_project(user, project) and update.submitted_by_id != user.pk

    def can_import_iati(self, user: Any) -> bool:
        return self.can_create_project(user)


policy = MonitoringPolicy()
