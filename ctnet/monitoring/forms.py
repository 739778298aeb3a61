"""Forms of the monitoring pages. They parse and shape; the rules (by measure, dates, caps,
who may) are the services' (``validation``, ``services/``), which check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctnet.core.access import organisations_by_code
from ctnet.core.forms import Sections
from ctnet.core.markings import Handling
from ctnet.core.models import Organisation, OrgKind
from ctnet.core.picker import (
    OrganisationCodesField,
    OrganisationField,
    OrganisationsField,
    PickerForm,
)

from .models import Measure, PartnerRole, ProjectStatus, Result, ResultType
from .services.projects import PROJECT_TLP
from .themes import THEMES


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


# --- Projects and their results framework ------------------------------------------------------


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def plain(value: Any) -> str:
    """A stored decimal as a person types it: ``10`` for ``10.0000``."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _names(text: str) -> list[str]:
    """Names typed one a line, each once."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def _theme_choices() -> list[tuple[str, Any]]:
    return list(THEMES.items())


class ProjectForm(Sections, PickerForm):
    """A project: created with its marking and partners, changed later without the fields
    that are fixed once it exists (identifier, currency; the marking has its own rule)."""

    iati_identifier = forms.CharField(
        label=_("IATI identifier"),
        max_length=150,
        help_text=_("The reporting organisation's prefix and the project's own code."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.IMPLEMENTATION
    )
    start_date = forms.DateField(label=_("Start"), widget=_date())
    end_date = forms.DateField(label=_("End"), widget=_date())
    countries = OrganisationCodesField(
        label=_("Countries where the project works"), scope="states", required=False
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=_theme_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    currency = forms.CharField(label=_("Currency (ISO 4217)"), min_length=3, max_length=3)
    donors = OrganisationsField(
        label=_("Donors in the network"), scope="any", groups=False, required=False
    )
    other_donors = forms.CharField(
        label=_("Other donors (one a line)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    implementers = OrganisationsField(
        label=_("Implementing partners in the network (their people report)"),
        scope="directory",
        groups=False,
        required=False,
    )
    other_implementers = forms.CharField(
        label=_("Other implementing partners (one a line)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tlp = forms.ChoiceField(
        label=_("Marking"), choices=[(t.value, t.label) for t in PROJECT_TLP], initial="AMBER"
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
    CREATE_ONLY = ("iati_identifier", "currency", "tlp", "recipients", "handling", "handling_note")
    sections = (
        (_("The project"), ("iati_identifier", "title", "description", "status")),
        (_("Dates and places"), ("start_date", "end_date", "countries", "themes")),
        (
            _("Money and partners"),
            ("currency", "donors", "other_donors", "implementers", "other_implementers"),
        ),
        (_("Marking"), ("tlp", "recipients", "handling", "handling_note")),
    )

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        if project is not None:
            kwargs.setdefault("initial", self.initial_of(project))
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = "USD"
        if project is not None:
            for name in self.CREATE_ONLY:
                del self.fields[name]

    @staticmethod
    def initial_of(project: Any) -> dict[str, Any]:
        partners = list(project.partners.select_related("organisation"))

        def of(role: str) -> tuple[list[Any], str]:
            rows = [p for p in partners if p.role == role]
            orgs = [p.organisation for p in rows if p.organisation is not None]
            names = "\n".join(p.name for p in rows if p.organisation is None)
            return orgs, names

        donors, other_donors = of(PartnerRole.FUNDING)
        implementers, other_implementers = of(PartnerRole.IMPLEMENTING)
        return {
            "title": project.title,
            "description": project.description,
            "status": project.status,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "countries": list(project.countries),
            "themes": list(project.themes),
            "donors": donors,
            "other_donors": other_donors,
            "implementers": implementers,
            "other_implementers": other_implementers,
        }

    def _partners(self, orgs: str, names: str) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows = [{"organisation": o, "name": o.name} for o in data.get(orgs) or []]
        return rows + [{"organisation": None, "name": n} for n in _names(data.get(names, ""))]

    def changes(self) -> dict[str, Any]:
        """What ``update_project`` takes: the fields and the partners by role."""
        data = self.cleaned_data
        fields = ("title", "description", "status", "start_date", "end_date", "countries")
        changes: dict[str, Any] = {name: data[name] for name in fields}
        changes["themes"] = list(data.get("themes") or [])
        changes["donors"] = self._partners("donors", "other_donors")
        changes["implementers"] = self._partners("implementers", "other_implementers")
        return changes

    def create_data(self) -> dict[str, Any]:
        """What ``create_project`` takes."""
        data = self.cleaned_data
        changes = self.changes()
        partners = [
            *({**p, "role": PartnerRole.FUNDING} for p in changes.pop("donors")),
            *({**p, "role": PartnerRole.IMPLEMENTING} for p in changes.pop("implementers")),
        ]
        return {
            **changes,
            "iati_identifier": data["iati_identifier"],
            "currency": data["currency"],
            "tlp": data["tlp"],
            "handling": list(data.get("handling") or []),
            "handling_note": data.get("handling_note") or "",
            "partners": partners,
            "recipients": data.get("recipients") or [],
        }

    def clean_recipients(self) -> list[Organisation]:
        return organisations_by_code(self.cleaned_data.get("recipients") or [])


class ParentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.title} — {obj.title}"


class ResultForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=ResultType.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = ParentField(
        label=_("Rolls up into (a programme's result of your entity)"),
        queryset=Result.objects.none(),
        required=False,
    )
    aggregation_status = forms.BooleanField(
        label=_("Its figures may be added up with others"), required=False, initial=True
    )

    def __init__(self, *args: Any, project: Any, result: Any = None, **kwargs: Any) -> None:
        if result is not None:
            kwargs.setdefault(
                "initial",
                {
                    "type": result.type,
                    "title": result.title,
                    "description": result.description,
                    "parent": result.parent_id,
                    "aggregation_status": result.aggregation_status,
                },
            )
        super().__init__(*args, **kwargs)
        parents = Result.objects.filter(project__originator_id=project.originator_id)
        if result is not None:
            parents = parents.exclude(pk=result.pk)
        parent = self.fields["parent"]
        assert isinstance(parent, ParentField)
        parent.queryset = parents.select_related("project").order_by("project__title", "position")


def dimension_lines(dimensions: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {', '.join(values)}" for name, values in dimensions.items())


class IndicatorForm(Sections, PickerForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    ascending = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1950, max_value=2100
    )
    baseline_value = forms.CharField(label=_("Baseline value"), required=False, max_length=40)
    baseline_comment = forms.CharField(label=_("Baseline comment"), required=False, max_length=1000)
    dimensions = forms.CharField(
        label=_("Disaggregation (one dimension a line, such as “sex: female, male”)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    countries = OrganisationCodesField(
        label=_("Countries where it is measured"), scope="states", required=False
    )
    sections = (
        (_("The indicator"), ("title", "description", "measure", "ascending")),
        (_("Baseline"), ("baseline_year", "baseline_value", "baseline_comment")),
        (_("Disaggregation and places"), ("dimensions", "countries")),
    )

    def __init__(self, *args: Any, indicator: Any = None, **kwargs: Any) -> None:
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": indicator.title,
                    "description": indicator.description,
                    "measure": indicator.measure,
                    "ascending": indicator.ascending,
                    "baseline_year": indicator.baseline_year,
                    "baseline_value": plain(indicator.baseline_value),
                    "baseline_comment": indicator.baseline_comment,
                    "dimensions": dimension_lines(indicator.dimensions),
                    "countries": list(indicator.countries),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_dimensions(self) -> dict[str, list[str]]:
        dimensions: dict[str, list[str]] = {}
        for line in (self.cleaned_data.get("dimensions") or "").splitlines():
            if not line.strip():
                continue
            name, colon, values = line.partition(":")
            if not colon or not name.strip():
                raise forms.ValidationError(
                    _(
                        "Write each dimension as its name, a colon and its values: "
                        "“sex: female, male”."
                    )
                )
            if name.strip() in dimensions:
                raise forms.ValidationError(
                    _("The dimension %(name)s is given twice.") % {"name": name.strip()}
                )
            dimensions[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
        return dimensions

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        data["baseline_comment"] = data.get("baseline_comment") or ""
        return data


class PeriodForm(forms.Form):
    """A period and its targets: overall, and one per combination of the indicator's
    dimensions (a qualitative indicator's target is its comment, never a value)."""

    start = forms.DateField(label=_("Start"), widget=_date())
    end = forms.DateField(label=_("End"), widget=_date())
    target_value = forms.CharField(label=_("Target"), required=False, max_length=40)
    target_comment = forms.CharField(
        label=_("Target comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, indicator: Any, period: Any = None, **kwargs: Any) -> None:
        combos = (
            [] if indicator.measure == Measure.QUALITATIVE else _combinations(indicator.dimensions)
        )
        if period is not None:
            by_dims = {
                tuple(sorted(row["dims"].items())): row["value"] for row in period.target_dimensions
            }
            initial = {
                "start": period.start,
                "end": period.end,
                "target_value": plain(period.target_value),
                "target_comment": period.target_comment,
            }
            for i, combo in enumerate(combos):
                initial[f"dim_{i}"] = by_dims.get(tuple(sorted(combo.items())), "")
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if indicator.measure == Measure.QUALITATIVE:
            del self.fields["target_value"]
        self.dims: list[tuple[str, dict[str, str]]] = []
        for i, combo in enumerate(combos):
            key = f"dim_{i}"
            label = ", ".join(f"{k}: {v}" for k, v in combo.items())
            self.fields[key] = forms.CharField(
                label=_("Target for %(combination)s") % {"combination": label},
                required=False,
                max_length=40,
            )
            self.dims.append((key, combo))

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("dim_")}
        data.setdefault("target_value", None)
        data["target_comment"] = data.get("target_comment") or ""
        data["target_dimensions"] = [
            {"dims": combo, "value": self.cleaned_data[key]}
            for key, combo in self.dims
            if self.cleaned_data.get(key)
        ]
        return data


# --- Money, documents and marking of a project -------------------------------------------------


class BudgetForm(forms.Form):
    # The amount as typed: the service reads it as a decimal and says what is wrong with it.
    period_start = forms.DateField(label=_("Start"), widget=_date())
    period_end = forms.DateField(label=_("End"), widget=_date())
    value = forms.CharField(label=_("Amount"), max_length=40)


class DisbursementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date())
    value = forms.CharField(label=_("Amount"), max_length=40)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title (empty: the file's name)"), required=False, max_length=300
    )
    file = forms.FileField(label=_("File"))


class ProjectMarkingForm(forms.Form):
    """Raise the marking (any reader) or lower it (the owning entity): core's one rule."""

    tlp = forms.ChoiceField(label=_("Marking"), choices=[(t.value, t.label) for t in PROJECT_TLP])
    handling = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handling_note = forms.CharField(
        label=_("Handling note (the restriction, for H3)"), required=False, max_length=500
    )
