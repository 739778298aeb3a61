"""Bulletins and alerts to the network, a UN regional group or a sharing group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import stix2
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import COMMUNITY_KINDS, Organisation, UNGroup, User
from ctnet.core.policy import acting_org
from ctnet.exchange import crypto, stix
from ctnet.exchange.indicators import clean_indicator
from ctnet.exchange.models import (
    Audience,
    Bulletin,
    BulletinAck,
    BulletinCategory,
    Indicator,
    ReleaseKind,
    ReleaseStatus,
    SharingGroup,
)
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import named_readers, notify_after_commit
from ctnet.exchange.services.marking import Marking, clean_marking
from ctnet.exchange.services.people import attach_person, clean_person

MAX_INDICATORS = 500
BULLETIN_REQUIRED = ("title", "body", "category", "audience", "tlp")


def create_sharing_group(
    *, acting_user: User, name: str, members: Sequence[Organisation]
) -> SharingGroup:
    if not policy.can_send_exchange(acting_user):
        raise PermissionDenied(_("Your role may not create sharing groups."))
    name = (name or "").strip()
    if not name or not members:
        raise ValidationError(_("A sharing group needs a name and at least one member."))
    with transaction.atomic():
        group = SharingGroup.objects.create(
            name=name[:200], owner=acting_org(acting_user), created_by=acting_user
        )
        group.members.set(members)
        audit.record(
            "exchange.group.create",
            actor=acting_user,
            obj=group,
            detail={"members": sorted(o.code for o in members)},
        )
    return group


def audience_orgs(
    sender: Organisation, audience: str, un_group: str, group: SharingGroup | None
) -> list[int]:
    """The organisations a bulletin reaches, fixed when it is published."""
    active = Organisation.objects.filter(is_active=True).exclude(pk=sender.pk)
    if audience == Audience.NETWORK:
        qs = active.filter(kind__in=sorted(COMMUNITY_KINDS))
    elif audience == Audience.REGION:
        if un_group not in UNGroup.values:
            raise ValidationError(_("Name the UN regional group."))
        qs = active.filter(un_group=un_group)
    elif audience == Audience.GROUP:
        if group is None:
            raise ValidationError(_("Name the sharing group."))
        qs = active.filter(pk__in=group.members.values("pk"))
    else:
        raise ValidationError(_("The audience is network, region or group."))
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("This audience has no organisation in it."))
    return ids


def clean_indicators(rows: Sequence[dict[str, Any]]) -> list[Indicator]:
    if len(rows) > MAX_INDICATORS:
        raise ValidationError(_("At most %(n)d indicators.") % {"n": MAX_INDICATORS})
    cleaned = []
    for n, row in enumerate(rows, start=1):
        kind, value = str(row.get("kind") or ""), str(row.get("value") or "")
        try:
            canonical = clean_indicator(kind, value)
        except ValueError as exc:
            raise ValidationError(
                _("Indicator %(n)d (%(kind)s %(value)s): %(why)s")
                % {"n": n, "kind": kind, "value": value[:80], "why": exc}
            ) from None
        cleaned.append(
            Indicator(
                kind=kind,
                value=canonical,
                shareable=bool(row.get("shareable", True)),
                description=str(row.get("description") or "")[:500],
            )
        )
    return cleaned


def _check_bulletin_input(data: dict[str, Any]) -> None:
    missing = [f for f in BULLETIN_REQUIRED if not str(data.get(f) or "").strip()]
    if missing:
        raise ValidationError(
            _("Missing required fields: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if data["category"] not in BulletinCategory.values:
        raise ValidationError(_("Unknown category: %(c)s.") % {"c": data["category"]})


def publish_bulletin(
    *,
    acting_user: User,
    data: dict[str, Any],
    group: SharingGroup | None = None,
    indicators: Sequence[dict[str, Any]] = (),
    people: Sequence[dict[str, Any]] = (),
) -> Bulletin:
    """Publish to the audience as it is now; everything in one transaction."""
    if not policy.can_send_exchange(acting_user):
        raise PermissionDenied(_("Your role may not publish bulletins."))
    _check_bulletin_input(data)
    sender = acting_org(acting_user)
    marking = clean_marking(
        data["tlp"],
        data.get("handling") or [],
        data.get("handling_note") or "",
        data.get("source_grade") or "",
        data.get("info_grade") or "",
    )
    org_ids = audience_orgs(sender, data["audience"], data.get("un_group") or "", group)
    rows = clean_indicators(indicators)
    cleaned_people = [clean_person(p) for p in people]
    with transaction.atomic():
        bulletin = _create_bulletin(acting_user, sender, data, marking, group)
        bulletin.recipient_orgs.set(org_ids)
        if marking.tlp == TLP.RED:
            bulletin.recipient_users.set(named_readers(org_ids))
        BulletinAck.objects.bulk_create(
            [BulletinAck(bulletin=bulletin, organisation_id=pk) for pk in org_ids]
        )
        for row in rows:
            row.bulletin = bulletin
        Indicator.objects.bulk_create(rows)
        for person in cleaned_people:
            attach_person(acting_user=acting_user, material=bulletin, cleaned=person)
        audit.record(
            "exchange.bulletin.publish",
            actor=acting_user,
            obj=bulletin,
            detail={
                "audience": bulletin.audience,
                "organisations": len(org_ids),
                "tlp": bulletin.tlp,
                "indicators": len(rows),
                "people": len(cleaned_people),
            },
        )
        notify_after_commit("bulletin", f"/exchange/bulletins/{bulletin.pk}/", org_ids)
    return bulletin


def _create_bulletin(
    acting_user: User,
    sender: Organisation,
    data: dict[str, Any],
    marking: Marking,
    group: SharingGroup | None,
) -> Bulletin:
    audience = data["audience"]
    return Bulletin.objects.create(
        originator=sender,
        created_by=acting_user,
        title=data["title"].strip()[:200],
        body=data["body"].strip(),
        category=data["category"],
        audience=audience,
        un_group=(data.get("un_group") or "") if audience == Audience.REGION else "",
        sharing_group=group if audience == Audience.GROUP else None,
        source_details_enc=crypto.encrypt((data.get("source_details") or "").strip()),
        tlp=marking.tlp,
        handling=marking.handling,
        handling_note=marking.handling_note,
        source_grade=marking.source_grade,
        info_grade=marking.info_grade,
    )


def acknowledge_bulletin(*, acting_user: User, bulletin: Bulletin) -> BulletinAck:
    org = acting_org(acting_user)
    if not policy.can_send_exchange(acting_user):
        raise PermissionDenied(_("Your role may not acknowledge for your organisation."))
    with transaction.atomic():
        ack = BulletinAck.objects.select_for_update().filter(bulletin=bulletin, organisation=org)
        row = ack.first()
        if row is None:
            raise PermissionDenied(_("Only an addressee organisation acknowledges a bulletin."))
        if row.acknowledged_at is None:
            row.acknowledged_at = timezone.now()
            row.acknowledged_by = acting_user
            row.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit.record("exchange.bulletin.acknowledge", actor=acting_user, obj=bulletin)
    return row


def export_conditions(user: User, bulletin: Bulletin) -> str:
    """The originator's conditions that travel with an export: those of the released copy and
    of the export release approved for the user's organisation."""
    org = acting_org(user)
    approved = bulletin.releases.filter(
        kind=ReleaseKind.EXPORT, status=ReleaseStatus.APPROVED, requesting_org=org
    ).exclude(conditions="")
    parts = [bulletin.release_conditions, *approved.values_list("conditions", flat=True)]
    return " / ".join(p for p in parts if p)


def export_bulletin(*, acting_user: User, bulletin: Bulletin) -> stix2.v21.Bundle:
    """The STIX bundle of a bulletin, if its content may leave the platform (H2/AMBER/RED only
    for the originator or after an approved export release); the export is audited."""
    if not policy.can_take_out(acting_user, bulletin):
        raise PermissionDenied(
            _(
                "This bulletin's marking does not allow export: "
                "ask the originator for an export release."
            )
        )
    bundle = stix.bulletin_bundle(bulletin, export_conditions(acting_user, bulletin))
    with transaction.atomic():
        audit.record(
            "exchange.bulletin.export",
            actor=acting_user,
            obj=bulletin,
            detail={
                "format": "stix-2.1",
                "tlp": bulletin.tlp,
                "handling": bulletin.handling,
                "indicators": sum(1 for o in bundle.objects if o.type == "indicator"),
            },
        )
    return bundle
