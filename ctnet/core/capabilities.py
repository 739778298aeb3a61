"""How a capability joins the platform without core knowing it.

A capability's ``AppConfig`` subclasses ``CapabilityConfig`` and says what it adds: the menu and
home-page entries a person sees (asked of its own policy), and its demo data. Core asks the
installed apps, in ``INSTALLED_APPS`` order, and names none of them; a new capability is one more
app in settings, and nothing under ``ctnet/core`` changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class OrganisationGroup:
    """Organisations chosen as one in the organisation picker (``core/picker.py``): a UN
    regional group, or a capability's own group (a sharing group). ``key`` is unique across
    capabilities (prefix it with the capability's label)."""

    key: str
    label: str
    member_ids: frozenset[int]


@dataclass(frozen=True)
class OrganisationAction:
    """A link another capability offers about an organisation (and a topic), such as "send a
    request": the page that shows the organisation lists these without naming the capability."""

    label: str | Promise
    url: str


@dataclass(frozen=True)
class MenuEntry:
    """A link in the menu; with a description, also a card on the home page."""

    label: str | Promise
    url_name: str
    description: str | Promise = ""
    card_label: str | Promise = ""  # the card's title where it differs from the menu's word

    @property
    def card_title(self) -> str | Promise:
        return self.card_label or self.label


class CapabilityConfig(AppConfig):
    """The base of every capability's app configuration."""

    # Each capability's apps.py imports this class beside its own; Django takes the app's
    # configuration from the one marked default, so the base steps aside and each subclass says
    # ``default = True``.
    default = False

    def menu(self, user: Any) -> list[MenuEntry]:
        """Entries this signed-in member may open. Menus only: every page checks again."""
        return []

    def load_demo(self) -> None:
        """Add this capability's demo data, idempotently, after core's demo people exist."""

    def api_body_limits(self) -> dict[str, int]:
        """API paths (exact) that take a larger body than ``CTNET_MAX_UPLOAD_BYTES``, in bytes.

        Core refuses every larger API body unread (``middleware.ApiBodySizeMiddleware``); an
        upload a deployment sizes itself (a passenger list, an image) declares its own limit.
        """
        return {}

    def organisation_groups(self, user: Any) -> list[OrganisationGroup]:
        """Groups of organisations this member may address as one, beside the UN regional
        groups (asked of the capability's own policy)."""
        return []

    def organisation_actions(
        self, user: Any, organisation: Any, *, topic: str = ""
    ) -> list[OrganisationAction]:
        """What this member may do about ``organisation`` (on ``topic``, a slug of
        ``core.topics``) in this capability; every target page checks again."""
        return []


def organisation_groups(user: Any) -> list[OrganisationGroup]:
    return [g for capability in capabilities() for g in capability.organisation_groups(user)]


def organisation_actions(
    user: Any, organisation: Any, *, topic: str = ""
) -> list[OrganisationAction]:
    return [
        action
        for capability in capabilities()
        for action in capability.organisation_actions(user, organisation, topic=topic)
    ]


def api_body_limits() -> dict[str, int]:
    limits: dict[str, int] = {}
    for capability in capabilities():
        for path, limit in capability.api_body_limits().items():
            limits[path] = max(limit, limits.get(path, 0))
    return limits


def capabilities() -> list[CapabilityConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, CapabilityConfig)]


def menu_for(user: Any) -> list[MenuEntry]:
    return [entry for capability in capabilities() for entry in capability.menu(user)]
