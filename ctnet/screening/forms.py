"""Forms of the screening pages; the services validate again, these give field-level messages.

Nothing here keeps what it reads: a traveller typed into the single check lives in the request
only, like an uploaded passenger list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ctnet.core.access import organisations_by_code
from ctnet.core.markings import TLP, Handling
from ctnet.core.models import Organisation
from ctnet.core.picker import OrganisationCodesField, PickerForm
from ctnet.screening.engine.csvio import parse_dob, parse_nationality
from ctnet.screening.engine.model import Traveller
from ctnet.screening.models import (
    EntryLegalStatus,
    EntryStatus,
    HitStatus,
    ListSource,
    Outcome,
    Purpose,
)

_CHOOSE = ("", "—")


def _handling_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _purpose_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Why are they screened?"), choices=[_CHOOSE, *Purpose.choices])


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Passenger list (CSV id,name,dob,nationality,document or UN/EDIFACT PAXLST)")
    )
    purpose = _purpose_field()


class CheckForm(forms.Form):
    """One traveller, typed in."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=300)
    dob = forms.CharField(
        label=_("Date of birth (YYYY-MM-DD or YYYY)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1980-05-01", "dir": "ltr"}),
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO 3166 alpha-3, e.g. FRA)"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 4}),
    )
    document = forms.CharField(label=_("Travel document number"), max_length=64, required=False)
    purpose = _purpose_field()

    def clean_dob(self) -> Any:
        try:
            return parse_dob(self.cleaned_data["dob"])
        except ValueError:
            raise forms.ValidationError(
                _("Write the date of birth as YYYY-MM-DD, or the year alone (YYYY).")
            ) from None

    def clean_nationality(self) -> str | None:
        try:
            return parse_nationality(self.cleaned_data["nationality"])
        except ValueError:
            raise forms.ValidationError(
                _("Use a three-letter ISO 3166 country code, such as FRA or KEN.")
            ) from None

    def traveller(self) -> Traveller:
        data = self.cleaned_data
        return Traveller(
            traveller_id="1",
            name=data["name"].strip(),
            dob=data["dob"],
            nationality=data["nationality"],
            document=data["document"].strip() or None,
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[_CHOOSE, *Outcome.choices])
    reason = forms.CharField(
        label=_("Reason (what you checked, and what it showed)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notify_owner = forms.BooleanField(
        label=_("Notify the list owner (confirmed only, after the second review)"), required=False
    )
    disseminate = forms.BooleanField(
        label=_("Send the traveller's details with the notice (confirmed only)"), required=False
    )


class SecondReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Your review of the proposed confirmation"),
        choices=[
            _CHOOSE,
            ("1", _("Approve the confirmation")),
            ("0", _("Send it back for review")),
        ],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HitFilterForm(forms.Form):
    # "" is the working queue: what still needs a person.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("To review (open and awaiting a second review)")),
            *HitStatus.choices,
            ("all", _("All")),
        ],
        required=False,
    )


class EntryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or reference"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *EntryStatus.choices],
        required=False,
    )


class WatchlistForm(PickerForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=ListSource.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tlp = forms.ChoiceField(
        label=_("Who may screen against it (TLP)"),
        choices=[c for c in TLP.choices if c[0] != TLP.RED],
        initial=TLP.AMBER,
    )
    recipients = OrganisationCodesField(
        label=_("Recipient organisations for AMBER"), required=False
    )
    entries_visible = forms.BooleanField(
        label=_("Screeners see the entries' details (otherwise a reference to ask you about)"),
        required=False,
        initial=True,
    )
    default_legal_status = forms.ChoiceField(
        label=_("Legal status of imported entries"),
        choices=EntryLegalStatus.choices,
        initial=EntryLegalStatus.SUSPECT,
    )
    hit_retention_days = forms.IntegerField(
        label=_("Keep a confirmed hit for (days)"), min_value=1, max_value=3650, initial=730
    )
    review_days = forms.IntegerField(
        label=_("Review entries not re-imported within (days)"),
        min_value=1,
        max_value=3650,
        initial=365,
    )
    handling = _handling_field()
    handling_note = forms.CharField(
        label=_("Handling note (the restriction, for H3)"), max_length=500, required=False
    )

    def clean_recipients(self) -> list[Organisation]:
        return organisations_by_code(self.cleaned_data["recipients"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if Handling.H3 in data.get("handling", ()) and not data.get("handling_note", "").strip():
            self.add_error(
                "handling_note", _("Handling code H3 needs the restriction stated in the note.")
            )
        return data


class MarkingForm(forms.Form):
    """Raise the marking (anyone who screens against the list) or lower it (the owner)."""

    tlp = forms.ChoiceField(label=_("Marking"), choices=TLP.choices)
    handling = _handling_field()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_(
            "A whole edition of the list (UN Security Council XML, or CSV "
            "id,name,aliases,dob,nationality)"
        )
    )


class EntryReviewForm(forms.Form):
    # Empty: the list's own review period from today (the service checks the bounds).
    review_date = forms.DateField(
        label=_("Next review date (empty: the list's review period from today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
