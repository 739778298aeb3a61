"""Demo practices for ``ctnet demo``: 48 practices in the six languages, across all pillars.

Written for this project from public good-practice documents (GCTF memoranda, UNODC and UNOCT
handbooks, FATF recommendations); the figures in them are illustrative. Loading is idempotent:
a practice whose title is already in the library is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from ctnet.core.models import Role, User
from ctnet.practices.importer import embed_pending, import_practices
from ctnet.practices.models import Practice

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_practices.jsonl"


def demo_lines() -> list[str]:
    return [line for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_practices_demo(acting_user: User | None = None) -> int:
    """Import the demo practices not yet present, embed them; returns how many were added."""
    user = acting_user or (
        User.objects.filter(membership__role=Role.SECRETARIAT, membership__is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        return 0
    existing = set(Practice.objects.values_list("title", flat=True))
    missing = [line for line in demo_lines() if json.loads(line)["title"] not in existing]
    if not missing:
        return 0
    created = import_practices(acting_user=user, lines=missing)
    embed_pending()
    return len(created)
