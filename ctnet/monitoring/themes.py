"""The themes a project is filed under: the four pillars of the UN Global Counter-Terrorism
Strategy (A/RES/60/288) and the network's own topics (``core.topics``).

Slugs are stored in rows and used in URLs and the IATI export (as ``tag`` codes of a
reporting-organisation vocabulary); the labels are translated.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctnet.core.topics import TOPICS

PILLARS: dict[str, Promise] = {
    "pillar-1": _("Pillar I: conditions conducive to the spread of terrorism"),
    "pillar-2": _("Pillar II: preventing and combating terrorism"),
    "pillar-3": _("Pillar III: building States' capacity and strengthening the UN's role"),
    "pillar-4": _("Pillar IV: human rights and the rule of law"),
}

THEMES: dict[str, Promise] = {**PILLARS, **TOPICS}


def theme_label(slug: str) -> str:
    return str(THEMES.get(slug, slug))
