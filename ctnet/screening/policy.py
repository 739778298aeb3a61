"""Who may screen, own watchlists, see entries and review possible matches (issue 6).

A watchlist's marking decides who may screen against it; hits belong to the organisation that
screened, and only its people review them, with four eyes.
"""

from __future__ import annotations

from typing import Any

from ctnet.core.markings import Handling
from ctnet.core.models import COMMUNITY_KINDS, Role
from ctnet.core.policy import BasePolicy


class ScreeningPolicy(BasePolicy):
    SCREENING_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )
    # Owning a list commits an organisation (its legal basis, its retention): its head.
    WATCHLIST_OWNER_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def can_screen(self, user: Any) -> bool:
        """Screen travellers, review the possible matches of one's own organisation."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.SCREENING_ROLES
            and membership.organisation.kind in COMMUNITY_KINDS
        )

    def can_create_watchlist(self, user: Any) -> bool:
        return self.can_screen(user) and self.has_role(user, *self.WATCHLIST_OWNER_ROLES)

    def can_manage_watchlist(self, user: Any, watchlist: Any) -> bool:
        """Import into a list, change it: the owning organisation's heads only."""
        membership = self.membership(user)
        return (
            self.can_create_watchlist(user)
            and membership is not None
            and membership.organisation_id == watchlist.originator_id
        )

    def can_see_entries(self, user: Any, watchlist: Any) -> bool:
        """Entry details: the owner always; screeners only where the owner allows it.

        H2 on a list (no onward sharing without the originator's permission) keeps its entries
        with the owner whatever ``entries_visible`` says: other organisations still screen
        against it and learn "entry X of list Y, owned by Z: ask the owner", never the details.
        """
        membership = self.membership(user)
        if membership is None or not self.can_screen(user):
            return False
        if membership.organisation_id == watchlist.originator_id:
            return True
        return watchlist.entries_visible and Handling.H2 not in watchlist.handling

    def can_review_hit(self, user: Any, hit: Any) -> bool:
        membership = self.membership(user)
        return (
            self.can_screen(user)
            and membership is not None
            and membership.organisation_id == hit.organisation_id
        )

    def can_second_review(self, user: Any, hit: Any) -> bool:
        """Four eyes: another person of the screening organisation than the one who proposed."""
        return self.can_review_hit(user, hit) and hit.proposed_by_id != user.pk

    def can_see_screening_stats(self, user: Any) -> bool:
        # Counts only, no traveller and no entry: oversight reads them too.
        return self.can_screen(user) or self.has_role(user, Role.OVERSIGHT)


policy = ScreeningPolicy()
