"""The entries of the matrix's explicit table: for an API operation or page with an id,
make an object of one organisation and who may do what with it.

An entry names:

- ``make``: a maker from ``objects.py`` (the object and its ids);
- ``actor``: the fixed person who may act (2xx on the API, 2xx/3xx on a page);
- ``readers``: others who may too (reads only: a write is done once, by the actor);
- ``forbidden``: people who see the object but whose role may not act (403);
- ``also``: people who see it with another documented answer (status set);
- ``outsider``: who must get a plain 404.

Everyone else may not see the object, so must get exactly what a missing id gets. A route with
an id and no entry here fails ``test_layer5_every_route_with_an_id_has_an_entry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ctnet.tests.matrix.objects import Made

Body = dict[str, Any] | Callable[[Made | None], dict[str, Any]] | None


@dataclass(frozen=True)
class Entry:
    make: Callable[[Any], Made]
    actor: str
    readers: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    also: dict[str, frozenset[int]] = field(default_factory=dict)
    outsider: str = "charlie"
    body: Body = None
    files: dict[str, tuple[Any, ...]] | None = None
    query: Body = None  # required query parameters
    method: str | None = None  # pages: the method to use (default: GET if taken, else POST)
    expect: frozenset[int] | None = None  # the actor's answer, if not any success

    @property
    def sees(self) -> set[str]:
        return {self.actor, *self.readers, *self.forbidden, *self.also}

    def body_for(self, made: Made | None) -> dict[str, Any]:
        return _fill(self.body, made)

    def query_for(self, made: Made | None) -> dict[str, Any]:
        return _fill(self.query, made)


def _fill(value: Body, made: Made | None) -> dict[str, Any]:
    if callable(value):
        return value(made)
    return dict(value or {})


def S(*codes: int) -> frozenset[int]:
    return frozenset(codes)


REASON = {"reason": "Not within our competence under the treaty"}
FRA_SEES = ("bob",)  # alice acts; bob, France's officer, sees France's material
REQUEST_SEEN = ("alice", "bob", "charlie")


def _delivery(made: Made | None) -> dict[str, Any]:
    return {"delivery_id": (made.extra["delivery_id"] if made else 1)}


def _reply_body(made: Made | None) -> dict[str, Any]:
    return {"body": "We hold two entries; details follow.", "kind": "final"}


def _version(made: Made | None) -> dict[str, Any]:
    return {"version": made.extra["version"] if made else 1}


def _review_date(made: Made | None) -> dict[str, Any]:
    return {"review_date": (timezone.localdate() + timedelta(days=100)).isoformat()}
