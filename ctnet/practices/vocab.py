"""Vocabularies of the practice library: languages, themes, workflow states.

Theme slugs are stable identifiers stored in rows and used in URLs. The expertise topics are the
network's shared vocabulary (``ctnet/core/topics.py``), the same words the directory uses.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctnet.core.topics import TOPICS


class Language(models.TextChoices):
    AR = "ar", "العربية"
    ZH = "zh", "中文"
    EN = "en", "English"
    FR = "fr", "Français"
    RU = "ru", "Русский"
    ES = "es", "Español"


LANGUAGE_CODES = frozenset(Language.values)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed, comments to the author")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The four pillars of the UN Global Counter-Terrorism Strategy (A/RES/60/288).
PILLARS: dict[str, Promise] = {
    "pillar-1-conditions": _("Pillar I: conditions conducive to the spread of terrorism"),
    "pillar-2-prevent-combat": _("Pillar II: preventing and combating terrorism"),
    "pillar-3-capacity": _("Pillar III: building states' capacity"),
    "pillar-4-human-rights": _("Pillar IV: human rights and the rule of law"),
}


THEMES: dict[str, Promise] = {**PILLARS, **TOPICS}


def theme_label(slug: str) -> str:
    return str(THEMES.get(slug, slug))


def theme_choices() -> list[tuple[str, Promise]]:
    return list(THEMES.items())
