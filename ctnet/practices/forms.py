"""Forms of the practice pages: they check shapes; ``validation.clean_practice`` checks content."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctnet.core.markings import Handling
from ctnet.core.models import UNGroup
from ctnet.core.picker import OrganisationCodesField, PickerForm
from ctnet.practices.search import MAX_QUERY_CHARS
from ctnet.practices.validation import MAX_SUMMARY, MAX_TITLE, PRACTICE_TLP
from ctnet.practices.vocab import Language, theme_choices


class PracticeForm(PickerForm):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    summary = forms.CharField(label=_("Summary"), max_length=MAX_SUMMARY, widget=forms.Textarea)
    body = forms.CharField(label=_("Full description"), required=False, widget=forms.Textarea)
    language = forms.ChoiceField(label=_("Original language"), choices=Language.choices)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=theme_choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=UNGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    period_end = forms.DateField(label=_("Until (YYYY-MM-DD)"), required=False)
    outcomes = forms.CharField(
        label=_("Outcomes and evidence"), required=False, widget=forms.Textarea
    )
    contact_reference = forms.CharField(
        label=_("Who can tell more"), required=False, max_length=300
    )
    tlp = forms.ChoiceField(
        label=_("Marking"), choices=[(t.value, t.label) for t in PRACTICE_TLP], initial="GREEN"
    )
    recipients = OrganisationCodesField(label=_("Shared with (for TLP:AMBER)"), required=False)
    handling = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handling_note = forms.CharField(
        label=_("Handling note (the restriction, for H3)"), required=False, max_length=500
    )

    def practice_input(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MarkingForm(forms.Form):
    """Raise the marking (any reader) or lower it (the originating organisation)."""

    tlp = forms.ChoiceField(label=_("Marking"), choices=[(t.value, t.label) for t in PRACTICE_TLP])
    handling = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", "—"), *theme_choices()]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", "—"), *UNGroup.choices]
    )
    origin = forms.CharField(label=_("Origin (code)"), required=False, max_length=32)
    language = forms.ChoiceField(
        label=_("Original language"), required=False, choices=[("", "—"), *Language.choices]
    )


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    comment = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("How you applied it"), max_length=500)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
