"""Who may send, read, answer and release requests, bulletins and person records (issue 5).

The base marking rule decides who may read marked material; exchange narrows it to the
addressees, so a GREEN request between two states still never reaches a third.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ctnet.core.markings import needs_release
from ctnet.core.models import Role
from ctnet.core.policy import BasePolicy
from ctnet.exchange.models import ReleaseKind, ReleaseStatus


class ExchangePolicy(BasePolicy):
    EXCHANGE_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )
    # Approving an onward release commits the originating organisation: its head, not an officer.
    EXCHANGE_RELEASE_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def exchange_visible(self, qs: QuerySet, user: Any) -> QuerySet:
        """Requests or bulletins the user may read: the marking rule, and addressed to them."""
        return self.visible_to_addressees(qs, user)

    def can_use_exchange(self, user: Any) -> bool:
        return self.can_read_content(user)

    def can_send_exchange(self, user: Any) -> bool:
        """Send requests and publish bulletins on behalf of one's organisation."""
        return self.has_role(user, *self.EXCHANGE_ROLES)

    def can_address_in_request(self, user: Any, organisation: Any) -> bool:
        """May this member send a request to ``organisation``? A community organisation other
        than their own (the request form's recipients)."""
        membership = self.membership(user)
        return (
            self.can_send_exchange(user)
            and membership is not None
            and organisation.is_active
            and organisation.is_community
            and organisation.pk != membership.organisation_id
        )

    def can_act_for_recipient(self, user: Any, delivery: Any) -> bool:
        """Acknowledge, answer or refuse a request delivered to one's organisation."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == delivery.organisation_id
        )

    def can_act_for_sender(self, user: Any, request: Any) -> bool:
        """Write in the thread and close deliveries of one's organisation's request."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == request.originator_id
        )

    def can_see_exchange_source(self, user: Any, obj: Any) -> bool:
        # Sources stay with the organisation that holds them (DESIGN.md rule 2).
        return self.can_edit_marked(user, obj)

    def can_decide_release(self, user: Any, release: Any) -> bool:
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_RELEASE_ROLES
            and membership.organisation_id == release.originator_id
        )

    def can_take_out(self, user: Any, obj: Any) -> bool:
        """May content of ``obj`` leave the platform (a STIX export)? Exporting is onward
        sharing: free for CLEAR/GREEN without H2, else only for the originating organisation
        or an organisation whose export release the originator approved (DESIGN.md rule 2)."""
        if not needs_release(obj.tlp, obj.handling) or self.can_edit_marked(user, obj):
            return True
        membership = self.membership(user)
        return (
            membership is not None
            and obj.releases.filter(
                kind=ReleaseKind.EXPORT,
                status=ReleaseStatus.APPROVED,
                requesting_org_id=membership.organisation_id,
            ).exists()
        )

    def can_edit_person_record(self, user: Any, record: Any) -> bool:
        """Correct or withdraw a person record: the originating organisation only."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == record.originator_id
        )

    def can_review_people(self, user: Any) -> bool:
        """See the organisation's own person records due for review (and mark them reviewed,
        record by record, under ``can_edit_person_record``)."""
        return self.has_role(user, *self.EXCHANGE_ROLES)

    def can_trace_person(self, user: Any) -> bool:
        # Access and redress requests: oversight follows the data without reading the exchange.
        return self.has_role(user, Role.OVERSIGHT)


policy = ExchangePolicy()
