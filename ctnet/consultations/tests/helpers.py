"""What the consultation tests share: a consultation as the unit would open it."""

from __future__ import annotations

from typing import Any


def consultation_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "National action plan on preventing violent extremism",
        "description": "Views of civil society on the draft plan.",
        "subject_kind": "action_plan",
        "subject": "Draft national action plan 2027-2030",
        "subject_link": "https://example.org/plan",
        "audience": "all_csos",
        "languages": ["ar", "en", "fr"],
        "mode": "anonymous",
        "at_risk": False,
        "questions": [
            {"kind": "text", "text": "What should the plan change?", "required": True},
            {"kind": "single", "text": "Is the plan clear?", "choices": ["Yes", "No"]},
            {
                "kind": "multiple",
                "text": "Which parts?",
                "choices": ["Schools", "Prisons", "Online"],
            },
            {"kind": "statement", "text": "Young people should be consulted every year."},
        ],
    }
    data.update(over)
    return data
