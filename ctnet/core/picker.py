"""The organisation and country picker: one form field and widget for every form and filter
that chooses organisations, and the matching behind its type-ahead endpoint.

Without JavaScript the widget is a plain ``<select>`` (multiple where the field takes several)
that submits as any select does. With it, ``static/ctnet/picker.js`` hides the select and shows
a combobox: typing asks ``/organisations/pick/`` (htmx) for the matching options, rendered on
the server; arrows, Enter and Escape choose; chosen items are removable chips, kept in the
select so the form posts exactly what the plain select would.

Which organisations a field offers is a named *scope* (its queryset for the person); the
endpoint answers only the scope's organisations for the signed-in member, so a result the
person may not address never appears. A UN regional group or a capability's group (an
exchange sharing group) is one choice, ``group:<key>``, which the field expands on the server
to its members within the scope; the services validate the organisations again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import OrganisationGroup, organisation_groups
from ctnet.core.models import Organisation
from ctnet.core.orgnames import fold, match_organisations, rank_in
from ctnet.core.policy import policy
from ctnet.core.roles import COMMUNITY_KINDS, OrgKind, UNGroup

# The endpoint answers at most this many organisations and groups: enough to choose from while
# typing, small enough for a slow link; the fragment says when there are more.
RESULT_LIMIT = 12
GROUP_LIMIT = 4
GROUP_PREFIX = "group:"


@dataclass(frozen=True)
class Scope:
    """Which organisations a field offers: their kinds (None: every kind), the person's own
    organisation left out or not."""

    kinds: frozenset[str] | None
    exclude_own: bool


SCOPES: dict[str, Scope] = {
    # Addressees of requests, bulletins and releases: the network community, not oneself.
    "community": Scope(COMMUNITY_KINDS, exclude_own=True),
    # Recipients of marked material (AMBER): any organisation, civil society and platforms too.
    "any": Scope(None, exclude_own=False),
    # The directory's filters: community organisations, one's own included.
    "directory": Scope(COMMUNITY_KINDS, exclude_own=False),
    # Countries only.
    "states": Scope(frozenset({OrgKind.MEMBER_STATE}), exclude_own=False),
    # The Compact's signatories: UN entities and the international organisations that joined.
    "entities": Scope(frozenset({OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL}), exclude_own=False),
}
VALUE_FIELDS = ("pk", "code")


def scope_queryset(scope: str, user: Any) -> QuerySet[Organisation]:
    """The organisations of ``scope`` that ``user`` may address (none for a non-member)."""
    rule = SCOPES[scope]
    membership = policy.membership(user)
    if membership is None or not policy.can_address_organisations(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True)
    if rule.kinds is not None:
        qs = qs.filter(kind__in=sorted(rule.kinds))
    if rule.exclude_own:
        qs = qs.exclude(pk=membership.organisation_id)
    return qs


@lru_cache(maxsize=16)
def _un_group_names(code: str) -> tuple[str, ...]:
    """A UN group's label in each of the six languages, folded, and its code."""
    label = UNGroup(code).label
    names = {fold(code)}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            names.add(fold(str(label)))
    return tuple(sorted(names))


def groups_within(user: Any, orgs: list[Organisation]) -> list[OrganisationGroup]:
    """The UN regional groups and the capabilities' groups, their members cut to ``orgs``;
    a group with no member left is not offered."""
    ids = {o.pk for o in orgs}
    groups = [
        OrganisationGroup(
            f"un:{code}", str(label), frozenset(o.pk for o in orgs if o.un_group == code)
        )
        for code, label in UNGroup.choices
    ]
    groups += organisation_groups(user)
    cut = [OrganisationGroup(g.key, g.label, g.member_ids & ids) for g in groups]
    return [g for g in cut if g.member_ids]


def _group_names(group: OrganisationGroup) -> tuple[str, ...]:
    if group.key.startswith("un:"):
        return _un_group_names(group.key.removeprefix("un:"))
    return (fold(group.label),)


def match_groups(groups: list[OrganisationGroup], query: str) -> list[OrganisationGroup]:
    folded = fold(query)
    ranked = [(rank_in(_group_names(g), folded), g.label, g) for g in groups] if folded else []
    found = [(rank, label, g) for rank, label, g in ranked if rank is not None]
    return [g for _rank, _label, g in sorted(found, key=lambda r: (r[0], r[1]))]


@dataclass(frozen=True)
class PickerOption:
    value: str
    label: str
    code: str
    detail: str
    is_group: bool = False


def org_label(org: Organisation) -> str:
    return f"{org.name} ({org.code})"


def picker_options(
    user: Any, *, scope: str, query: str, groups: bool, value_field: str
) -> tuple[list[PickerOption], bool]:
    """The options answering ``query`` and whether there were more than shown."""
    orgs = list(scope_queryset(scope, user))
    found = match_organisations(orgs, query)
    options = [
        PickerOption(
            str(getattr(o, value_field)),
            o.name,
            o.code,
            str(o.get_un_group_display() or o.get_kind_display()),
        )
        for o in found[:RESULT_LIMIT]
    ]
    more = len(found) > RESULT_LIMIT
    if groups:
        chosen = match_groups(groups_within(user, orgs), query)
        more = more or len(chosen) > GROUP_LIMIT
        options = [
            PickerOption(
                f"{GROUP_PREFIX}{g.key}",
                g.label,
                "",
                str(_("Members: %(count)d") % {"count": len(g.member_ids)}),
                is_group=True,
            )
            for g in chosen[:GROUP_LIMIT]
        ] + options
    return options, more


# --- Widget and fields --------------------------------------------------------------------------


def _scope_orgs(scope: str) -> QuerySet[Organisation]:
    """The scope's organisations for every person alike (the code-valued fields, whose scopes do
    not leave out the person's own organisation)."""
    rule = SCOPES[scope]
    qs = Organisation.objects.filter(is_active=True)
    return qs.filter(kind__in=sorted(rule.kinds)) if rule.kinds is not None else qs


def split_codes(value: Any) -> list[str]:
    """Codes as posted: one per value, or several in one value separated by commas (the text
    fields these pickers replace), any case; in order, each once."""
    if value in (None, ""):
        return []
    values = [value] if isinstance(value, str) else list(value)
    codes = [c.strip() for v in values for c in str(v).split(",")]
    return list(dict.fromkeys(c if c.startswith(GROUP_PREFIX) else c.upper() for c in codes if c))


class OrganisationPicker(forms.Select):
    """A select that ``picker.js`` turns into a type-ahead combobox with chips."""

    template_name = "ctnet/picker.html"

    def __init__(
        self,
        *,
        scope: str,
        multiple: bool = False,
        value_field: str = "pk",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        if scope not in SCOPES or value_field not in VALUE_FIELDS:
            raise ValueError(f"unknown picker scope {scope!r} or value {value_field!r}")
        self.scope, self.value_field = scope, value_field
        self.allow_multiple_selected = multiple
        self.group_choices: list[tuple[str, str]] = []

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # as Select's
        if isinstance(value, QuerySet) or (
            isinstance(value, list | tuple) and value and isinstance(value[0], Organisation)
        ):
            return [str(getattr(v, self.value_field)) for v in value]
        if value in (None, ""):
            return []
        if self.value_field == "code" and self.allow_multiple_selected:
            return split_codes(value)
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return [str(value)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.allow_multiple_selected:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unselected multiple select is absent from a form post, like a checkbox.
        return False if self.allow_multiple_selected else name not in data

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> Any:
        groups = super().optgroups(name, value, attrs)
        if self.group_choices:
            index = len(groups)
            options = [
                self.create_option(name, key, label, key in value, index + i, attrs=attrs)
                for i, (key, label) in enumerate(self.group_choices)
            ]
            groups.insert(0, (str(_("Groups")), options, 0))
        return groups

    def _code_choices(self, value: list[str]) -> list[tuple[str, str]]:
        choices = [] if self.allow_multiple_selected else [("", str(_("Any")))]
        choices += [(o.code, org_label(o)) for o in _scope_orgs(self.scope)]
        known = {code for code, _label in choices} | {k for k, _label in self.group_choices}
        # A typed value that is no code (a name in a bookmarked filter, a wrong code posted) is
        # kept as an option of its own, so the page shows what was asked.
        return choices + [(v, v) for v in value if v and v not in known]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if self.value_field == "code":
            self.choices = self._code_choices(self.format_value(value))
        context = super().get_context(name, value, attrs)
        query = {"scope": self.scope, "value": self.value_field}
        if self.group_choices:
            query["groups"] = "1"
        widget = context["widget"]
        widget["attrs"]["multiple"] = self.allow_multiple_selected
        widget["picker_url"] = f"{reverse('organisation-picker')}?{urlencode(query)}"
        widget["multiple"] = self.allow_multiple_selected
        return context


def _group_choices(groups: list[OrganisationGroup]) -> list[tuple[str, str]]:
    return [(f"{GROUP_PREFIX}{g.key}", f"{g.label} ({len(g.member_ids)})") for g in groups]


def _invalid(field: forms.Field, value: str) -> ValidationError:
    return ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


class OrganisationsField(forms.ModelMultipleChoiceField):
    """Several organisations (and groups of them) of one scope, through the picker; cleans to
    the organisations, as the multiple select it replaces did."""

    def __init__(self, *, scope: str, groups: bool = True, **kwargs: Any) -> None:
        self.scope, self.offers_groups = scope, groups
        self.groups: list[OrganisationGroup] = []
        kwargs.setdefault("widget", OrganisationPicker(scope=scope, multiple=True))
        super().__init__(queryset=Organisation.objects.none(), **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return org_label(obj)

    def bind(self, user: Any, queryset: QuerySet[Organisation] | None = None) -> None:
        """The person choosing: their scope's organisations (or the form's own queryset), and
        the groups they may use."""
        self.queryset = scope_queryset(self.scope, user) if queryset is None else queryset
        if self.offers_groups:
            self.groups = groups_within(user, list(self.queryset))
            self.widget.group_choices = _group_choices(self.groups)

    def clean(self, value: Any) -> Any:
        by_key = {f"{GROUP_PREFIX}{g.key}": g for g in self.groups}
        expanded: list[str] = []
        for v in (str(v) for v in (value or [])):
            if not v.startswith(GROUP_PREFIX):
                expanded.append(v)
            elif v in by_key:
                expanded += [str(pk) for pk in sorted(by_key[v].member_ids)]
            else:
                raise _invalid(self, v)
        return super().clean(list(dict.fromkeys(expanded)))


class OrganisationCodesField(forms.Field):
    """Several organisations by code, through the picker, for the forms whose text field took
    comma-separated codes: cleans to the list of codes (groups expanded), which the form checks
    as before (``core.access.organisations_by_code``); a comma-separated value still works."""

    def __init__(self, *, scope: str = "any", groups: bool = True, **kwargs: Any) -> None:
        self.scope, self.offers_groups = scope, groups
        self.group_codes: dict[str, list[str]] = {}
        kwargs.setdefault(
            "widget", OrganisationPicker(scope=scope, multiple=True, value_field="code")
        )
        super().__init__(**kwargs)

    def bind(self, user: Any) -> None:
        if not self.offers_groups:
            return
        orgs = list(scope_queryset(self.scope, user))
        code_of = {o.pk: o.code for o in orgs}
        groups = groups_within(user, orgs)
        self.group_codes = {
            f"{GROUP_PREFIX}{g.key}": sorted(code_of[i] for i in g.member_ids) for g in groups
        }
        self.widget.group_choices = _group_choices(groups)

    def to_python(self, value: Any) -> list[str]:
        codes: list[str] = []
        for code in split_codes(value):
            if not code.startswith(GROUP_PREFIX):
                codes.append(code)
            elif code in self.group_codes:
                codes += self.group_codes[code]
            else:
                raise ValidationError(_("Unknown group: %(value)s") % {"value": code})
        return list(dict.fromkeys(codes))


class OrganisationField(forms.ModelChoiceField):
    """One organisation of a scope, through the picker."""

    def __init__(self, *, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("widget", OrganisationPicker(scope=scope))
        super().__init__(queryset=Organisation.objects.none(), **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return org_label(obj)

    def bind(self, user: Any, queryset: QuerySet[Organisation] | None = None) -> None:
        self.queryset = scope_queryset(self.scope, user) if queryset is None else queryset


def country_widget(scope: str = "directory") -> OrganisationPicker:
    """The picker for a text filter that takes a code or a name (the directory's country): a
    single select of codes, "Any" first."""
    return OrganisationPicker(scope=scope, value_field="code")


class PickerForm(forms.Form):
    """A form with organisation pickers: ``user=`` binds each of them to the person choosing
    (their scope's organisations and the groups they may address as one)."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            for field in self.fields.values():
                if isinstance(field, OrganisationsField | OrganisationCodesField):
                    field.bind(user)
