"""The one pagination of the API: ``{"items": [...], "count": N}`` with bounded limit and offset.

Every list endpoint uses ``@paginate(Pagination)`` (or ``page_of`` where the endpoint must see
the page it serves, as the audit log does to record what was shown). A ``limit`` above
``MAX_LIMIT`` or an ``offset`` above ``MAX_OFFSET`` is a 422 with a message saying the bound;
before, a huge number reached the database and came back as a 500 (SQLite cannot even hold it).
Deeper than ``MAX_OFFSET`` a list is filtered, not paged: no reader pages through a million rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Field
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 100
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """django-ninja's limit/offset pagination with the platform's bounds."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


# The query parameters of a page, for an endpoint that serves its page itself.
PageParams = Pagination.Input


def page_of(items: QuerySet | Sequence[Any], params: PageParams) -> dict[str, Any]:
    """The same page as ``Pagination`` gives, for an endpoint that serves it itself."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    return {"items": list(items[params.offset : params.offset + params.limit]), "count": count}
