"""How a capability joins the platform without core knowing it.

A capability's ``AppConfig`` subclasses ``CapabilityConfig`` and says what it adds: the menu and
home-page entries a person sees and the work that waits for them (both asked of its own policy),
and its demo data. Core asks the
installed apps, in ``INSTALLED_APPS`` order, and names none of them; a new capability is one more
app in settings, and nothing under ``ctnet/core`` changes.

``answer_kinds`` is how one capability's things are answered by another's projects without the
two importing each other's models: a capability that holds commitments or themes says how to
list, check, link and unlink them by id; monitoring asks the registry for every kind (issue 16).

``subject_kinds`` is how a record of one capability is *about* another's thing (a consultation on
an action plan, a programme or a guideline, issue 15), by id and a shared word for the kind: the
capability that holds the thing says how to offer and find it for a person, and the one that
refers to it says what refers to a thing (``about``), so each page shows both directions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.apps import AppConfig, apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Func, IntegerField, Model, QuerySet, Subquery
from django.db.models.functions import Coalesce
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


@dataclass(frozen=True)
class Waiting:
    """Work that waits for a person: how many, and the list that shows exactly those.

    Counts only, never a subject or a name: the home page and the menu badges show them to
    whoever holds the role, and the linked list applies the access rules again.
    """

    label: str | Promise
    # A number, or the queryset of exactly what waits: ``waiting_for`` counts every
    # capability's querysets in one SELECT, so the menu costs one round trip on every page.
    count: int | QuerySet[Any]
    url: str
    # The menu entry (its ``url_name``) whose badge adds this count; blank: home page only.
    menu: str = ""
    # Past a deadline or on a clock (overdue, urgent, a crisis): shown first and marked.
    urgent: bool = False

    @property
    def number(self) -> int:
        """The count, once ``waiting_for`` has counted it."""
        if not isinstance(self.count, int):
            raise TypeError("a waiting queryset is counted by waiting_for")
        return self.count


@dataclass(frozen=True)
class MenuRow:
    """A menu entry with the number of things waiting behind it (its badge)."""

    entry: MenuEntry
    badge: int = 0

    @property
    def label(self) -> str | Promise:
        return self.entry.label

    @property
    def url_name(self) -> str:
        return self.entry.url_name

    @property
    def description(self) -> str | Promise:
        return self.entry.description

    @property
    def card_title(self) -> str | Promise:
        return self.entry.card_title


@dataclass(frozen=True)
class AnswerTarget:
    """Something a project answers, as its own capability shows it: its id, its title, what it
    belongs to (a plan, a consultation) and the page where it is read."""

    id: int
    label: str
    context: str = ""
    url: str = ""


class AlreadyLinked(ValidationError):
    """The project answers this target already (409 on the API and pages; a ValidationError, so
    a caller that does not tell it apart still answers 400, never 500)."""


def create_link(model: type[Model], duplicate: AlreadyLinked, **fields: Any) -> Any:
    """A capability's link row between a target and a project, or ``duplicate`` raised when the
    pair is linked already. Call it inside the service's transaction: a savepoint around the
    insert turns the unique constraint that two people linking the same pair at once meet into
    ``duplicate`` too, without spoiling the outer transaction."""
    pair = {name: value for name, value in fields.items() if name != "created_by"}
    if model._default_manager.filter(**pair).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError:
        raise duplicate from None


@dataclass(frozen=True)
class AnswerKind:
    """A kind of thing a project can answer, offered by the capability that holds it.

    Core knows ids only. Every callable asks the offering capability's own policy; those that
    take a project id also ask the project's (its heads link and unlink). ``target`` and
    ``link``/``unlink`` raise ``Http404`` for a target the person may not see, exactly as for
    one that does not exist; ``link`` raises ``PermissionDenied`` for a project the person sees
    but may not change and ``AlreadyLinked`` for a second link; ``unlink`` ``Http404`` for a
    link that is not there. Each write is the capability's own service with its audit row.
    """

    kind: str  # a slug, unique across capabilities: the API's and the URLs' word
    label: str | Promise
    # (user, project_id) -> the targets this person may link to the project, not linked yet.
    candidates: Callable[[Any, int], list[AnswerTarget]]
    # (user, target_id) -> the target, or Http404.
    target: Callable[[Any, int], AnswerTarget]
    # (*, acting_user, project_id, target_id) -> None.
    link: Callable[..., None]
    unlink: Callable[..., None]
    # (user, project_id) -> the linked targets this person may see.
    linked: Callable[[Any, int], list[AnswerTarget]]


@dataclass(frozen=True)
class SubjectOffer:
    """A kind of a capability's things that another capability's records can be about.

    ``kind`` is the shared word (``programme``, ``action_plan``, ``guideline``): the referring
    record stores the word and an id, never a foreign key, so neither capability imports the
    other's models. Both callables ask the offering capability's own rule for the person, and
    neither writes an audit row: a reference shows a title and a link, and the page it links to
    checks and records its own read.
    """

    kind: str
    label: str | Promise
    # (user) -> what this person may choose, newest first and capped (a picker stays light).
    candidates: Callable[[Any], list[AnswerTarget]]
    # (user, target_id) -> the thing, or None where it is missing or this person may not see it.
    find: Callable[[Any, int], AnswerTarget | None]


# A subject picker lists at most this many things (the newest first): a form stays light.
MAX_SUBJECT_CANDIDATES = 500


def subject_kind_of(
    kind: str,
    label: str | Promise,
    visible: Callable[[Any], QuerySet[Any]],
    to_target: Callable[[Any], AnswerTarget],
) -> SubjectOffer:
    """A subject kind over a capability's own "what this person may see" queryset: the
    candidates are its newest rows, and ``find`` asks it for the one id."""

    def candidates(user: Any) -> list[AnswerTarget]:
        rows = visible(user).order_by("-created_at", "-pk")[:MAX_SUBJECT_CANDIDATES]
        return [to_target(row) for row in rows]

    def find(user: Any, target_id: int) -> AnswerTarget | None:
        row = visible(user).filter(pk=target_id).first()
        return None if row is None else to_target(row)

    return SubjectOffer(kind=kind, label=label, candidates=candidates, find=find)


@dataclass(frozen=True)
class Mention:
    """A record that is about a thing (``CapabilityConfig.about``): shown on the thing's page
    under ``group`` (the referring capability's word, "Consultations")."""

    group: str | Promise
    label: str
    url: str
    context: str | Promise = ""


class CapabilityConfig(AppConfig):
    """The base of every capability's app configuration."""

    # Each capability's apps.py imports this class beside its own; Django takes the app's
    # configuration from the one marked default, so the base steps aside and each subclass says
    # ``default = True``.
    default = False

    def menu(self, user: Any) -> list[MenuEntry]:
        """Entries this signed-in member may open. Menus only: every page checks again."""
        return []

    def waiting(self, user: Any) -> list[Waiting]:
        """What waits for this signed-in member here, asked of the capability's own policy.

        One entry per kind of work the role has (a zero count included, so the home page can
        say "nothing waits"), in a number of queries that does not grow with the data: the
        home page and every page's menu badges ask it once per request (``waiting_for``).
        """
        return []

    def load_demo(self) -> None:
        """Add this capability's demo data, idempotently, after core's demo people exist."""

    def demo_notes(self) -> list[str]:
        """Lines ``ctnet demo`` prints after the accounts (an address to open, say)."""
        return []

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

    def answer_kinds(self) -> list[AnswerKind]:
        """The kinds of this capability's things that a project can answer (``AnswerKind``)."""
        return []

    def subject_kinds(self) -> list[SubjectOffer]:
        """The kinds of this capability's things another's records can be about."""
        return []

    def about(self, user: Any, kind: str, target_id: int) -> list[Mention]:
        """This capability's records about the thing ``kind``/``target_id`` that this person
        may see (asked of the capability's own policy), for the thing's page."""
        return []


def answer_kinds() -> dict[str, AnswerKind]:
    """Every capability's answer kinds by slug, in ``INSTALLED_APPS`` order."""
    return {kind.kind: kind for capability in capabilities() for kind in capability.answer_kinds()}


def subject_kinds() -> dict[str, SubjectOffer]:
    """Every capability's subject kinds by their shared word, in ``INSTALLED_APPS`` order."""
    return {kind.kind: kind for capability in capabilities() for kind in capability.subject_kinds()}


def mentions(user: Any, kind: str, target_id: int) -> list[Mention]:
    """Every capability's records about this thing that this person may see."""
    return [m for capability in capabilities() for m in capability.about(user, kind, target_id)]


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


# The attribute of a request that holds its waiting work once computed: the base template's
# badges and the home page's list read the same counts, asked once.
_WAITING_ATTR = "_ctnet_waiting"


def waiting_for(user: Any) -> list[Waiting]:
    """Every capability's waiting work for this person, urgent first, then in menu order,
    every count a number."""
    found = [item for capability in capabilities() for item in capability.waiting(user)]
    return sorted(_counted(user, found), key=lambda item: not item.urgent)


def _count_of(qs: QuerySet[Any]) -> Coalesce:
    """``SELECT COUNT(*)`` of a queryset as a scalar sub-query. Through its primary keys, so a
    queryset whose joins repeat rows (recipients, acknowledgements) counts each object once."""
    model = qs.model._default_manager
    counted = (
        model.filter(pk__in=qs.order_by().values("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0)


def _counted(user: Any, items: list[Waiting]) -> list[Waiting]:
    """The items with each queryset replaced by its count, all of them in one query."""
    querysets = {
        f"w{i}": item.count
        for i, item in enumerate(items)
        if isinstance(item.count, QuerySet) and not item.count.query.is_empty()
    }
    counts: dict[str, int] = {}
    if querysets:
        # One row to hang the sub-queries on: the person's own organisation. Imported here:
        # the capabilities' app configurations import this module before models are ready.
        from ctnet.core.models import Organisation

        org_id = user.active_membership.organisation_id
        row: dict[str, Any] = dict(
            Organisation.objects.filter(pk=org_id)
            .values(**{key: _count_of(qs) for key, qs in querysets.items()})
            .get()
        )
        counts = {key: int(row[key]) for key in querysets}
    return [
        replace(item, count=counts.get(f"w{i}", 0)) if isinstance(item.count, QuerySet) else item
        for i, item in enumerate(items)
    ]


def waiting_for_request(request: Any) -> list[Waiting]:
    """``waiting_for`` the request's user, computed once per request."""
    cached = getattr(request, _WAITING_ATTR, None)
    if cached is None:
        user = getattr(request, "user", None)
        member = user is not None and user.is_authenticated and user.active_membership
        cached = waiting_for(user) if member else []
        setattr(request, _WAITING_ATTR, cached)
    return cached


def menu_rows(user: Any, waiting: list[Waiting]) -> list[MenuRow]:
    """The menu of ``menu_for`` with each entry's badge: the sum of what waits behind it."""
    badges: dict[str, int] = {}
    for item in waiting:
        if item.menu:
            badges[item.menu] = badges.get(item.menu, 0) + item.number
    return [MenuRow(entry, badges.get(entry.url_name, 0)) for entry in menu_for(user)]
