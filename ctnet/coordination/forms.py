"""Page forms of coordination. They parse; the services check and write (the API's rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctnet.coordination.models import (
    SELF_STATUSES,
    ItemStatus,
    PlanFocus,
    Status,
    Urgency,
    Visibility,
    WorkingGroup,
)
from ctnet.coordination.policy import policy
from ctnet.coordination.references import PILLARS, REFERENCES
from ctnet.coordination.validation import SUPPORTING_KINDS
from ctnet.core.forms import Sections
from ctnet.core.models import UNGroup
from ctnet.core.picker import (
    OrganisationField,
    OrganisationsField,
    PickerForm,
    scope_queryset,
)
from ctnet.core.topics import TOPICS


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


# --- The Compact's working groups -------------------------------------------------------------


class GroupForm(Sections, PickerForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    mandate = forms.CharField(
        label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = OrganisationsField(label=_("Member entities"), scope="entities", groups=False)
    chairs = OrganisationsField(
        label=_("Chairs (members of the group)"), scope="entities", groups=False
    )
    sections = (
        (_("The group"), ("name", "mandate")),
        (_("Members and chairs"), ("members", "chairs")),
    )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "mandate": data.get("mandate") or "",
            "members": [o.code for o in data["members"]],
            "chairs": [o.code for o in data["chairs"]],
        }


class _MemberChoice(forms.Form):
    """A form naming one member entity of a group (the picker offers the members only; the
    service checks membership again)."""

    member_field = ""

    def __init__(self, *args: Any, group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.member_field]
        assert isinstance(field, OrganisationField)
        field.queryset = group.members.all()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data[self.member_field] = data[self.member_field].code
        return data


class WorkItemForm(_MemberChoice):
    member_field = "owner"
    title = forms.CharField(label=_("Item of the programme"), max_length=300)
    owner = OrganisationField(label=_("Owner"), scope="entities")
    due_date = forms.DateField(label=_("Due"), widget=_date())


class FollowUpForm(_MemberChoice):
    member_field = "responsible"
    title = forms.CharField(label=_("Follow-up action"), max_length=300)
    responsible = OrganisationField(label=_("Responsible entity"), scope="entities")
    due_date = forms.DateField(label=_("Due"), widget=_date())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=_date())
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions (one a line; follow-ups are added to each decision afterwards)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        lines = [line.strip() for line in (data.get("decisions") or "").splitlines()]
        return {
            "held_on": data["held_on"],
            "agenda": data["agenda"],
            "minutes": data.get("minutes") or "",
            "decisions": [{"text": line, "follow_ups": []} for line in lines if line],
        }


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)


# --- Technical assistance ----------------------------------------------------------------------


def _languages() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Languages the assistance can be given in"),
        choices=[(code.split("-")[0], name) for code, name in settings.LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
    )


def _topic() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Topic"), choices=list(TOPICS.items()))


class NeedForm(forms.Form):
    title = forms.CharField(label=_("What your state needs"), max_length=300)
    topic = _topic()
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    languages = _languages()
    existing = forms.CharField(
        label=_("What exists already"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfferForm(forms.Form):
    title = forms.CharField(label=_("What your organisation offers"), max_length=300)
    topic = _topic()
    regions = forms.MultipleChoiceField(
        label=_("Regions served (none: every region)"),
        choices=UNGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = _languages()
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseNeedForm(forms.Form):
    report = forms.CharField(
        label=_("What the assistance achieved"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartProjectForm(forms.Form):
    iati_identifier = forms.CharField(
        label=_("IATI identifier of the project"),
        max_length=150,
        help_text=_("Your organisation's IATI prefix, then the project's own code."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = forms.DateField(label=_("Start"), widget=_date())
    end_date = forms.DateField(label=_("End"), widget=_date())


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, Word/OpenDocument, PNG, JPEG; 10 MB)"))


class AssessmentRequestForm(PickerForm):
    """One form per plan page (not per commitment: the picker's plain select lists every
    organisation, and a plan has up to fifty commitments)."""

    commitment = forms.TypedChoiceField(label=_("Commitment"), coerce=int)
    # Any organisation that may read the plan: states, entities, civil society (the service
    # refuses an implementer, and one the plan is not shared with).
    assessor = OrganisationField(label=_("Organisation asked to assess"), scope="any")

    def __init__(self, *args: Any, user: Any, commitments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        commitment = self.fields["commitment"]
        assert isinstance(commitment, forms.TypedChoiceField)
        commitment.choices = [(c["id"], c["title"]) for c in commitments]
        assessor = self.fields["assessor"]
        assert isinstance(assessor, OrganisationField)
        assessor.bind(user)
