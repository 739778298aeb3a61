"""One place that turns a stored code (an enum value, a slug) into its label in the reader's
language.

Codes stay codes in rows, URLs and the API; people read labels. Every vocabulary is registered
here under a name, ``"<app>.<Name>"``: core registers its own (markings, roles, organisation
kinds, UN regional groups, topics) and each capability registers its enumerations in its
``AppConfig.ready()``, so core names no capability and no capability value. Templates read labels
through the ``label`` / ``labels`` filters (``core/templatetags/labels.py``); presenters and the
API's human fields (``*_label``, ``GET /labels``) through ``label()``.
``ctnet/core/tests/test_labels.py`` checks that every registered value has a label translated in
all five languages besides English.

A value that is not registered (a new code in an old row) is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import EnumMeta
from typing import Any

from django.utils.functional import Promise

Vocabulary = Mapping[str, "str | Promise"]

_registry: dict[str, dict[str, str | Promise]] = {}
# Vocabularies whose labels are the same in every language by design (languages named in their
# own script); the translation test skips them.
_untranslated: set[str] = set()


def register(
    name: str,
    choices: EnumMeta | Mapping[str, Any] | Iterable[tuple[str, Any]],
    *,
    translated: bool = True,
) -> None:
    """Register a vocabulary: a Django ``TextChoices`` class, a mapping or ``(value, label)`` pairs.

    Registering the same name twice with the same values is harmless (an app reloaded in
    tests); two different vocabularies under one name is a programming error.
    """
    if not translated:
        _untranslated.add(name)
    if isinstance(choices, EnumMeta):
        pairs = dict(choices.choices)  # type: ignore[attr-defined]
    elif isinstance(choices, Mapping):
        pairs = dict(choices)
    else:
        pairs = dict(choices)
    known = _registry.get(name)
    if known is not None and set(known) != set(pairs):
        raise ValueError(f"label vocabulary {name!r} registered twice with different values")
    _registry[name] = pairs


def register_enums(app_label: str, *enums: EnumMeta) -> None:
    """Register ``TextChoices`` classes as ``"<app_label>.<ClassName>"``."""
    for enum in enums:
        register(f"{app_label}.{enum.__name__}", enum)


def vocabularies(*, translated: bool | None = None) -> dict[str, dict[str, str | Promise]]:
    """Every registered vocabulary (a copy): name -> {value: lazy label}; with ``translated``,
    only those whose labels are (True) or are not (False) translated."""
    return {
        name: dict(pairs)
        for name, pairs in _registry.items()
        if translated is None or (name not in _untranslated) == translated
    }


def label(vocabulary: str, value: Any) -> str:
    """The label of ``value`` in the active language; the value itself if it is not known.

    An unknown vocabulary name is a programming error (a typo in a template), not data: it
    raises so that the page tests catch it.
    """
    if value is None or value == "":
        return ""
    try:
        pairs = _registry[vocabulary]
    except KeyError:
        raise LookupError(f"no label vocabulary {vocabulary!r} is registered") from None
    found = pairs.get(str(value))
    return str(found) if found is not None else str(value)


def labels(vocabulary: str, values: Iterable[Any] | None) -> list[str]:
    return [label(vocabulary, v) for v in values or ()]


# The keys of audit rows' details (``{"why": ..., "count": ...}``): one vocabulary that core and
# each capability add their own keys to, so the audit page shows "Reason" rather than "why".
AUDIT_DETAIL_KEYS = "audit.detail"


def register_detail_keys(keys: Mapping[str, str | Promise]) -> None:
    _registry.setdefault(AUDIT_DETAIL_KEYS, {}).update(keys)


def detail_key_label(key: str) -> str:
    found = _registry.get(AUDIT_DETAIL_KEYS, {}).get(key)
    # A key no app has named yet still reads as words, not as an identifier.
    return str(found) if found is not None else key.replace("_", " ").capitalize()
