"""Forms of the hash pages; the services validate again, these give field-level messages.

Nothing here keeps what it reads: an uploaded file is hashed in the request and dropped.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ctnet.core.access import organisations_by_code
from ctnet.core.markings import TLP, Handling
from ctnet.core.models import Organisation
from ctnet.core.picker import OrganisationCodesField, PickerForm
from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.signals import VpdqSignal, get_signal_type
from ctnet.hashes.models import ContentCategory, CrisisEnd

_BANK_TLP = [c for c in TLP.choices if c[0] != TLP.RED]
_HASH_TYPES = [("pdq", "PDQ"), ("vpdq", "vPDQ"), ("sha256", "SHA-256"), ("md5", "MD5")]


def _name_field() -> forms.CharField:
    return forms.CharField(label=_("Name"), max_length=200)


def _tlp_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who may see the bank (TLP)"), choices=_BANK_TLP, initial=TLP.AMBER
    )


def _recipients_field() -> OrganisationCodesField:
    return OrganisationCodesField(
        label=_("Recipient organisations for AMBER, and platforms"), required=False
    )


def _handling_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _handling_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Handling note (the restriction, for H3)"), max_length=500, required=False
    )


def _legal_basis_field(required: bool = False) -> forms.CharField:
    return forms.CharField(label=_("Legal basis"), max_length=500, required=required)


class RecipientsMixin:
    cleaned_data: dict[str, Any]

    def clean_recipients(self) -> list[Organisation]:
        return organisations_by_code(self.cleaned_data["recipients"])


class BankForm(RecipientsMixin, PickerForm):
    name = _name_field()
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tlp = _tlp_field()
    recipients = _recipients_field()
    requires_confirmation = forms.BooleanField(
        label=_("A second organisation confirms each signal before it is shared"),
        required=False,
        initial=True,
    )
    legal_basis = _legal_basis_field()
    handling = _handling_field()
    handling_note = _handling_note_field()


class MarkingForm(forms.Form):
    """Raise the marking (any reader) or lower it (the owning organisation)."""

    tlp = _tlp_field()
    handling = _handling_field()


class CrisisForm(RecipientsMixin, PickerForm):
    name = _name_field()
    incident = forms.CharField(label=_("Incident"), max_length=300)
    hours = forms.IntegerField(label=_("Time box (hours)"), initial=24)
    end = forms.ChoiceField(
        label=_("When the time box ends"), choices=CrisisEnd.choices, initial=CrisisEnd.REVIEW
    )
    tlp = _tlp_field()
    recipients = _recipients_field()
    legal_basis = _legal_basis_field()
    handling = _handling_field()
    handling_note = _handling_note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update(min=1, max=self.max_hours)

    @property
    def max_hours(self) -> int:
        return int(settings.HASHES_CRISIS_MAX_HOURS)

    def clean_hours(self) -> int:
        hours = self.cleaned_data["hours"]
        limit = self.max_hours
        if not 1 <= hours <= limit:
            raise ValidationError(
                _("The time box must be between 1 and %(max)d hours.") % {"max": limit}
            )
        return hours


class CloseCrisisForm(forms.Form):
    end = forms.ChoiceField(
        label=_("End the crisis with"), choices=CrisisEnd.choices, initial=CrisisEnd.REVIEW
    )


class ContributeForm(forms.Form):
    """Either a file (hashed here, never kept) or a pasted hash, with the labels."""

    file = forms.FileField(label=_("Image, video or file (hashed, not kept)"), required=False)
    signal_type = forms.ChoiceField(
        label=_("Or paste a hash: its type"), choices=_HASH_TYPES, initial="pdq", required=False
    )
    value = forms.CharField(
        label=_("Hash (hexadecimal; vPDQ: its JSON list of frames)"),
        max_length=VpdqSignal.max_length,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    category = forms.ChoiceField(label=_("What the content shows"), choices=ContentCategory.choices)
    entity = forms.CharField(
        label=_("UN-listed entity or group (name or code such as QDe.004)"),
        max_length=200,
        required=False,
    )
    behaviour = forms.CharField(label=_("Behaviour shown"), max_length=300, required=False)
    incident = forms.CharField(label=_("Incident"), max_length=300, required=False)
    legal_basis = _legal_basis_field(required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, value = data.get("file"), (data.get("value") or "").strip()
        if upload and value:
            raise ValidationError(_("Upload a file or paste a hash, not both."))
        if not upload and not value and "file" not in self.errors:
            raise ValidationError(_("Upload a file or paste a hash."))
        if value and not data.get("signal_type"):
            self.add_error("signal_type", self.fields["signal_type"].error_messages["required"])
        elif value:
            kind = get_signal_type(data["signal_type"])
            try:
                data["value"] = kind.validate(value)
            except HashEngineError as exc:
                if kind is VpdqSignal:
                    self.add_error(
                        "value", _("This is not a vPDQ hash: %(error)s") % {"error": exc}
                    )
                    return data
                message = _("A hash of type %(type)s has %(n)d hexadecimal characters (0-9, a-f).")
                names = dict(_HASH_TYPES)
                self.add_error("value", message % {"type": names[kind.name], "n": kind.hex_length})
        return data


class FalsePositiveForm(forms.Form):
    reason = forms.CharField(
        label=_("What the matched content really was"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the signal is removed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    """A file exported by the threatexchange command line or HMA, with the labels of every hash."""

    file = forms.FileField(label=_("Export file (threatexchange dataset, CSV, or HMA JSON lines)"))
    category = forms.ChoiceField(label=_("What the content shows"), choices=ContentCategory.choices)
    entity = forms.CharField(
        label=_("UN-listed entity or group (name or code such as QDe.004)"),
        max_length=200,
        required=False,
    )
    legal_basis = _legal_basis_field(required=True)
