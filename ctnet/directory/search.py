"""Search and routing: "who do I contact in country X about topic Y right now?"

Both read through ``access.visible_contacts`` so that visibility is never re-implemented here.
A search is one COUNT and one SELECT; a route is one lookup of the organisation and one SELECT of
its visible entries, the choice itself made in Python over that small set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core.models import COMMUNITY_KINDS, Organisation
from ctnet.core.orgnames import WORD_PREFIX, match_organisations, resolve_organisation
from ctnet.directory import taxonomy
from ctnet.directory.access import record_contact_reads, visible_contacts
from ctnet.directory.availability import contact_available
from ctnet.directory.models import HEAD_FUNCTIONS, ContactPoint, reconfirm_cutoff


class BadFilter(ValidationError):
    """A filter value that is not in its vocabulary; the message lists the valid values."""


def find_organisation(text: str) -> Organisation:
    """The community organisation ``text`` names: its code (one lookup), else a name in any of
    the six UN languages ("Francia", "Франция", "فرنسا", "法国"). Unknown or ambiguous text is
    a BadFilter with a short message (never the list of every code)."""
    community = Organisation.objects.filter(is_active=True, kind__in=COMMUNITY_KINDS)
    org = community.filter(code=text.strip().upper()).first()
    if org is not None:
        return org
    try:
        return resolve_organisation(community, text)
    except ValidationError as exc:
        raise BadFilter(exc.messages) from None


def check_topic(slug: str) -> str:
    if not taxonomy.is_topic(slug):
        raise BadFilter(
            _("Unknown topic %(slug)s. Valid values: %(valid)s.")
            % {"slug": slug, "valid": ", ".join(taxonomy.TOPIC_SLUGS)}
        )
    return slug


def check_language(code: str) -> str:
    code = code.strip().lower()
    if not taxonomy.is_language(code):
        raise BadFilter(
            _("Unknown language code %(code)s: use ISO 639-1, e.g. en, fr, ar, zh, ru, es.")
            % {"code": code}
        )
    return code


def search_contacts(
    user: Any,
    *,
    country: str | None = None,
    topic: str | None = None,
    language: str | None = None,
    un_group: str | None = None,
    q: str | None = None,
    verified: bool | None = None,
    stale: bool | None = None,
    available_now: bool = False,
    now: datetime | None = None,
) -> QuerySet[ContactPoint] | list[ContactPoint]:
    """Visible contacts matching the filters; raises BadFilter on an unknown value."""
    qs = visible_contacts(user).select_related("organisation")
    if country:
        qs = qs.filter(organisation=find_organisation(country))
    if topic:
        qs = qs.filter(topics__contains=f",{check_topic(topic)},")
    if language:
        qs = qs.filter(languages__contains=f",{check_language(language)},")
    if un_group:
        qs = qs.filter(organisation__un_group=un_group)
    if q:
        text = qs.filter(office__icontains=q) | qs.filter(holders__icontains=q)
        named = _organisations_named(q)
        qs = (text | qs.filter(organisation_id__in=named)) if named else text
    if verified is not None:
        qs = qs.filter(verified=verified)
    if stale is True:
        qs = qs.filter(last_confirmed_at__lt=reconfirm_cutoff())
    elif stale is False:
        qs = qs.filter(last_confirmed_at__gte=reconfirm_cutoff())
    qs = qs.order_by("organisation__code", "function", "office", "pk")
    if available_now:
        # Office hours are local to each contact: decided in Python, over the filtered rows.
        moment = now or timezone.now()
        return [c for c in qs if contact_available(c, moment)]
    return qs


def _organisations_named(q: str) -> list[int]:
    """Community organisations whose name (any UN language) or code answers the free text, so
    that typing "Francia" or "法国" in the search box finds France's entries. One letter is too
    little to name a country."""
    if len(q.strip()) < 2:
        return []
    community = Organisation.objects.filter(is_active=True, kind__in=COMMUNITY_KINDS)
    return [o.pk for o in match_organisations(community, q, worst=WORD_PREFIX)]


# --- Routing ---------------------------------------------------------------------------------


@dataclass
class Route:
    organisation: Organisation
    topic: str
    contact: ContactPoint | None = None
    chosen_as: str = ""  # "topic", "deputy", "head" or "" when nobody is listed
    reasons: list[str] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def _problems(contact: ContactPoint, now: datetime, cutoff: datetime) -> list[str]:
    problems = []
    if not contact.verified:
        problems.append(_("not verified"))
    if contact.last_confirmed_at < cutoff:
        problems.append(
            _("stale: last confirmed %(date)s") % {"date": f"{contact.last_confirmed_at:%Y-%m-%d}"}
        )
    if not contact_available(contact, now):
        problems.append(
            _("not available now (outside office hours in %(tz)s)") % {"tz": contact.time_zone}
        )
    return problems


def route_contact(user: Any, *, country: str, topic: str, now: datetime | None = None) -> Route:
    """Prefer a verified, fresh, available contact that lists the topic (an office of its own
    before a deputy or the head, see ``_topic_candidates``); then the deputy of a topic contact
    that cannot be reached; then the head entry.

    The contact it names is shown with its holders: that read is audited here, once for the API,
    the route page and the practice pages that name a contact."""
    route = _choose_route(user, country=country, topic=topic, now=now)
    if route.contact is not None:
        record_contact_reads(user, [route.contact], f"route {route.chosen_as}")
    return route


def _topic_candidates(entries: list[ContactPoint], topic: str) -> list[ContactPoint]:
    """The entries that list the topic, in the order a caller should try them: an office or
    desk of its own first, then someone's deputy, then the head of the network (a deputy or a
    head often lists every topic, and is there to cover, not to be the first call); among
    equals the more specific (fewer topics), then verified and most recently confirmed."""
    deputies = {c.deputy_id for c in entries if c.deputy_id}

    def standing(contact: ContactPoint) -> tuple[int, int]:
        role = 2 if contact.function in HEAD_FUNCTIONS else 1 if contact.pk in deputies else 0
        return role, len(contact.topic_list)

    # ``entries`` come verified first, then most recently confirmed: a stable sort keeps that.
    return sorted((c for c in entries if topic in c.topic_list), key=standing)


def _choose_route(user: Any, *, country: str, topic: str, now: datetime | None) -> Route:
    org = find_organisation(country)
    check_topic(topic)
    now = now or timezone.now()
    cutoff = reconfirm_cutoff(now)
    entries = list(
        visible_contacts(user)
        .filter(organisation=org)
        .order_by("-verified", "-last_confirmed_at", "pk")
    )
    for contact in entries:
        contact.organisation = org  # already loaded: spares a query per answer
    by_id = {c.pk: c for c in entries}
    route = Route(organisation=org, topic=topic)
    candidates = _topic_candidates(entries, topic)
    if not candidates:
        route.reasons.append(_("No contact point lists this topic."))
    for contact in candidates:
        problems = _problems(contact, now, cutoff)
        if not problems:
            route.contact, route.chosen_as = contact, "topic"
            route.reasons.append(_("Verified, confirmed on time and available now for this topic."))
            return route
        route.skipped.append({"id": contact.pk, "office": contact.office, "why": problems})
    for contact in candidates:
        deputy = by_id.get(contact.deputy_id) if contact.deputy_id else None
        if deputy is not None and not _problems(deputy, now, cutoff):
            route.contact, route.chosen_as = deputy, "deputy"
            route.reasons.append(
                _(
                    "Deputy of %(office)s, which cannot be reached as it should; the deputy is "
                    "verified, confirmed on time and available now."
                )
                % {"office": contact.office}
            )
            return route
    heads = [c for c in entries if c.function in HEAD_FUNCTIONS]
    if heads:
        head = heads[0]
        route.contact, route.chosen_as = head, "head"
        route.reasons.append(
            _(
                "No topic contact or deputy can be reached as it should: falling back to the "
                "head of the national or entity network."
            )
        )
        route.reasons.extend(_problems(head, now, cutoff))
        return route
    route.reasons.append(_("This organisation has no contact point you can see."))
    return route
