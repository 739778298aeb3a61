"""Information markings: TLP 2.0, handling codes and source/information grading.

These are the vocabularies every shared object carries (DESIGN.md rule 1). The ordering of TLP
levels is what "raise, never lower" means; it lives here so that no view re-invents it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST), from least to most restricted."""

    CLEAR = "CLEAR", _("TLP:CLEAR — no limit on disclosure")
    GREEN = "GREEN", _("TLP:GREEN — the network community")
    AMBER = "AMBER", _("TLP:AMBER — recipient organisations and their clients")
    AMBER_STRICT = "AMBER+STRICT", _("TLP:AMBER+STRICT — recipient organisations only")
    RED = "RED", _("TLP:RED — named recipients only")


TLP_ORDER: dict[str, int] = {
    TLP.CLEAR: 0,
    TLP.GREEN: 1,
    TLP.AMBER: 2,
    TLP.AMBER_STRICT: 3,
    TLP.RED: 4,
}

# Levels whose onward sharing needs the originator's release (DESIGN.md rule 2), together with the
# H2 handling code.
ORIGINATOR_CONTROLLED_TLP = frozenset({TLP.AMBER, TLP.AMBER_STRICT, TLP.RED})
# Reads of these levels are written to the audit log (DESIGN.md rule 5).
AUDITED_READ_TLP = frozenset({TLP.AMBER, TLP.AMBER_STRICT, TLP.RED})


class Handling(models.TextChoices):
    """Handling codes, in the spirit of the UK/EU 4x4 handling conditions."""

    H0 = "H0", _("H0 — use only for the stated purpose")
    H1 = "H1", _("H1 — not for use in court without the originator's permission")
    H2 = "H2", _("H2 — no onward sharing without the originator's permission")
    H3 = "H3", _("H3 — other restriction, stated in the text")


class SourceGrade(models.TextChoices):
    """Reliability of the source (the A/B/C/X scale of the 3x5x2 model)."""

    A = "A", _("A — always reliable")
    B = "B", _("B — mostly reliable")
    C = "C", _("C — sometimes reliable")
    X = "X", _("X — reliability unknown")


class InformationGrade(models.TextChoices):
    """Assessment of the information itself."""

    KNOWN = "1", _("1 — known to be true without reservation")
    KNOWN_TO_SOURCE = "2", _("2 — known personally to the source")
    NOT_KNOWN = "3", _("3 — not known personally to the source, corroborated")
    UNCORROBORATED = "4", _("4 — cannot be judged")


def tlp_rank(level: str) -> int:
    try:
        return TLP_ORDER[TLP(level)]
    except ValueError:
        raise ValueError(f"unknown TLP level {level!r}") from None


def is_lowering(old: str, new: str) -> bool:
    """True when going from ``old`` to ``new`` loosens the TLP restriction."""
    return tlp_rank(new) < tlp_rank(old)


def normalise_handling(codes: list[str] | tuple[str, ...] | str) -> list[str]:
    """Validate and sort handling codes; accepts a list or a comma-separated string."""
    if isinstance(codes, str):
        codes = [c for c in (part.strip() for part in codes.split(",")) if c]
    result = set()
    for code in codes:
        try:
            result.add(Handling(code.upper()).value)
        except ValueError:
            raise ValueError(f"unknown handling code {code!r}") from None
    return sorted(result)


def handling_is_lowering(old: list[str], new: list[str]) -> bool:
    """Removing any handling restriction loosens the marking."""
    return not set(old) <= set(new)


def needs_release(tlp: str, handling: list[str]) -> bool:
    """Onward sharing of this material needs a release approved by the originator."""
    return TLP(tlp) in ORIGINATOR_CONTROLLED_TLP or Handling.H2 in handling


MAX_HANDLING_NOTE = 500


def clean_handling(codes: Any, note: Any) -> tuple[list[str], str]:
    """Handling codes H0-H3 as a person or a client sent them (a list, a comma-separated string
    or nothing), sorted without repeats, and the note that states an H3 restriction; a clear
    ``ValidationError`` for anything else. One rule for every marked object."""
    if codes in (None, ""):
        codes = []
    if not isinstance(codes, list | tuple | str):
        raise ValidationError(gettext("handling must be a list of codes (H0, H1, H2, H3)."))
    try:
        handling = normalise_handling(codes)
    except ValueError:
        raise ValidationError(gettext("Unknown handling code: use H0, H1, H2 or H3.")) from None
    if note is not None and not isinstance(note, str):
        raise ValidationError(gettext("The handling note must be text."))
    note = (note or "").strip()[:MAX_HANDLING_NOTE]
    if Handling.H3 in handling and not note:
        raise ValidationError(gettext("Handling code H3 needs the restriction stated in the note."))
    return handling, note
