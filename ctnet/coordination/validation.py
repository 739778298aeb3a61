"""Checks of plan input shared by the services: every refusal a ValidationError in the person's
language (400 on the API, a form error on pages), raised before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ctnet.coordination.models import ActionPlan, PlanScope
from ctnet.coordination.references import PILLARS, REFERENCES
from ctnet.core.access import organisations_by_code
from ctnet.core.models import Organisation, OrgKind

# Organisations that may support a plan's milestones: the Compact's entities and partners.
SUPPORTING_KINDS = frozenset({OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL, OrgKind.REGIONAL})

SCOPE_BY_OWNER_KIND: dict[str, str] = {
    OrgKind.MEMBER_STATE: PlanScope.NATIONAL,
    OrgKind.REGIONAL: PlanScope.REGIONAL,
}


def clean_pillars(pillars: list[str]) -> list[str]:
    unknown = [p for p in pillars if p not in PILLARS]
    if unknown:
        raise ValidationError(
            _("Unknown pillar(s): %(pillars)s. The pillars are I, II, III and IV.")
            % {"pillars": ", ".join(unknown)}
        )
    return sorted(set(pillars), key=list(PILLARS).index)


def clean_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("The plan's period ends before it starts."))


def clean_references(refs: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(code, paragraph) pairs of the reference list; an unknown code or paragraph is refused."""
    cleaned: list[tuple[str, str]] = []
    for ref in refs:
        code = (ref.get("code") or "").strip().upper()
        paragraph = (ref.get("paragraph") or "").strip()
        known = REFERENCES.get(code)
        if known is None:
            raise ValidationError(
                _(
                    "Unknown reference %(code)s: use one of the reference list (%(codes)s) or a "
                    "free reference."
                )
                % {"code": code or "?", "codes": ", ".join(REFERENCES)}
            )
        if paragraph and paragraph not in known.paragraphs:
            raise ValidationError(
                _("%(code)s has no paragraph %(paragraph)s in the reference list.")
                % {"code": code, "paragraph": paragraph}
            )
        if (code, paragraph) not in cleaned:
            cleaned.append((code, paragraph))
    return cleaned


def clean_due_date(plan: ActionPlan, due: date) -> None:
    if not plan.period_start <= due <= plan.period_end:
        raise ValidationError(
            _("The milestone's date %(due)s is outside the plan's period (%(start)s to %(end)s).")
            % {"due": due, "start": plan.period_start, "end": plan.period_end}
        )


def responsible_organisations(plan: ActionPlan, codes: list[str]) -> list[Organisation]:
    """The owner itself or Compact entities; another state cannot be made responsible."""
    orgs = organisations_by_code(codes)
    wrong = [o.code for o in orgs if o.pk != plan.originator_id and o.kind not in SUPPORTING_KINDS]
    if wrong:
        raise ValidationError(
            _("Responsible organisations are the plan's owner or Compact entities, not %(codes)s.")
            % {"codes": ", ".join(wrong)}
        )
    return orgs


def clean_progress(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise ValidationError(_("Progress is a whole number of per cent, from 0 to 100."))
    return value


def clean_free_references(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values if v and v.strip()]
    if any(len(v) > 300 for v in cleaned):
        raise ValidationError(_("A free reference is at most 300 characters."))
    return cleaned
