"""The unit's forms: a consultation and its question set, themes and their responses, and the
moderator's decision. They check the shape of what is posted; the services check the rules
(an anonymous consultation with a unique field, the window, the reason's length)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ctnet.consultations.models import (
    Audience,
    Consultation,
    Mode,
    Moderation,
    QuestionKind,
    ResponseKind,
    ResultStatus,
    SubjectKind,
)
from ctnet.consultations.services.configuring import LANGUAGES, MAX_QUESTIONS
from ctnet.core.capabilities import subject_kinds
from ctnet.core.forms import Sections
from ctnet.core.models import Organisation, OrgKind, UNGroup
from ctnet.core.picker import OrganisationsField

# Blank question rows offered under the question set (a draft may be edited again for more).
BLANK_QUESTIONS = 3


def _language_choices() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code in LANGUAGES]


class ConsultationForm(Sections, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    subject_kind = forms.ChoiceField(label=_("Consulted on"), choices=SubjectKind.choices)
    # "kind:id" of a plan, programme or guideline the platform holds and this person may see.
    subject_ref = forms.ChoiceField(
        label=_("The text, where the platform holds it (optional)"),
        help_text=_("This consultation's page links to it, and its page to the consultation."),
        required=False,
    )
    subject = forms.CharField(
        label=_("Text consulted on"),
        help_text=_("Left blank, the title of the text chosen above."),
        max_length=300,
        required=False,
    )
    subject_link = forms.URLField(
        label=_("Link to the text (optional)"), required=False, assume_scheme="https"
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    region = forms.ChoiceField(
        label=_("Region (when the audience is a region)"),
        choices=[("", "—"), *UNGroup.choices],
        required=False,
    )
    named_orgs = OrganisationsField(
        label=_("Named organisations (when the audience names them)"),
        scope="any",
        groups=False,
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("How people take part"), choices=Mode.choices, widget=forms.RadioSelect
    )
    at_risk = forms.BooleanField(
        label=_("At-risk mode (receipt codes, images without metadata, mails that name nothing)"),
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=_language_choices, widget=forms.CheckboxSelectMultiple
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    sections = (
        (
            _("The consultation"),
            ("title", "description", "subject_kind", "subject_ref", "subject", "subject_link"),
        ),
        (
            _("Audience and participation"),
            ("audience", "region", "named_orgs", "mode", "at_risk", "languages", "closes_at"),
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = self.fields["named_orgs"]
        assert isinstance(named, OrganisationsField)
        named.bind(
            user,
            Organisation.objects.filter(is_active=True, kind=OrgKind.CIVIL_SOCIETY).order_by(
                "code"
            ),
        )
        ref = self.fields["subject_ref"]
        assert isinstance(ref, forms.ChoiceField)
        groups = [(k, k.candidates(user)) for k in subject_kinds().values()]
        ref.choices = [
            ("", "—"),
            *[
                (k.label, [(f"{k.kind}:{t.id}", t.label) for t in found])
                for k, found in groups
                if found
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, _sep, _id = str(data.get("subject_ref") or "").partition(":")
        if kind and kind != data.get("subject_kind"):
            self.add_error(
                "subject_ref",
                _("This text is of the kind “%(kind)s”: choose that kind above, or another text.")
                % {"kind": SubjectKind(kind).label},
            )
        return data

    @staticmethod
    def initial_for(c: Consultation) -> dict[str, Any]:
        return {
            "title": c.title,
            "description": c.description,
            "subject_kind": c.subject_kind,
            "subject": c.subject,
            "subject_ref": f"{c.subject_kind}:{c.subject_ref}" if c.subject_ref else "",
            "subject_link": c.subject_link,
            "audience": c.audience,
            "region": c.region,
            "named_orgs": list(c.named_orgs.values_list("pk", flat=True)),
            "mode": c.mode,
            "at_risk": c.at_risk,
            "languages": c.languages,
            "closes_at": c.closes_at,
        }

    def service_data(self) -> dict[str, Any]:
        """What ``configuring`` takes: the organisations by their codes."""
        data = dict(self.cleaned_data)
        data["named_orgs"] = [o.code for o in data.get("named_orgs") or []]
        _kind, _sep, ref = str(data.get("subject_ref") or "").partition(":")
        data["subject_ref"] = int(ref) if ref else None
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500, required=False)
    choices = forms.CharField(
        label=_("Choices (one a line; for a choice question)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    unique_answer = forms.BooleanField(
        label=_("Each sender's answer must be unique (identifies the sender)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every row is checked and read, even one left as it was shown (a draft's question kept
        # unchanged); a row without text is the blank one.
        self.empty_permitted = False

    def question(self) -> dict[str, Any] | None:
        """The question for the service, or None for a row left blank."""
        data = self.cleaned_data
        if not data or not (data.get("text") or "").strip():
            return None
        return {
            "kind": data["kind"],
            "text": data["text"],
            "choices": [line.strip() for line in data["choices"].splitlines() if line.strip()],
            "required": data["required"],
            "unique_answer": data["unique_answer"],
        }


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=0, max_num=MAX_QUESTIONS + BLANK_QUESTIONS, validate_max=True
)


def question_formset(data: Any = None, c: Consultation | None = None) -> Any:
    initial = []
    if c is not None:
        initial = [
            {
                "kind": q.kind,
                "text": q.text,
                "choices": "\n".join(q.choices),
                "required": q.required,
                "unique_answer": q.unique_answer,
            }
            for q in c.questions.all()
        ]
    initial += [{"kind": QuestionKind.TEXT}] * BLANK_QUESTIONS
    return QuestionFormSet(data, initial=initial, prefix="q")


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Title of the theme"), max_length=200)


class MergeForm(forms.Form):
    themes = forms.TypedMultipleChoiceField(label=_("Themes to merge"), coerce=int, choices=[])

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(t.pk, t.title) for t in consultation.themes.all()]
        self.fields["themes"].choices = choices  # type: ignore[attr-defined]


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Response"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    change_link = forms.CharField(label=_("Link to what changed"), max_length=500, required=False)
    change_label = forms.CharField(
        label=_("What changed (a programme, a result, a document)"),
        max_length=200,
        required=False,
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Moderation.choices)


class ResultForm(forms.Form):
    """A result of the consultation (Decidim's accountability tree): its parent among this
    consultation's results, so another consultation's result is not a choice."""

    title = forms.CharField(label=_("Title of the result"), max_length=200)
    parent = forms.TypedChoiceField(
        label=_("Part of the result"), coerce=int, choices=[], required=False, empty_value=None
    )
    weight = forms.FloatField(label=_("Weight in its parent"), initial=1, min_value=0.01)
    status = forms.ChoiceField(label=_("Status"), choices=ResultStatus.choices)
    progress = forms.FloatField(
        label=_("Progress (%), of a result without parts"),
        initial=0,
        min_value=0,
        max_value=100,
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes it answers"), coerce=int, choices=[], required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "result")
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        parents = [(r.pk, r.title) for r in consultation.results.all()]
        self.fields["parent"].choices = [("", _("None (a result of its own)")), *parents]  # type: ignore[attr-defined]
        themes = [(t.pk, t.title) for t in consultation.themes.all()]
        self.fields["themes"].choices = themes  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["theme_ids"] = data.pop("themes")
        parent = data.pop("parent")
        data["parent"] = None if parent is None else self.consultation.results.get(pk=parent)
        return data


class MilestoneForm(forms.Form):
    result = forms.TypedChoiceField(label=_("Result"), coerce=int, choices=[])
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("What happens then"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)
        results = [(r.pk, r.title) for r in consultation.results.all()]
        self.fields["result"].choices = results  # type: ignore[attr-defined]
