"""Geometry of the server-rendered SVG charts (the templates draw it; no script, no library).

Written here rather than taken from a charting library: the charts are two shapes (a stacked
bar, a timeline of dots), and a page must stay a few kilobytes on a slow link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ctnet.coordination.models import Status

BAR_WIDTH = 300
# One colour per status, told apart without colour too: every bar has its numbers in text.
COLOURS = {
    Status.NOT_STARTED: "#9e9e9e",
    Status.LIMITED: "#f2a900",
    Status.SUBSTANTIAL: "#4a90c2",
    Status.COMPLETE: "#2e7d32",
    Status.NO_EVIDENCE: "#8e24aa",
}
MARK_COLOURS = {"done": "#2e7d32", "late": "#c62828", "open": "#4a90c2"}


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    x: float
    width: float
    colour: str


def stacked_bar(counts: Mapping[str, int], width: int = BAR_WIDTH) -> list[Segment]:
    """Segments of one bar in the order of the scale; empty statuses take no room."""
    total = sum(counts.values())
    segments: list[Segment] = []
    x = 0.0
    for status in Status:
        n = counts.get(status.value, 0)
        if not n or not total:
            continue
        w = round(width * n / total, 2)
        segments.append(
            Segment(status.value, str(status.label), n, round(x, 2), w, COLOURS[status])
        )
        x += w
    return segments


@dataclass(frozen=True)
class Mark:
    x: float
    title: str
    due: date
    state: str  # done, late, open
    colour: str


def timeline(
    start: date, end: date, milestones: list[dict[str, Any]], width: int = 600
) -> list[Mark]:
    """Milestones placed along the plan's period (which contains them: services check it)."""
    span = max((end - start).days, 1)
    marks = []
    for m in milestones:
        state = "done" if m["done_at"] else "late" if m["late"] else "open"
        x = round(width * (m["due_date"] - start).days / span, 2)
        marks.append(Mark(x, m["title"], m["due_date"], state, MARK_COLOURS[state]))
    return marks
