"""Reference organisations: the 193 UN member states and the international entities.

The CSV files under ``core/data`` are facts (ISO codes, UN regional groups, official names in the
six UN languages); loading them is idempotent so that upgrades can add or rename entries.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from ctnet.core import audit
from ctnet.core.models import Organisation, OrgKind

DATA = Path(__file__).resolve().parent / "data"
LANGS = ("en", "fr", "es", "ru", "zh", "ar")


def _names(row: dict[str, str]) -> dict[str, str]:
    return {lang: row[f"name_{lang}"].strip() for lang in LANGS if row.get(f"name_{lang}")}


def _upsert(code: str, kind: str, names: dict[str, str], **extra: str) -> bool:
    org, created = Organisation.objects.get_or_create(
        code=code, defaults={"kind": kind, "names": names, **extra}
    )
    if not created and (org.names != names or any(getattr(org, k) != v for k, v in extra.items())):
        org.names = names
        for key, value in extra.items():
            setattr(org, key, value)
        org.save()
    return created


@transaction.atomic
def load_reference_organisations() -> int:
    """Create or update the reference organisations; returns how many were created."""
    created = 0
    with open(DATA / "member_states.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            created += _upsert(
                row["iso3"].strip().upper(),
                OrgKind.MEMBER_STATE,
                _names(row),
                un_group=row["un_group"].strip(),
            )
    with open(DATA / "entities.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            created += _upsert(
                row["code"].strip().upper(),
                row["kind"].strip(),
                _names(row),
                website=row.get("website", "").strip(),
            )
    if created:
        audit.record("reference.load", detail={"created": created})
    return created
