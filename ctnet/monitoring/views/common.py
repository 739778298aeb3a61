"""What the monitoring pages share: the role check on their face, the chart rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ctnet.core.decorators import require_role_check

from ..policy import policy

monitoring_required = require_role_check(policy.can_use_monitoring)

# The bar chart's drawing: width of the label column and of the bars, in SVG user units.
CHART_LABEL = 260
CHART_BAR = 400
CHART_ROW = 22


def chart(rows: list[tuple[str, Decimal | None]]) -> dict[str, Any]:
    """Horizontal bars of progress (0..100 %, over 100 drawn to the edge and labelled)."""
    bars = []
    for i, (label, value) in enumerate(rows):
        pct = None if value is None else round(value * 100)
        width = 0 if pct is None else min(pct, 100) * CHART_BAR // 100
        bars.append({"label": label[:40], "pct": pct, "width": width, "y": i * CHART_ROW})
    return {
        "bars": bars,
        "height": max(1, len(bars)) * CHART_ROW + 24,
        "label_w": CHART_LABEL,
        "bar_w": CHART_BAR,
        "width": CHART_LABEL + CHART_BAR + 60,
        "axis_y": len(bars) * CHART_ROW + 4,
        "mark_80": CHART_LABEL + CHART_BAR * 80 // 100,
        "end": CHART_LABEL + CHART_BAR,
    }
