"""Full-text index of practices, on whichever engine runs: SQLite FTS5 or PostgreSQL.

Both index the same normalised text (``engine.textsearch.spaced``), so that Chinese is searchable
on both, and both answer "the best N practice ids for these terms". Filters and visibility are
applied afterwards, on the candidates, by ``search.py``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Value

from ctnet.practices.engine.textsearch import Term, fts5_query, spaced, tsquery
from ctnet.practices.models import Practice


def _document(practice: Practice) -> tuple[str, str, str]:
    return spaced(practice.title), spaced(practice.summary), spaced(practice.body)


def index_practice(practice: Practice) -> None:
    """(Re)write the full-text entry of one practice; call inside the writing transaction."""
    title, summary, body = _document(practice)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM practices_fts WHERE rowid = %s", [practice.pk])
            cursor.execute(
                "INSERT INTO practices_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                [practice.pk, title, summary, body],
            )
    elif connection.vendor == "postgresql":
        # Weights: a hit in the title counts more than one in the summary, more than the body.
        vector = (
            SearchVector(Value(title), weight="A", config="simple")
            + SearchVector(Value(summary), weight="B", config="simple")
            + SearchVector(Value(body), weight="C", config="simple")
        )
        Practice.objects.filter(pk=practice.pk).update(search_vector=vector)


def search_ids(terms: list[Term], limit: int) -> list[int]:
    """Ids of published practices matching any term, best first (no visibility applied)."""
    if not terms:
        return []
    if connection.vendor == "sqlite":
        return _search_sqlite(terms, limit)
    return _search_postgresql(terms, limit)


def _search_sqlite(terms: list[Term], limit: int) -> list[int]:
    # bm25 column weights follow the same order as on PostgreSQL: title, summary, body.
    sql = (
        "SELECT p.id FROM practices_fts f JOIN practices_practice p ON p.id = f.rowid "
        "WHERE practices_fts MATCH %s AND p.status = 'published' "
        "ORDER BY bm25(practices_fts, 4.0, 2.0, 1.0) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_query(terms), limit])
        return [row[0] for row in cursor.fetchall()]


def _search_postgresql(terms: list[Term], limit: int) -> list[int]:
    raw = tsquery(terms)
    if not raw:
        return []
    query = SearchQuery(raw, search_type="raw", config="simple")
    qs = (
        Practice.objects.filter(status="published", search_vector=query)
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-id")
        .values_list("id", flat=True)
    )
    return list(qs[:limit])
