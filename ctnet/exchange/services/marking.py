"""Markings of exchanged material: validation, and raising or lowering (DESIGN.md rule 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP, InformationGrade, SourceGrade, normalise_handling
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import named_readers


@dataclass(frozen=True)
class Marking:
    tlp: str
    handling: list[str]
    handling_note: str = ""
    source_grade: str = ""
    info_grade: str = ""


def clean_marking(
    tlp: str | None,
    handling: Any = (),
    handling_note: str = "",
    source_grade: str = "",
    info_grade: str = "",
) -> Marking:
    if tlp not in TLP.values:
        raise ValidationError(_("Unknown TLP level: %(tlp)s.") % {"tlp": tlp})
    try:
        codes = normalise_handling(list(handling or []))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if source_grade and source_grade not in SourceGrade.values:
        raise ValidationError(_("Unknown source grade: %(g)s.") % {"g": source_grade})
    if info_grade and info_grade not in InformationGrade.values:
        raise ValidationError(_("Unknown information grade: %(g)s.") % {"g": info_grade})
    if "H3" in codes and not handling_note.strip():
        raise ValidationError(_("Handling code H3 needs the restriction stated in the note."))
    return Marking(str(tlp), codes, handling_note.strip()[:500], source_grade, info_grade)


def change_marking(*, acting_user: User, obj: Any, tlp: str, handling: list[str]) -> Any:
    """Raise (any reader) or lower (originator only) the TLP and handling codes of material.

    The H3 note stays as the originator wrote it; adding H3 where there is no note is refused.
    RED reaches named people only, so a raise to RED names the addressees' heads; when a
    recipient raises it, the originating organisation's heads are named too: a recipient's
    raise must not lock the originator out of its own material (the author keeps access
    through the base rule). When the originator raises, RED stays with its author as chosen.
    """
    marking = clean_marking(tlp, handling, obj.handling_note)
    if not policy.can_change_marking(acting_user, obj, marking.tlp, marking.handling):
        raise PermissionDenied(_("Only the originating organisation may lower a marking."))
    with transaction.atomic():
        old = {"tlp": obj.tlp, "handling": obj.handling}
        obj.tlp = marking.tlp
        obj.handling = marking.handling
        obj.save(update_fields=["tlp", "handling"])
        if obj.tlp == TLP.RED:
            org_ids = list(obj.recipient_orgs.values_list("pk", flat=True))
            if old["tlp"] != TLP.RED and acting_org(acting_user).pk != obj.originator_id:
                org_ids.append(obj.originator_id)
            obj.recipient_users.add(*named_readers(org_ids))
        audit.record(
            "exchange.marking",
            actor=acting_user,
            obj=obj,
            detail={"from": old, "to": {"tlp": obj.tlp, "handling": obj.handling}},
        )
    return obj
