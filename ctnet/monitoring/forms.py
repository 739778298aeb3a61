"""Forms of the reporting pages; the rules by measure are the services' (``validation``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctnet.core.forms import Sections
from ctnet.core.models import Organisation, OrgKind
from ctnet.core.picker import OrganisationField


class UpdateForm(Sections, forms.Form):
    """An update of one period: the fields the indicator's measure takes, one per combination
    of its dimensions, and the member state it was measured in, through core's picker (the
    states where the indicator is measured, or any state when it names none)."""

    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    numerator = forms.CharField(label=_("Numerator"), required=False, max_length=40)
    denominator = forms.CharField(label=_("Denominator"), required=False, max_length=40)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    country = OrganisationField(label=_("Country"), scope="states", required=False)

    def __init__(self, *args: Any, indicator: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = Organisation.objects.filter(is_active=True, kind=OrgKind.MEMBER_STATE)
        measured = getattr(indicator, "countries", None) or []
        country = self.fields["country"]
        assert isinstance(country, OrganisationField)
        country.bind(user, states.filter(code__in=measured) if measured else states)
        self.dims: list[tuple[str, dict[str, str]]] = []
        dimensions = getattr(indicator, "dimensions", {}) or {}
        measure = getattr(indicator, "measure", "")
        if measure == "5":
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
        elif measure == "2":
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
        if measure != "5":
            for i, combo in enumerate(_combinations(dimensions)):
                key = f"dim_{i}"
                label = ", ".join(f"{k}: {v}" for k, v in combo.items())
                self.fields[key] = forms.CharField(label=label, required=False, max_length=40)
                self.dims.append((key, combo))
        figures = ("value", "numerator", "denominator")
        self.sections = (
            (_("The figure"), figures),
            (_("By disaggregation"), tuple(key for key, _combo in self.dims)),
            (_("Narrative and place"), ("narrative", "country")),
        )

    def service_data(self) -> dict[str, object]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("dim_")}
        # The services take the state's ISO code and check it again against the indicator.
        data["country"] = data["country"].code if data.get("country") else ""
        data["disaggregations"] = [
            {"dims": combo, "value": self.cleaned_data[key]}
            for key, combo in self.dims
            if self.cleaned_data.get(key)
        ]
        return data


def _combinations(dimensions: dict[str, list[str]]) -> list[dict[str, str]]:
    combos: list[dict[str, str]] = [{}]
    for name, values in dimensions.items():
        combos = [{**c, name: v} for c in combos for v in values]
    return [c for c in combos if c]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    url = forms.URLField(label=_("Link"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("IATI activity file (XML)"))
