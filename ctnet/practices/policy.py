"""Who may read, write, review, endorse and comment good practices (issue 4).

TLP decides who may read a practice at all; on top of that, work in progress stays with its
author organisation and, once submitted, the secretariat that reviews it. Published and archived
practices are read by everyone the marking allows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ctnet.core.markings import Handling
from ctnet.core.models import OrgKind, Role
from ctnet.core.policy import BasePolicy
from ctnet.practices.vocab import Status


class PracticePolicy(BasePolicy):
    PRACTICE_AUTHOR_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def practice_status_q(self, user: Any) -> Q | None:
        """The workflow part of practice visibility (combined with ``visibility_q``)."""
        membership = self.membership(user)
        if membership is None or membership.role == Role.OVERSIGHT:
            return None
        q = Q(status__in=[Status.PUBLISHED, Status.ARCHIVED]) | Q(
            originator_id=membership.organisation_id
        )
        if membership.role == Role.SECRETARIAT:
            q |= Q(status__in=[Status.SUBMITTED, Status.REVIEWED])
        return q

    def practice_visibility_q(self, user: Any) -> Q | None:
        """Every practice this user may read: the marking rule and the workflow rule, and for
        the secretariat what is submitted to it for review, whatever the recipients.

        Submitting is sending the practice to the secretariat: an AMBER practice shared with
        two states and not with UNOCT must still reach its reviewer, or it could never be
        published. Once published, the marking alone decides again.
        """
        marking_q = self.visibility_q(user)
        status_q = self.practice_status_q(user)
        if marking_q is None or status_q is None:
            return None
        q = marking_q & status_q
        if self.can_review_practices(user):
            q |= Q(status__in=[Status.SUBMITTED, Status.REVIEWED])
        return q

    def can_author_practice(self, user: Any) -> bool:
        return self.has_role(user, *self.PRACTICE_AUTHOR_ROLES)

    def can_edit_practice(self, user: Any, practice: Any) -> bool:
        return self.can_author_practice(user) and self.can_edit_marked(user, practice)

    def can_review_practices(self, user: Any) -> bool:
        # Review is the secretariat's: an independent reading before the whole network sees it.
        return self.has_role(user, Role.SECRETARIAT)

    def can_import_practices(self, user: Any) -> bool:
        return self.has_role(user, Role.SECRETARIAT)

    def can_endorse_practice(self, user: Any, practice: Any) -> bool:
        """'We applied this' comes from another state than the one that wrote it."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in (Role.NATIONAL_COORDINATOR, Role.OFFICER)
            and membership.organisation.kind == OrgKind.MEMBER_STATE
            and membership.organisation_id != practice.originator_id
        )

    def can_take_copy(self, user: Any, practice: Any) -> bool:
        """May a copy of this practice's content leave the platform for this user (a download)?

        H2 (no onward sharing without the originator's permission): a copy goes only to the
        originating organisation, the organisations it named as recipients, and the secretariat
        while the practice is submitted to it for review. A reader who sees an H2 practice
        because it is CLEAR or GREEN reads it here, and asks the originator for a copy.
        """
        if Handling.H2 not in practice.handling:
            return True
        membership = self.membership(user)
        if membership is None or not self.can_read_content(user):
            return False
        if membership.organisation_id == practice.originator_id:
            return True
        if self.can_review_practices(user) and practice.status in (
            Status.SUBMITTED,
            Status.REVIEWED,
        ):
            return True
        return practice.recipient_orgs.filter(pk=membership.organisation_id).exists()

    def can_comment_practice(self, user: Any) -> bool:
        return self.can_read_content(user)


policy = PracticePolicy()
