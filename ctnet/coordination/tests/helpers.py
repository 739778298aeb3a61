"""Shared payloads and makers of the coordination tests."""

from __future__ import annotations

from datetime import date
from typing import Any

PERIOD = {"period_start": "2025-01-01", "period_end": "2027-12-31"}


def commitment_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Advance passenger information for all international flights",
        "description": "Connect the border police to every airline's API feed.",
        "pillar": "II",
        "references": [{"code": "UNSCR-2396", "paragraph": "11"}],
        "free_references": ["CTED assessment 2024, recommendation 3"],
        "milestones": [
            {"title": "Law adopted", "due_date": "2025-06-30", "responsible": ["FRA"]},
            {
                "title": "Single window running",
                "due_date": "2026-06-30",
                "responsible": ["UNOCT"],
                "responsible_office": "Ministry of Interior, border police",
            },
        ],
    }
    data.update(over)
    return data


def plan_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "National counter-terrorism action plan 2025-2027",
        "summary": "Borders, financing and returning fighters.",
        "focus": "ct",
        "visibility": "network",
        "pillars": ["II", "IV"],
        **PERIOD,
        "commitments": [commitment_data()],
    }
    data.update(over)
    return data


def today_in_period() -> date:
    return date(2026, 1, 15)
