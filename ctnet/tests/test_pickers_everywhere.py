"""docs/directory.md says every form and filter that chooses organisations or countries uses the
organisation picker (issue 14, item 2): enumerated here over every form of every app."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import ctnet
from ctnet.core.models import Organisation
from ctnet.core.picker import OrganisationPicker

# Fields that name organisations or countries by what they hold.
ORGANISATION_FIELD_NAMES = {"recipients", "new_recipient", "country", "members", "organisation"}
# Not a choice shown to a person: the query string a "send a request" link fills the form with.
NOT_SHOWN = {("ctnet.exchange.forms", "RequestPrefill", "to")}


def form_classes() -> list[tuple[str, type[forms.BaseForm]]]:
    found = []
    for info in pkgutil.walk_packages(ctnet.__path__, "ctnet."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts or "engine" in parts:
            continue
        if not (parts[-1] == "forms" or (len(parts) > 2 and parts[2] == "views")):
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                found.append((module.__name__, obj))
    return found


def test_every_organisation_choice_is_the_picker() -> None:
    classes = form_classes()
    assert len(classes) > 30  # the enumeration reached the apps' forms
    checked, offenders = 0, []
    for module, form in classes:
        for name, field in form.base_fields.items():
            if (module, form.__name__, name) in NOT_SHOWN:
                continue
            queryset = getattr(field, "queryset", None)
            by_model = queryset is not None and queryset.model is Organisation
            if by_model or name in ORGANISATION_FIELD_NAMES:
                checked += 1
                if not isinstance(field.widget, OrganisationPicker):
                    offenders.append(f"{module}.{form.__name__}.{name}")
    assert checked >= 8  # request, release, banks, crisis, watchlist, practice, search, route
    assert offenders == []
