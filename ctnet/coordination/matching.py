"""Proposing assistance for needs: by topic, then region, then a shared language.

Free of Django, so the bench can compare it with a brute force over every pair on the same
data. Offers are indexed by topic and by region (with one bucket for offers that serve every
region), so a need is compared only with the offers that can serve it, never with all of them.

A match needs the same topic, a region the offer serves (or an offer for everywhere), and at
least one language in common. Its score says how close it is: a shared language counts
``LANGUAGE_POINTS`` each, an offer aimed at the need's region ``REGION_POINTS`` (a specific
offer before a general one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

LANGUAGE_POINTS = 10
REGION_POINTS = 5
ANY_REGION = ""
# A person reviews a short list, not every organisation that could help: the best ten, by
# score, then the oldest offer first.
MAX_PROPOSALS = 10


@dataclass(frozen=True)
class NeedKey:
    id: int
    topic: str
    region: str
    languages: frozenset[str]


@dataclass(frozen=True)
class OfferKey:
    id: int
    topic: str
    regions: frozenset[str]  # empty: every region
    languages: frozenset[str]


def score(need: NeedKey, offer: OfferKey) -> int:
    """0 when the offer cannot serve the need; else how well it fits."""
    if need.topic != offer.topic:
        return 0
    if offer.regions and need.region not in offer.regions:
        return 0
    shared = len(need.languages & offer.languages)
    if not shared:
        return 0
    return shared * LANGUAGE_POINTS + (REGION_POINTS if offer.regions else 0)


class OfferIndex:
    def __init__(self, offers: Iterable[OfferKey]) -> None:
        self._by: dict[tuple[str, str], list[OfferKey]] = defaultdict(list)
        for offer in offers:
            for region in offer.regions or {ANY_REGION}:
                self._by[(offer.topic, region)].append(offer)

    def candidates(self, need: NeedKey) -> list[OfferKey]:
        return self._by.get((need.topic, need.region), []) + self._by.get(
            (need.topic, ANY_REGION), []
        )

    def propose(self, need: NeedKey) -> list[tuple[int, int]]:
        """(offer id, score) of the offers that can serve the need, best first."""
        found = [(o.id, s) for o in self.candidates(need) if (s := score(need, o))]
        return best(found)


def best(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))[:MAX_PROPOSALS]


def brute_force(needs: Iterable[NeedKey], offers: list[OfferKey]) -> set[tuple[int, int, int]]:
    """Every pair compared: the baseline the index must agree with."""
    found: set[tuple[int, int, int]] = set()
    for n in needs:
        pairs = [(o.id, points) for o in offers if (points := score(n, o))]
        found.update((n.id, offer_id, points) for offer_id, points in best(pairs))
    return found


def indexed(needs: Iterable[NeedKey], index: OfferIndex) -> set[tuple[int, int, int]]:
    return {(n.id, offer_id, s) for n in needs for offer_id, s in index.propose(n)}
