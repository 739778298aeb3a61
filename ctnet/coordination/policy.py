"""Who may record, report on and assess action plans (issue 17).

Reading follows the core marking rule on the plan (``ActionPlan`` is a ``MarkedModel``); its
commitments, milestones and assessments are reached only through a plan one may read.
"""

from __future__ import annotations

from typing import Any

from ctnet.coordination.models import MatchStatus
from ctnet.core.models import OrgKind, Role
from ctnet.core.policy import BasePolicy
from ctnet.core.roles import COMMUNITY_KINDS
from ctnet.monitoring.policy import policy as monitoring_policy


class CoordinationPolicy(BasePolicy):
    # Who writes a plan, by the kind of its owner: a state's people, a regional organisation's.
    PLAN_AUTHORS: dict[str, frozenset[str]] = {
        OrgKind.MEMBER_STATE: frozenset({Role.NATIONAL_COORDINATOR, Role.OFFICER}),
        OrgKind.REGIONAL: frozenset({Role.ENTITY_FOCAL_POINT}),
    }
    # An assessment speaks for the assessing organisation: its head, a Compact entity, the
    # secretariat, or civil society (the Open Government Partnership's independent reporting
    # relies on civil-society researchers). An officer reports for their state, not on others.
    ASSESSOR_ROLES = frozenset(
        {
            Role.NATIONAL_COORDINATOR,
            Role.ENTITY_FOCAL_POINT,
            Role.SECRETARIAT,
            Role.CSO_MEMBER,
        }
    )

    def can_use_coordination(self, user: Any) -> bool:
        return self.can_read_content(user)

    def can_author_plans(self, user: Any) -> bool:
        membership = self.membership(user)
        if membership is None:
            return False
        return membership.role in self.PLAN_AUTHORS.get(membership.organisation.kind, frozenset())

    def can_edit_plan(self, user: Any, plan: Any) -> bool:
        """Add commitments and milestones, report progress: the owning organisation's authors."""
        membership = self.membership(user)
        return (
            membership is not None
            and self.can_author_plans(user)
            and membership.organisation_id == plan.originator_id
        )

    def implementer_ids(self, commitment: Any) -> set[int]:
        """The owner and every organisation responsible for one of its milestones."""
        ids = {commitment.plan.originator_id}
        for milestone in commitment.milestones.all():
            ids.update(org.pk for org in milestone.responsible_orgs.all())
        return ids

    def is_implementer(self, user: Any, commitment: Any) -> bool:
        membership = self.membership(user)
        return membership is not None and membership.organisation_id in self.implementer_ids(
            commitment
        )

    def can_assess(self, user: Any, commitment: Any) -> bool:
        """Rate a commitment independently: an assessor's role, not one of its implementers."""
        return self.has_role(user, *self.ASSESSOR_ROLES) and not self.is_implementer(
            user, commitment
        )

    # --- Assistance matched to needs ---------------------------------------------------------
    OFFER_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def can_record_need(self, user: Any) -> bool:
        """A state records its own needs: its coordinators and officers."""
        return self.has_role_in_kind(
            user, self.PLAN_AUTHORS[OrgKind.MEMBER_STATE], frozenset({OrgKind.MEMBER_STATE})
        )

    def can_offer(self, user: Any) -> bool:
        """Capacity to assist: Compact entities, international and regional organisations,
        states."""
        return self.has_role_in_kind(user, self.OFFER_ROLES, COMMUNITY_KINDS)

    def can_accept_match(self, user: Any, need: Any) -> bool:
        membership = self.membership(user)
        return (
            membership is not None
            and self.can_record_need(user)
            and membership.organisation_id == need.originator_id
        )

    def can_start_project(self, user: Any, match: Any) -> bool:
        """The assisting organisation turns an accepted match into a monitoring project: its
        people who may create projects there (monitoring's own rule, asked through its
        policy)."""
        membership = self.membership(user)
        return (
            membership is not None
            and match.status == MatchStatus.ACCEPTED
            and membership.organisation_id == match.offer.organisation_id
            and monitoring_policy.can_create_project(user)
        )

    def can_close_need(self, user: Any, need: Any, assisting_ids: set[int]) -> bool:
        """The state in need, or an organisation whose offer it accepted (the assisting work)."""
        membership = self.membership(user)
        if membership is None or membership.role not in self.OFFER_ROLES:
            return False
        return membership.organisation_id in {need.originator_id, *assisting_ids}


policy = CoordinationPolicy()


class WorkingGroupPolicy(CoordinationPolicy):
    """The Compact's working groups: the community reads them; the secretariat sets groups up;
    the secretariat and the chairs' people record meetings, decisions and the programme; the
    responsible entity's people (or those who run the group) report on a follow-up."""

    def can_read_groups(self, user: Any) -> bool:
        return self.has_role_in_kind(
            user, frozenset(Role.values) - {Role.OVERSIGHT}, COMMUNITY_KINDS
        )

    def can_create_group(self, user: Any) -> bool:
        return self.has_role(user, Role.SECRETARIAT)

    def can_run_group(self, user: Any, group: Any) -> bool:
        membership = self.membership(user)
        if membership is None:
            return False
        if membership.role == Role.SECRETARIAT:
            return True
        return (
            membership.role in self.OFFER_ROLES
            and group.chairs.filter(pk=membership.organisation_id).exists()
        )

    def can_report_follow_up(self, user: Any, follow_up: Any) -> bool:
        membership = self.membership(user)
        if membership is None:
            return False
        if membership.role in self.OFFER_ROLES and (
            membership.organisation_id == follow_up.responsible_id
        ):
            return True
        return self.can_run_group(user, follow_up.decision.meeting.group)

    def reports_for(self, user: Any, group: Any) -> int | None:
        """The member organisation whose own items and follow-ups this person may move on a
        group's page (``can_report_work_item`` / ``can_report_follow_up`` for one row), or
        None; read from the group's prefetched members, so a page asks once, not per row."""
        membership = self.membership(user)
        if membership is None or membership.role not in self.OFFER_ROLES:
            return None
        own = membership.organisation_id
        return own if any(o.pk == own for o in group.members.all()) else None

    def can_report_work_item(self, user: Any, item: Any) -> bool:
        """The owner entity's people, or those who run the group, move an item of the programme."""
        membership = self.membership(user)
        if membership is None:
            return False
        if membership.role in self.OFFER_ROLES and membership.organisation_id == item.owner_id:
            return True
        return self.can_run_group(user, item.group)


groups_policy = WorkingGroupPolicy()
