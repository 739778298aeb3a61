"""Assistance matched to needs: a state records a need, organisations offer capacity, the
platform proposes matches (``matching.py``), a person of the state accepts one, and the need is
closed when the assisting work reports.

An accepted match becomes a project in monitoring (``start_project``, through monitoring's
service, under its rules); the project's first approved report closes the need
(``close_reported_needs``, a scheduled job). The state or the assisting organisation can also
close a need by hand with what was achieved (``close_need``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.coordination import matching, notices
from ctnet.coordination.models import (
    AssistanceNeed,
    AssistanceOffer,
    Match,
    MatchStatus,
    NeedStatus,
    Urgency,
)
from ctnet.coordination.policy import policy
from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import UNGroup, User
from ctnet.core.policy import acting_org
from ctnet.core.topics import TOPICS
from ctnet.monitoring.reports import reported_project_ids
from ctnet.monitoring.services.projects import create_project

LANGUAGE_CODES = frozenset(code.split("-")[0] for code, _name in settings.LANGUAGES)


def _clean_common(data: dict[str, Any]) -> list[str]:
    if data["topic"] not in TOPICS:
        raise ValidationError(
            _("Unknown topic %(topic)s: use one of %(topics)s.")
            % {"topic": data["topic"], "topics": ", ".join(TOPICS)}
        )
    languages = sorted({code.strip().lower() for code in data.get("languages") or []})
    if not languages or not set(languages) <= LANGUAGE_CODES:
        raise ValidationError(
            _("Languages are one or more of %(codes)s.")
            % {"codes": ", ".join(sorted(LANGUAGE_CODES))}
        )
    return languages


def need_key(need: AssistanceNeed) -> matching.NeedKey:
    return matching.NeedKey(need.pk, need.topic, need.region, frozenset(need.languages))


def offer_key(offer: AssistanceOffer) -> matching.OfferKey:
    return matching.OfferKey(
        offer.pk, offer.topic, frozenset(offer.regions), frozenset(offer.languages)
    )


def _propose(needs: list[AssistanceNeed], offers: list[AssistanceOffer]) -> int:
    """Write the proposed matches of these needs among these offers; returns how many are new."""
    index = matching.OfferIndex(offer_key(o) for o in offers)
    rows = [
        Match(need_id=n.pk, offer_id=offer_id, score=score)
        for n in needs
        for offer_id, score in index.propose(need_key(n))
    ]
    before = Match.objects.filter(need__in=needs).count()
    Match.objects.bulk_create(rows, ignore_conflicts=True)
    return Match.objects.filter(need__in=needs).count() - before


def record_need(*, acting_user: User, data: dict[str, Any]) -> AssistanceNeed:
    if not policy.can_record_need(acting_user):
        raise PermissionDenied(_("A state's coordinators and officers record its needs."))
    state = acting_org(acting_user)
    languages = _clean_common(data)
    if data["urgency"] not in Urgency.values:
        raise ValidationError(_("Urgency is low, medium or high."))
    with transaction.atomic():
        need = AssistanceNeed.objects.create(
            originator=state,
            created_by=acting_user,
            tlp=TLP.GREEN,
            topic=data["topic"],
            region=state.un_group or "",
            languages=languages,
            urgency=data["urgency"],
            title=data["title"],
            existing=data.get("existing") or "",
        )
        offers = list(AssistanceOffer.objects.filter(topic=need.topic, is_active=True))
        proposed = _propose([need], offers)
        audit.record(
            "coordination.need_recorded",
            actor=acting_user,
            obj=need,
            detail={"topic": need.topic, "matches": proposed},
        )
    return need


def record_offer(*, acting_user: User, data: dict[str, Any]) -> AssistanceOffer:
    if not policy.can_offer(acting_user):
        raise PermissionDenied(_("Offers are made by Compact entities, organisations and states."))
    languages = _clean_common(data)
    regions = sorted(set(data.get("regions") or []))
    if not set(regions) <= set(UNGroup.values):
        raise ValidationError(
            _("Regions are UN regional groups: %(groups)s.") % {"groups": ", ".join(UNGroup.values)}
        )
    with transaction.atomic():
        offer = AssistanceOffer.objects.create(
            organisation=acting_org(acting_user),
            created_by=acting_user,
            topic=data["topic"],
            regions=regions,
            languages=languages,
            title=data["title"],
            description=data.get("description") or "",
        )
        # The open needs of the topic against all its offers: the new offer joins a need's
        # proposals only where it ranks among the best (earlier proposals stay).
        needs = list(AssistanceNeed.objects.filter(topic=offer.topic, status=NeedStatus.OPEN))
        offers = list(AssistanceOffer.objects.filter(topic=offer.topic, is_active=True))
        proposed = _propose(needs, offers)
        audit.record(
            "coordination.offer_recorded",
            actor=acting_user,
            obj=offer,
            detail={"topic": offer.topic, "matches": proposed},
        )
    return offer


def accept_match(*, acting_user: User, match: Match) -> Match:
    need = match.need
    if not policy.can_accept_match(acting_user, need):
        raise PermissionDenied(_("A person of the state in need accepts a match."))
    with transaction.atomic():
        locked = AssistanceNeed.objects.select_for_update().get(pk=need.pk)
        if locked.status == NeedStatus.CLOSED:
            raise ValidationError(_("This need is closed."))
        match.status = MatchStatus.ACCEPTED
        match.accepted_by = acting_user
        match.accepted_at = timezone.now()
        match.save(update_fields=["status", "accepted_by", "accepted_at"])
        locked.status = NeedStatus.MATCHED
        locked.save(update_fields=["status"])
        audit.record(
            "coordination.match_accepted",
            actor=acting_user,
            obj=match,
            detail={"need": need.pk, "offer": match.offer_id},
        )
        notices.queue(
            "match_accepted",
            [match.offer.organisation_id],
            reverse("coordination-needs"),
        )
    return match


def assisting_ids(need: AssistanceNeed) -> set[int]:
    return set(
        need.matches.filter(status=MatchStatus.ACCEPTED).values_list(
            "offer__organisation_id", flat=True
        )
    )


def close_need(*, acting_user: User, need: AssistanceNeed, report: str) -> AssistanceNeed:
    """The assisting work has reported: the need is closed, with what was done."""
    if not policy.can_close_need(acting_user, need, assisting_ids(need)):
        raise PermissionDenied(
            _("The state in need or the organisation assisting it closes a need.")
        )
    if not report.strip():
        raise ValidationError(_("Say what the assistance achieved."))
    with transaction.atomic():
        if need.status == NeedStatus.CLOSED:
            raise ValidationError(_("This need is closed."))
        need.status = NeedStatus.CLOSED
        need.closing_report = report.strip()
        need.closed_at = timezone.now()
        need.save(update_fields=["status", "closing_report", "closed_at"])
        audit.record("coordination.need_closed", actor=acting_user, obj=need)
    return need


def start_project(*, acting_user: User, match: Match, data: dict[str, Any]) -> Match:
    """The assisting organisation starts the monitoring project that delivers an accepted match:
    in the state in need, on the need's topic, marked as the need (TLP:GREEN). Monitoring's own
    service checks the project (its identifier, dates, who may create one); nothing of either
    is kept if it refuses."""
    if not policy.can_start_project(acting_user, match):
        raise PermissionDenied(
            _("The assisting organisation's project managers start the project of a match.")
        )
    need = match.need
    with transaction.atomic():
        # Locked: two people starting it at once make one project, not two.
        if Match.objects.select_for_update().get(pk=match.pk).project_id is not None:
            raise ValidationError(_("A project already delivers this match."))
        project = create_project(
            acting_user=acting_user,
            iati_identifier=data["iati_identifier"],
            title=data.get("title") or need.title,
            description=data.get("description") or need.existing,
            start_date=data["start_date"],
            end_date=data["end_date"],
            countries=[need.originator.code],
            themes=[need.topic],
            tlp=need.tlp,
        )
        match.project = project
        match.save(update_fields=["project"])
        audit.record(
            "coordination.match_project",
            actor=acting_user,
            obj=match,
            detail={"need": need.pk, "project": project.pk},
        )
    return match


def close_reported_needs() -> int:
    """Close the needs whose project has an approved report (the scheduled job
    ``coordination-needs-reported``); the closing report names the project. Returns how many."""
    reported = reported_project_ids()
    matches = (
        Match.objects.filter(
            status=MatchStatus.ACCEPTED,
            project__in=reported,
            need__status=NeedStatus.MATCHED,
        )
        .select_related("need", "project")
        .order_by("id")
    )
    closed = 0
    for match in matches:
        project = match.project
        assert project is not None  # the filter above
        with transaction.atomic():
            need = AssistanceNeed.objects.select_for_update().get(pk=match.need_id)
            if need.status != NeedStatus.MATCHED:
                continue
            need.status = NeedStatus.CLOSED
            # Data, not an interface string: kept as written, like the reports people type.
            need.closing_report = (
                f"Project {project.iati_identifier} reported progress that was approved."
            )
            need.closed_at = timezone.now()
            need.save(update_fields=["status", "closing_report", "closed_at"])
            audit.record(
                "coordination.need_closed",
                obj=need,
                detail={"by": "project report", "project": project.pk},
            )
        closed += 1
    return closed
