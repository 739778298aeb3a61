"""Hybrid search over the library: full-text and semantic evidence fused, then visibility.

1. full-text: the best ``CANDIDATES`` published practices for the query terms (FTS5 or PostgreSQL);
2. semantic: the best ``CANDIDATES`` by cosine to the query's multilingual embedding, drawn only
   from practices that pass the filters; full-text candidates get their cosine from the index too;
3. one SQL query keeps the candidates this user may see (the core policy) that pass the filters;
4. the hybrid score (``engine.ranking.fuse``) orders what is left: cosine plus a bonus for the
   first full-text hits.

Candidates are cut before visibility is applied: a user who may see only a small share of the
library can get fewer results than exist. Documented in docs/practices.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ctnet.core.models import Organisation, UNGroup
from ctnet.practices import fulltext
from ctnet.practices.access import visible_among
from ctnet.practices.engine import embedder
from ctnet.practices.engine.ranking import fuse
from ctnet.practices.engine.textsearch import query_terms, snippet
from ctnet.practices.models import Practice
from ctnet.practices.vectors import Filters, current_index
from ctnet.practices.vocab import LANGUAGE_CODES, THEMES, Status

MAX_QUERY_CHARS = 300
MAX_LIMIT = 50
CANDIDATES = 200
FULLTEXT_CANDIDATES = 50
MODES = ("hybrid", "fulltext", "semantic")


class BadQuery(ValueError):
    """The query cannot be searched; the message says why (answered with 400)."""


def search_filters(
    themes: list[str], regions: list[str], origin: str | None, language: str | None
) -> Filters:
    """The search filters from the caller's words; an unknown value is a ``BadQuery`` naming it.

    Shared by the API and the library page, so both refuse the same values with the same sentence.
    """
    unknown = sorted(set(themes) - set(THEMES)) + sorted(set(regions) - set(UNGroup.values))
    if language and language not in LANGUAGE_CODES:
        unknown.append(language)
    if unknown:
        raise BadQuery(_("Unknown filter value: %(values)s.") % {"values": ", ".join(unknown)})
    origin_id = None
    if origin:
        org = Organisation.objects.filter(code=origin.upper()).only("pk").first()
        if org is None:
            raise BadQuery(_("Unknown origin %(code)s.") % {"code": origin})
        origin_id = org.pk
    return Filters(tuple(themes), tuple(regions), origin_id, language or None)


@dataclass(frozen=True)
class Hit:
    practice: Practice
    score: float
    snippet: str


def clean_query(raw: str | None) -> str:
    query = " ".join((raw or "").split())
    if not query:
        raise BadQuery(_("Type something to search for."))
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(
            _("The query is too long: at most %(n)d characters.") % {"n": MAX_QUERY_CHARS}
        )
    return query


def search_practices(
    user: Any,
    raw_query: str | None,
    *,
    limit: int = 10,
    filters: Filters | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """The best ``limit`` published practices for the query that this user may see."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(_("limit must be between 1 and %(n)d.") % {"n": MAX_LIMIT})
    hits, _count = search_page(user, raw_query, offset=0, limit=limit, filters=filters, mode=mode)
    return hits


def search_page(
    user: Any,
    raw_query: str | None,
    *,
    offset: int,
    limit: int,
    filters: Filters | None = None,
    mode: str = "hybrid",
) -> tuple[list[Hit], int]:
    """The hits ranked ``offset`` to ``offset + limit``, and how many the search ranks in all.

    The count is every published practice this user may see among the candidates the search
    weighs (the ``CANDIDATES`` nearest by meaning and the best full-text matches, filters
    applied): the results it can return at any offset. Only the page's rows are fetched.
    """
    query = clean_query(raw_query)
    if mode not in MODES:
        raise BadQuery(_("Unknown search mode."))
    filters = filters or Filters()
    terms = query_terms(query)
    # Beyond the first few, full-text hits only matter through their cosine: fewer suffice.
    depth = CANDIDATES if mode == "fulltext" else FULLTEXT_CANDIDATES
    fulltext_ids = fulltext.search_ids(terms, depth) if mode != "semantic" else []
    cosines: dict[int, float] = {}
    if mode != "fulltext":
        index = current_index()
        vector = embedder.encode_one(query)
        cosines = dict(index.nearest(vector, CANDIDATES, filters))
        for pk in fulltext_ids:
            if pk not in cosines and (known := index.vector_of(pk)) is not None:
                cosines[pk] = float(known @ vector)
    candidates = set(cosines) | set(fulltext_ids)
    if not candidates:
        return [], 0
    # Light rows for all candidates (visibility and filters), full rows for the few shown.
    allowed = {
        pk
        for pk, language, origin_id, themes, regions in visible_among(user, candidates)
        .filter(status=Status.PUBLISHED)
        .values_list("pk", "language", "originator_id", "themes", "regions")
        .order_by()
        if filters.accepts(language, origin_id, themes, regions)
    }
    if mode == "fulltext":
        scores = {pk: 1.0 / rank for rank, pk in enumerate(fulltext_ids, 1) if pk in allowed}
    else:
        scores = {pk: s for pk, s in fuse(cosines, fulltext_ids).items() if pk in allowed}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best = ranked[offset : offset + limit]
    if not best:
        return [], len(ranked)
    # Only ids that passed the visibility rule above are fetched here.
    rows = Practice.objects.select_related("originator").defer("embedding", "search_vector")
    shown = rows.in_bulk([pk for pk, _score in best])
    hits = [
        Hit(shown[pk], round(score, 6), snippet(shown[pk].summary + " " + shown[pk].body, terms))
        for pk, score in best
        if pk in shown
    ]
    return hits, len(ranked)
