"""The human review of possible matches, notices to list owners and retention (DESIGN rule 4).

A first reviewer decides with a reason: false positive (remembered for this traveller and this
version of the entry), inconclusive (remembered too), or a *proposed* confirmation (remembered
once approved; a re-screening attaches to the hit, ``services.attach``). A confirmation takes
effect, and a notice or dissemination to the list owner leaves, only when a second person of the
same organisation approves it. Past their retention date, hits and notices are purged; the purge is
audited with counts and ids (``tasks.purge_expired_hits`` runs it on schedule).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.conflicts import Conflict
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.screening import notices
from ctnet.screening.models import (
    DecisionMemory,
    Hit,
    HitNotice,
    HitSighting,
    HitStatus,
    Outcome,
    Review,
    ReviewAction,
)
from ctnet.screening.policy import policy

# A reason is what an oversight body or a court reads later: a word is not one.
MIN_REASON_LENGTH = 10
# States in which a first decision may (still) be taken.
DECIDABLE = frozenset({HitStatus.OPEN, HitStatus.INCONCLUSIVE})


class WrongState(Conflict):
    """The hit is not in a state where this step applies (409)."""


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Give the reason for this decision (at least %(n)d characters).")
            % {"n": MIN_REASON_LENGTH}
        )
    return reason[:2000]


def _locked(hit: Hit) -> Hit:
    return Hit.objects.select_for_update().select_related("entry__watchlist", "run").get(pk=hit.pk)


def _remember(hit: Hit, reason: str, acting_user: User, now: datetime, expires: datetime) -> None:
    """The decision on this traveller and this version of the entry, for the screening
    organisation: the pair is attached, not raised again, until new evidence."""
    DecisionMemory.objects.update_or_create(
        organisation_id=hit.organisation_id,
        entry_id=hit.entry_id,
        traveller_key=hit.traveller_key,
        defaults={
            "entry_version": hit.entry_version,
            "name_key": hit.name_key,
            "outcome": hit.status,
            "hit": hit,
            "reason": reason,
            "decided_by": acting_user,
            "at": now,
            "expires_at": expires,
        },
    )


def _apply_outcome(hit: Hit, outcome: str, reason: str, acting_user: User, now: datetime) -> None:
    """A first decision: a confirmation is only proposed (four eyes); a false positive or an
    inconclusive decision is remembered; each keeps its retention. A false positive's memory
    outlives its hit (it keeps the traveller out of the queue); an inconclusive one goes with it.
    """
    if outcome == Outcome.CONFIRMED:
        hit.status = HitStatus.PROPOSED
        hit.proposed_by = acting_user
    elif outcome == Outcome.FALSE_POSITIVE:
        hit.status = HitStatus.FALSE_POSITIVE
        hit.retain_until = now + timedelta(days=settings.SCREENING_FALSE_POSITIVE_RETENTION_DAYS)
        expires = now + timedelta(days=settings.SCREENING_FP_MEMORY_DAYS)
        _remember(hit, reason, acting_user, now, expires)
    else:
        hit.status = HitStatus.INCONCLUSIVE
        hit.retain_until = now + timedelta(days=settings.SCREENING_INCONCLUSIVE_RETENTION_DAYS)
        _remember(hit, reason, acting_user, now, hit.retain_until)


def decide(
    *,
    acting_user: User,
    hit: Hit,
    outcome: str,
    reason: str,
    notify_owner: bool = False,
    disseminate: bool = False,
) -> Hit:
    if not policy.can_review_hit(acting_user, hit):
        raise PermissionDenied(_("Only the screening organisation reviews its possible matches."))
    if outcome not in Outcome.values:
        raise ValidationError(
            _("The outcome is one of %(values)s.") % {"values": ", ".join(Outcome.values)}
        )
    reason = _reason(reason)
    if disseminate and not notify_owner:
        raise ValidationError(_("Details can only be disseminated with a notice to the owner."))
    if (notify_owner or disseminate) and outcome != Outcome.CONFIRMED:
        raise ValidationError(_("Only a confirmed hit is notified to the list owner."))
    now = timezone.now()
    with transaction.atomic():
        hit = _locked(hit)
        if hit.status not in DECIDABLE:
            raise WrongState(_("This possible match has already been decided."))
        hit.decided_at = now
        _apply_outcome(hit, outcome, reason, acting_user, now)
        if outcome == Outcome.CONFIRMED:
            hit.notify_owner = notify_owner
            hit.disseminate = disseminate
        hit.save()
        Review.objects.create(
            hit=hit,
            user=acting_user,
            action=ReviewAction.DECIDED,
            outcome=outcome,
            reason=reason,
            at=now,
        )
        audit.record(
            "screening.hit.decide",
            actor=acting_user,
            obj=hit,
            detail={
                "outcome": outcome,
                "status": hit.status,
                "notify_owner": notify_owner,
                "disseminate": disseminate,
            },
        )
    return hit


def second_review(*, acting_user: User, hit: Hit, approve: bool, reason: str) -> Hit:
    """Four eyes: another person approves (or sends back) a proposed confirmation."""
    if not policy.can_review_hit(acting_user, hit):
        raise PermissionDenied(_("Only the screening organisation reviews its possible matches."))
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        hit = _locked(hit)
        if hit.status != HitStatus.PROPOSED:
            raise WrongState(_("No confirmation of this possible match is waiting for review."))
        if not policy.can_second_review(acting_user, hit):
            raise PermissionDenied(
                _("A second person must approve: you proposed this confirmation yourself.")
            )
        notice = None
        if approve:
            hit.status = HitStatus.CONFIRMED
            hit.retain_until = now + timedelta(days=hit.entry.watchlist.hit_retention_days)
            # Remembered as long as the confirmed hit is kept (the list's own retention).
            _remember(hit, reason, acting_user, now, hit.retain_until)
            if hit.notify_owner:
                notice = _notify_owner(hit, now)
        else:
            hit.status = HitStatus.OPEN
            hit.proposed_by = None
            hit.notify_owner = hit.disseminate = False
        hit.decided_at = now
        hit.save()
        Review.objects.create(
            hit=hit,
            user=acting_user,
            action=ReviewAction.SECOND_APPROVED if approve else ReviewAction.SECOND_REJECTED,
            reason=reason,
            at=now,
        )
        audit.record(
            "screening.hit.second_review",
            actor=acting_user,
            obj=hit,
            detail={
                "approved": approve,
                "status": hit.status,
                "notice": notice.pk if notice else None,
                "disseminated": bool(notice and notice.traveller),
            },
        )
    return hit


def _notify_owner(hit: Hit, now: datetime) -> HitNotice:
    watchlist = hit.entry.watchlist
    traveller = {}
    if hit.disseminate:
        traveller = {
            "name": hit.traveller_name,
            "dob": hit.traveller_dob,
            "nationality": hit.traveller_nationality,
            "document": hit.traveller_document,
        }
    notice = HitNotice.objects.create(
        hit=hit,
        entry=hit.entry,
        owner_id=watchlist.originator_id,
        sender_id=hit.organisation_id,
        traveller=traveller,
        flight=hit.run.flight,
        created_at=now,
        retain_until=now + timedelta(days=watchlist.hit_retention_days),
    )
    # The mail leaves once the notice is committed (``notices``: what services send).
    transaction.on_commit(lambda: notices.send_hit_notice.enqueue(notice.pk))
    return notice


def acknowledge_notice(*, acting_user: User, notice: HitNotice) -> HitNotice:
    if not policy.can_screen(acting_user) or acting_org(acting_user).pk != notice.owner_id:
        raise PermissionDenied(_("Only the list owner acknowledges its notices."))
    with transaction.atomic():
        notice = HitNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.acknowledged_at is not None:
            raise WrongState(_("This notice has already been acknowledged."))
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = acting_user
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record("screening.notice.acknowledge", actor=acting_user, obj=notice)
    return notice


def purge_expired(now: datetime | None = None) -> dict[str, list[int]]:
    """Delete hits (with their sightings and review trail), notices and remembered decisions
    past their retention. The audit row carries ids and counts, never a person."""
    now = now or timezone.now()
    with transaction.atomic():
        hits = Hit.objects.filter(retain_until__lte=now)
        notices = HitNotice.objects.filter(retain_until__lte=now)
        memories = DecisionMemory.objects.filter(expires_at__lte=now)
        # Sightings go with their hit (cascade); named here so the audit row counts them.
        sightings = HitSighting.objects.filter(hit__retain_until__lte=now)
        purged = {
            "hits": list(hits.values_list("pk", flat=True)),
            "notices": list(notices.values_list("pk", flat=True)),
            "decision_memory": list(memories.values_list("pk", flat=True)),
            "sightings": list(sightings.values_list("pk", flat=True)),
        }
        if not any(purged.values()):
            return purged
        # The same conditions, not the id lists: a purge of many rows must not hit the
        # database's limit on query parameters. The rows are locked by the transaction.
        notices.delete()
        hits.delete()
        memories.delete()
        audit.record(
            "screening.purge",
            object_type="screening.hit",
            detail={
                "hits": purged["hits"],
                "notices": purged["notices"],
                "decision_memory": purged["decision_memory"],
                "counts": {k: len(v) for k, v in purged.items()},
            },
        )
    return purged
