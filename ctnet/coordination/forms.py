"""Page forms of coordination. They parse; the services check and write (the API's rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctnet.coordination.models import SELF_STATUSES, PlanFocus, Status, Visibility
from ctnet.coordination.policy import policy
from ctnet.coordination.references import PILLARS, REFERENCES
from ctnet.coordination.validation import SUPPORTING_KINDS
from ctnet.core.forms import Sections
from ctnet.core.picker import OrganisationsField, PickerForm, scope_queryset


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class PlanForm(Sections, PickerForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    focus = forms.ChoiceField(label=_("Focus"), choices=PlanFocus.choices)
    pillars = forms.MultipleChoiceField(
        label=_("Pillars of the Global Counter-Terrorism Strategy covered"),
        choices=list(PILLARS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("Period from"), widget=_date())
    period_end = forms.DateField(label=_("Period to"), widget=_date())
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices)
    # Any organisation may be named (marked material reaches civil society too); the service
    # checks the visibility and the markings again.
    shared_with = OrganisationsField(label=_("Shared with"), scope="any", required=False)
    sections = (
        (_("The plan"), ("title", "summary", "focus", "pillars")),
        (_("Period"), ("period_start", "period_end")),
        (_("Who may read it"), ("visibility", "shared_with")),
    )

    def shared_organisations(self) -> list[Any]:
        return list(self.cleaned_data.get("shared_with") or [])


def reference_choices() -> list[tuple[str, str]]:
    choices = []
    for ref in REFERENCES.values():
        choices.append((ref.code, str(ref.title)))
        choices += [
            (f"{ref.code}:{p}", f"{ref.title}, {label}") for p, label in ref.paragraphs.items()
        ]
    return choices


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Commitment"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), choices=[("", "—"), *PILLARS.items()], required=False
    )
    references = forms.MultipleChoiceField(
        label=_("Resolutions and paragraphs it implements"),
        choices=reference_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    free_references = forms.CharField(
        label=_("Other references (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        refs = []
        for value in data.get("references") or []:
            code, _sep, paragraph = value.partition(":")
            refs.append({"code": code, "paragraph": paragraph})
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "pillar": data.get("pillar") or "",
            "references": refs,
            "free_references": (data.get("free_references") or "").splitlines(),
        }


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=_date())
    responsible = OrganisationsField(
        label=_("Responsible organisations"), scope="directory", groups=False, required=False
    )
    responsible_office = forms.CharField(
        label=_("Responsible office"), required=False, max_length=200
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The owner itself or an organisation that supports it (the rule of
        # ``validation.responsible_organisations``, which the service applies again).
        membership = policy.membership(user)
        own = membership.organisation_id if membership is not None else None
        responsible = self.fields["responsible"]
        assert isinstance(responsible, OrganisationsField)
        responsible.bind(
            user,
            scope_queryset("directory", user).filter(
                Q(kind__in=sorted(SUPPORTING_KINDS)) | Q(pk=own)
            ),
        )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["responsible"] = [o.code for o in data.get("responsible") or []]
        return data


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in SELF_STATUSES]
    )
    progress = forms.IntegerField(label=_("Progress (per cent)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(
        label=_("Evidence (a link)"), required=False, assume_scheme="https"
    )


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Assessed status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(
        label=_("Evidence (a link)"), required=False, assume_scheme="https"
    )
