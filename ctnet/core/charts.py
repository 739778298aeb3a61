"""Small bar charts drawn on the server as SVG: no JavaScript, a few hundred bytes on the wire.

A chart is horizontal bars, one row per label, each bar made of one or more series (stacked):
enough for "decisions per week", "answers against the deadline", "share of fresh entries per
region". The geometry is computed here and ``ctnet/chart.html`` writes it out as an ``<svg
role="img">`` with a ``<title>``, a legend, and the same numbers as a table for screen readers
and for copying. Right to left, rows grow from the right edge and labels stand on the right:
the mirroring is done in the coordinates, so text is never drawn mirrored.

Hand-written on purpose: the chart libraries that render SVG on the server draw far more than
this needs (axes, fonts, styles inline, which the site's CSP refuses), and one file of
arithmetic is easier to keep accessible and right to left than a library's templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils import formats
from django.utils.functional import Promise

# The drawing's own units (the SVG scales to the page's width through its viewBox).
WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PAD = 6
# Series take the site's chart colours in order (``.chart .s0`` ... in site.css).
MAX_SERIES = 6

_ids = count(1)


@dataclass(frozen=True)
class Series:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Row:
    label: str | Promise
    values: tuple[float, ...]  # one per series, in the order of the chart's series
    text: str = ""  # what stands at the bar's end; the sum, formatted, when blank


@dataclass(frozen=True)
class Rect:
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True)
class DrawnRow:
    label: str | Promise
    label_x: float
    text: str
    text_x: float
    y: float
    text_y: float
    rects: tuple[Rect, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str | Promise
    summary: str | Promise
    series: tuple[tuple[str, str | Promise], ...]  # (css class, label) for the legend
    rows: tuple[DrawnRow, ...]
    width: int
    height: int
    # The SVG takes the page's direction, so its anchors are logical like the CSS: a label ends
    # at the bars' edge (text-anchor "end"), a value starts past its bar's end ("start").
    rtl: bool
    unit: str | Promise


def _number(value: float) -> str:
    as_int = int(value)
    return formats.number_format(as_int if as_int == value else round(value, 1), use_l10n=True)


def bar_chart(
    title: str | Promise,
    series: Sequence[Series],
    rows: Sequence[Row],
    *,
    summary: str | Promise = "",
    maximum: float | None = None,
    unit: str | Promise = "",
    rtl: bool = False,
) -> Chart:
    """The geometry of a horizontal (stacked) bar chart. ``maximum`` fixes the scale (100 for
    shares); by default the longest row fills the width."""
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"a chart has 1 to {MAX_SERIES} series, not {len(series)}")
    if any(len(row.values) != len(series) for row in rows):
        raise ValueError("every row has one value per series")
    if any(v < 0 for row in rows for v in row.values):
        raise ValueError("bars are counts or shares: no negative value")
    top = maximum or max((sum(row.values) for row in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PAD
    drawn = []
    for i, row in enumerate(rows):
        y = PAD + i * ROW_HEIGHT
        start = float(LABEL_WIDTH + PAD)
        rects = []
        for s, (serie, value) in enumerate(zip(series, row.values, strict=True)):
            width = span * min(value, top) / top
            if width > 0:
                x = WIDTH - start - width if rtl else start
                tip = f"{serie.label}: {_number(value)}"
                rects.append(Rect(round(x, 1), round(width, 1), f"s{s}", tip))
            start += width
        end = start + PAD
        text = row.text or _number(sum(row.values))
        drawn.append(
            DrawnRow(
                label=row.label,
                label_x=WIDTH - LABEL_WIDTH if rtl else LABEL_WIDTH,
                text=text,
                text_x=round(WIDTH - end if rtl else end, 1),
                y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                text_y=y + ROW_HEIGHT / 2 + 4,
                rects=tuple(rects),
                cells=tuple(_number(v) for v in row.values),
            )
        )
    return Chart(
        id=f"chart-{next(_ids)}",
        title=title,
        summary=summary,
        series=tuple((f"s{i}", s.label) for i, s in enumerate(series)),
        rows=tuple(drawn),
        width=WIDTH,
        height=2 * PAD + max(len(rows), 1) * ROW_HEIGHT,
        rtl=rtl,
        unit=unit,
    )
