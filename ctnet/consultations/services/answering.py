"""The accountability trace: the unit groups inputs into themes, answers each theme with what
changed, and records the results (Decidim's shape: a tree with weights, progress and milestones).

Grouping and answering happen after the window closes, so nobody's answer is read back to them
while others are still writing.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.consultations.models import (
    Consultation,
    Milestone,
    ResponseKind,
    Result,
    ResultStatus,
    Status,
    Theme,
)
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState
from ctnet.core import audit
from ctnet.core.models import User

# A reason is what the civil-society organisations read: a word is not one.
MIN_REASON_LENGTH = 10

# A milestone says what happens then in a few lines: a page of them stays readable.
MAX_MILESTONE_DESCRIPTION = 2000


def _require_synthesis(user: User, consultation: Consultation) -> None:
    if not policy.can_manage(user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if consultation.status not in (Status.CLOSED, Status.SYNTHESIS):
        raise WrongState(
            _(
                "Inputs are grouped and answered once the consultation has closed, and until "
                "the response is published."
            )
        )


def _title(raw: Any) -> str:
    title = str(raw or "").strip()
    if not title or len(title) > 200:
        raise ValidationError(_("A title is required (at most 200 characters)."))
    return title


@transaction.atomic
def create_theme(
    *, acting_user: User, consultation: Consultation, title: str, submission_ids: list[str]
) -> Theme:
    """A theme with the inputs a person put in it (moved from any theme they were in)."""
    _require_synthesis(acting_user, consultation)
    theme = Theme.objects.create(consultation=consultation, title=_title(title))
    moved = _assign(consultation, theme, submission_ids)
    audit.record(
        "consultations.theme_created", actor=acting_user, obj=theme, detail={"inputs": moved}
    )
    return theme


def _assign(consultation: Consultation, theme: Theme | None, submission_ids: list[str]) -> int:
    try:
        ids = {uuid.UUID(str(s)) for s in submission_ids}
    except ValueError:
        raise ValidationError(_("Unknown input in this consultation.")) from None
    qs = consultation.submissions.filter(pk__in=ids)
    if qs.count() != len(ids):
        raise ValidationError(_("Unknown input in this consultation."))
    return qs.update(theme=theme)


@transaction.atomic
def assign_inputs(*, acting_user: User, theme: Theme, submission_ids: list[str]) -> int:
    _require_synthesis(acting_user, theme.consultation)
    moved = _assign(theme.consultation, theme, submission_ids)
    audit.record(
        "consultations.inputs_assigned", actor=acting_user, obj=theme, detail={"inputs": moved}
    )
    return moved


@transaction.atomic
def ungroup_inputs(
    *, acting_user: User, consultation: Consultation, submission_ids: list[str]
) -> int:
    """Take inputs out of every theme, back to those without one: they lack a response again,
    so publishing waits for them (``configuring.unanswered_count`` counts inputs in no theme)."""
    _require_synthesis(acting_user, consultation)
    if not submission_ids:
        raise ValidationError(_("Choose the inputs to take out of their theme."))
    moved = _assign(consultation, None, submission_ids)
    audit.record(
        "consultations.inputs_ungrouped",
        actor=acting_user,
        obj=consultation,
        detail={"inputs": moved},
    )
    return moved


@transaction.atomic
def rename_theme(*, acting_user: User, theme: Theme, title: str) -> Theme:
    _require_synthesis(acting_user, theme.consultation)
    theme.title = _title(title)
    theme.save(update_fields=["title"])
    audit.record("consultations.theme_renamed", actor=acting_user, obj=theme)
    return theme


@transaction.atomic
def merge_themes(*, acting_user: User, into: Theme, theme_ids: list[int]) -> Theme:
    """Fold other themes of the same consultation into ``into``: their inputs and the results
    that cite them move over, and the folded themes go (their responses with them)."""
    consultation = into.consultation
    _require_synthesis(acting_user, consultation)
    ids = {int(i) for i in theme_ids} - {into.pk}
    others = list(consultation.themes.filter(pk__in=ids))
    if not ids or len(others) != len(ids):
        raise ValidationError(_("Choose other themes of this consultation to merge."))
    moved = consultation.submissions.filter(theme__in=others).update(theme=into)
    for result in Result.objects.filter(consultation=consultation, themes__in=others).distinct():
        result.themes.add(into)
    Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
    audit.record(
        "consultations.themes_merged",
        actor=acting_user,
        obj=into,
        detail={"merged": sorted(t.pk for t in others), "inputs": moved},
    )
    return into


@transaction.atomic
def respond_to_theme(
    *,
    acting_user: User,
    theme: Theme,
    response: str,
    reason: str,
    change_link: str = "",
    change_label: str = "",
) -> Theme:
    """Taken up, partly, or not: with the reason, and where the change can be seen."""
    _require_synthesis(acting_user, theme.consultation)
    if response not in ResponseKind.values:
        raise ValidationError(_("Say whether the theme was taken up, partly, or not."))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Give the reason for this response (at least %(n)d characters).")
            % {"n": MIN_REASON_LENGTH}
        )
    change_link = change_link.strip()
    if change_link:
        try:
            URLValidator(schemes=["https", "http"])(change_link)
        except ValidationError:
            raise ValidationError(_("The link to what changed is not a web address.")) from None
    elif response != ResponseKind.NOT_TAKEN_UP:
        raise ValidationError(_("Link to what changed (a programme, a result, a document)."))
    theme.response = response
    theme.reason = reason[:5000]
    theme.change_link = change_link
    theme.change_label = change_label.strip()[:200]
    theme.responded_on = timezone.localdate()
    theme.save()
    audit.record(
        "consultations.theme_answered", actor=acting_user, obj=theme, detail={"response": response}
    )
    return theme


@transaction.atomic
def add_result(
    *,
    acting_user: User,
    consultation: Consultation,
    title: str,
    parent: Result | None = None,
    weight: float = 1.0,
    progress: float = 0.0,
    status: str = ResultStatus.PLANNED,
    theme_ids: list[int] | None = None,
) -> Result:
    if not policy.can_manage(acting_user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if consultation.status == Status.DRAFT or consultation.status == Status.OPEN:
        raise WrongState(_("Results follow the consultation once it has closed."))
    if parent is not None and parent.consultation_id != consultation.pk:
        raise ValidationError(_("The parent result belongs to another consultation."))
    if not 0 < weight <= 100 or not 0 <= progress <= 100:
        raise ValidationError(_("The weight is above 0 and the progress between 0 and 100."))
    if status not in ResultStatus.values:
        raise ValidationError(_("Unknown status of a result."))
    themes = list(consultation.themes.filter(pk__in=theme_ids or []))
    if len(themes) != len(set(theme_ids or [])):
        raise ValidationError(_("Unknown theme in this consultation."))
    result = Result.objects.create(
        consultation=consultation,
        parent=parent,
        title=_title(title),
        weight=weight,
        progress=progress,
        status=status,
    )
    result.themes.set(themes)
    audit.record("consultations.result_added", actor=acting_user, obj=result)
    return result


@transaction.atomic
def add_milestone(
    *,
    acting_user: User,
    result: Result,
    title: str,
    on: date,
    description: str = "",
    consultation: Consultation | None = None,
) -> Milestone:
    """A dated step of a result. ``consultation``, when given, is the one the caller acts on: a
    result of another consultation is refused, not quietly written there."""
    if consultation is not None and result.consultation_id != consultation.pk:
        raise ValidationError(_("The result belongs to another consultation."))
    if not policy.can_manage(acting_user, result.consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if result.consultation.status in (Status.DRAFT, Status.OPEN):
        raise WrongState(_("Results follow the consultation once it has closed."))
    description = description.strip()
    if len(description) > MAX_MILESTONE_DESCRIPTION:
        raise ValidationError(
            _("A milestone's description has at most %(n)d characters.")
            % {"n": MAX_MILESTONE_DESCRIPTION}
        )
    milestone = Milestone.objects.create(
        result=result, title=_title(title), description=description, on=on
    )
    audit.record("consultations.milestone_added", actor=acting_user, obj=milestone)
    return milestone
