"""Who may see, contribute, confirm and govern content hashes (issue 7).

Bank visibility is the base marking rule (platforms see a bank only when it is shared with
them); signals add their status on top.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ctnet.core.models import Role
from ctnet.core.policy import BasePolicy
from ctnet.hashes.models import SHARED_STATUSES, SignalStatus


class HashPolicy(BasePolicy):
    HASH_CONTRIBUTOR_ROLES = frozenset(
        {
            Role.SECRETARIAT,
            Role.NATIONAL_COORDINATOR,
            Role.OFFICER,
            Role.ENTITY_FOCAL_POINT,
            Role.PLATFORM_MEMBER,
        }
    )
    # Owning a bank commits an organisation: its head (coordinator, focal point), the
    # secretariat, or a platform's own trust-and-safety member; not an officer alone.
    HASH_BANK_OWNER_ROLES = frozenset(
        {
            Role.SECRETARIAT,
            Role.NATIONAL_COORDINATOR,
            Role.ENTITY_FOCAL_POINT,
            Role.PLATFORM_MEMBER,
        }
    )

    def can_use_hashes(self, user: Any) -> bool:
        return self.can_read_content(user)

    def can_create_hash_bank(self, user: Any) -> bool:
        return self.has_role(user, *self.HASH_BANK_OWNER_ROLES)

    def can_manage_hash_bank(self, user: Any, bank: Any) -> bool:
        """Close a crisis bank, remove any of its signals: the owner's heads and the secretariat."""
        membership = self.membership(user)
        if membership is None or membership.role not in self.HASH_BANK_OWNER_ROLES:
            return False
        return (
            membership.role == Role.SECRETARIAT or membership.organisation_id == bank.originator_id
        )

    def can_contribute_hashes(self, user: Any) -> bool:
        """Contribute, confirm, report false positives (on banks the user can see)."""
        return self.has_role(user, *self.HASH_CONTRIBUTOR_ROLES)

    def can_give_hash_opinion(self, user: Any) -> bool:
        # Every member may contest a label, civil society included: that is the point of it.
        return self.can_use_hashes(user)

    def hash_signal_q(self, user: Any) -> Q | None:
        """Signal-level filter on top of bank visibility, or None for nothing at all.

        Shared signals reach everyone who sees the bank. A pending signal reaches only its
        contributor and the reviewers who can confirm it: the bank owner and the secretariat.
        Tombstoned signals stay visible to their contributor (and in the feed as tombstones).
        """
        membership = self.membership(user)
        if membership is None or not self.can_use_hashes(user):
            return None
        org_id = membership.organisation_id
        q = Q(status__in=sorted(SHARED_STATUSES)) | Q(contributor_id=org_id)
        if membership.role == Role.SECRETARIAT:
            q |= Q(status=SignalStatus.PENDING)
        elif membership.role in self.HASH_BANK_OWNER_ROLES:
            q |= Q(status=SignalStatus.PENDING, bank__originator_id=org_id)
        return q

    def can_confirm_signal(self, user: Any, signal: Any) -> bool:
        membership = self.membership(user)
        return (
            self.can_contribute_hashes(user)
            and membership is not None
            and membership.organisation_id != signal.contributor_id
        )

    def can_remove_signal(self, user: Any, signal: Any) -> bool:
        membership = self.membership(user)
        if membership is None or not self.can_contribute_hashes(user):
            return False
        return membership.organisation_id == signal.contributor_id or self.can_manage_hash_bank(
            user, signal.bank
        )

    def can_see_hash_transparency(self, user: Any) -> bool:
        # Aggregate counts, no content: oversight reads them too.
        return self.is_member(user)


policy = HashPolicy()
