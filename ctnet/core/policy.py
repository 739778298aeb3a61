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

    # --- Practices ---------------------------------------------------------------------------
    # The good-practice library of ``ctnet.practices`` (issue 4). TLP decides who may read a
    # practice at all; on top of that, work in progress stays with its author organisation and,
    # once submitted, the secretariat that reviews it. Published and archived practices are read
    # by everyone the marking allows.
    PRACTICE_AUTHOR_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def practice_status_q(self, user: Any) -> Q | None:
        """The workflow part of practice visibility (combined with ``visibility_q``)."""
        membership = _membership(user)
        if membership is None or membership.role == Role.OVERSIGHT:
            return None
        q = Q(status__in=["published", "archived"]) | Q(originator_id=membership.organisation_id)
        if membership.role == Role.SECRETARIAT:
            q |= Q(status__in=["submitted", "reviewed"])
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
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in (Role.NATIONAL_COORDINATOR, Role.OFFICER)
            and membership.organisation.kind == OrgKind.MEMBER_STATE
            and membership.organisation_id != practice.originator_id
        )

    def can_comment_practice(self, user: Any) -> bool:
        return self.can_read_content(user)

    # --- Hashes ------------------------------------------------------------------------------
    # Content hash banks of ``ctnet.hashes`` (issue 7). Bank visibility is the marking rule above
    # (platforms see a bank only when it is shared with them); signals add their status.
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
        membership = _membership(user)
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
        from ctnet.hashes.models import SHARED_STATUSES, SignalStatus

        membership = _membership(user)
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
        membership = _membership(user)
        return (
            self.can_contribute_hashes(user)
            and membership is not None
            and membership.organisation_id != signal.contributor_id
        )

    def can_remove_signal(self, user: Any, signal: Any) -> bool:
        membership = _membership(user)
        if membership is None or not self.can_contribute_hashes(user):
            return False
        return membership.organisation_id == signal.contributor_id or self.can_manage_hash_bank(
            user, signal.bank
        )

    def can_see_hash_transparency(self, user: Any) -> bool:
        # Aggregate counts, no content: oversight reads them too.
        return self.is_member(user)

    # --- Exchange ----------------------------------------------------------------------------
    # Requests, bulletins, releases and person records of ``ctnet.exchange`` (issue 5). The TLP
    # rule above decides who may read marked material; exchange narrows it to the addressees, so
    # a GREEN request between two states still never reaches a third.
    EXCHANGE_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )
    # Approving an onward release commits the originating organisation: its head, not an officer.
    EXCHANGE_RELEASE_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def exchange_visible(self, qs: QuerySet, user: Any) -> QuerySet:
        """Requests or bulletins the user may read: the marking rule, and addressed to them."""
        membership = _membership(user)
        q = self.visibility_q(user)
        if membership is None or q is None:
            return qs.none()
        org_id = membership.organisation_id
        addressed = Q(originator_id=org_id) | Q(recipient_orgs=org_id)
        return qs.filter(pk__in=qs.model._default_manager.filter(q & addressed).values("pk"))

    def can_use_exchange(self, user: Any) -> bool:
        return self.can_read_content(user)

    def can_send_exchange(self, user: Any) -> bool:
        """Send requests and publish bulletins on behalf of one's organisation."""
        return self.has_role(user, *self.EXCHANGE_ROLES)

    def can_act_for_recipient(self, user: Any, delivery: Any) -> bool:
        """Acknowledge, answer or refuse a request delivered to one's organisation."""
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == delivery.organisation_id
        )

    def can_act_for_sender(self, user: Any, request: Any) -> bool:
        """Write in the thread and close deliveries of one's organisation's request."""
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == request.originator_id
        )

    def can_see_exchange_source(self, user: Any, obj: Any) -> bool:
        # Sources stay with the organisation that holds them (DESIGN.md rule 2).
        return self.can_edit_marked(user, obj)

    def can_decide_release(self, user: Any, release: Any) -> bool:
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_RELEASE_ROLES
            and membership.organisation_id == release.request.originator_id
        )

    def can_edit_person_record(self, user: Any, record: Any) -> bool:
        """Correct or withdraw a person record: the originating organisation only."""
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in self.EXCHANGE_ROLES
            and membership.organisation_id == record.originator_id
        )

    def can_trace_person(self, user: Any) -> bool:
        # Access and redress requests: oversight follows the data without reading the exchange.
        return self.has_role(user, Role.OVERSIGHT)

    # --- Screening ---------------------------------------------------------------------------
    # Watchlists, traveller screening and the review of possible matches of ``ctnet.screening``
    # (issue 6). A watchlist's marking decides who may screen against it; hits belong to the
    # organisation that screened, and only its people review them.
    SCREENING_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.OFFICER, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )
    # Owning a list commits an organisation (its legal basis, its retention): its head.
    WATCHLIST_OWNER_ROLES = frozenset(
        {Role.NATIONAL_COORDINATOR, Role.ENTITY_FOCAL_POINT, Role.SECRETARIAT}
    )

    def can_screen(self, user: Any) -> bool:
        """Screen travellers, review the possible matches of one's own organisation."""
        membership = _membership(user)
        return (
            membership is not None
            and membership.role in self.SCREENING_ROLES
            and membership.organisation.kind in COMMUNITY_KINDS
        )

    def can_create_watchlist(self, user: Any) -> bool:
        return self.can_screen(user) and self.has_role(user, *self.WATCHLIST_OWNER_ROLES)

    def can_manage_watchlist(self, user: Any, watchlist: Any) -> bool:
        """Import into a list, change it: the owning organisation's heads only."""
        membership = _membership(user)
        return (
            self.can_create_watchlist(user)
            and membership is not None
            and membership.organisation_id == watchlist.originator_id
        )

    def can_see_entries(self, user: Any, watchlist: Any) -> bool:
        """Entry details: the owner always; screeners only where the owner allows it."""
        membership = _membership(user)
        if membership is None or not self.can_screen(user):
            return False
        return watchlist.entries_visible or membership.organisation_id == watchlist.originator_id

    def can_review_hit(self, user: Any, hit: Any) -> bool:
        membership = _membership(user)
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


policy = AccessPolicy()
