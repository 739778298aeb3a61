"""Bulk import of practices from JSON Lines: all lines or none.

One practice per line: title, summary, body, language, origin (ISO3 or entity code), themes;
optional: regions, period_start, period_end, outcomes, contact_reference, tlp, recipients.
Every line is checked before anything is written, and every bad line is reported with its
number; the writes then happen in one transaction, published at once (the secretariat imports
material that has been reviewed elsewhere, such as GCTF memoranda).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import Organisation, User
from ctnet.practices import services
from ctnet.practices.engine import embedder
from ctnet.practices.models import Practice, SearchIndexState
from ctnet.practices.policy import policy
from ctnet.practices.tasks import embedding_text, text_digest
from ctnet.practices.validation import PracticeData, clean_practice
from ctnet.practices.vocab import Status

REQUIRED = ("title", "summary", "body", "language", "origin", "themes")
MAX_LINES = 200_000


class ImportFailed(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"line {n}: {msg}" for n, msg in errors[:20]))


def _parse_line(text: str, origins: dict[str, Organisation]) -> tuple[PracticeData, Organisation]:
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(_("not valid JSON (%(err)s)") % {"err": exc.msg}) from None
    if not isinstance(raw, dict):
        raise ValidationError(_("a line must be a JSON object"))
    missing = [name for name in REQUIRED if raw.get(name) in (None, "", [])]
    if missing:
        raise ValidationError(_("missing field(s): %(names)s") % {"names": ", ".join(missing)})
    origin = origins.get(str(raw["origin"]).upper())
    if origin is None:
        raise ValidationError(_("unknown origin %(code)r") % {"code": raw["origin"]})
    data = clean_practice(raw)
    unknown = [code for code in data.recipient_codes if code not in origins]
    if unknown:
        raise ValidationError(_("unknown recipient(s): %(codes)s") % {"codes": ", ".join(unknown)})
    return data, origin


def parse_lines(lines: Iterable[str]) -> list[tuple[int, PracticeData, Organisation]]:
    """Every line checked; ImportFailed listing each bad line when any is bad."""
    origins = {o.code: o for o in Organisation.objects.filter(is_active=True)}
    parsed, errors = [], []
    for number, line in enumerate(lines, start=1):
        if number > MAX_LINES:
            errors.append((number, _("too many lines (at most %(n)d)") % {"n": MAX_LINES}))
            break
        if not line.strip():
            continue
        try:
            data, origin = _parse_line(line, origins)
        except ValidationError as exc:
            errors.append((number, " ".join(exc.messages)))
        else:
            parsed.append((number, data, origin))
    if errors:
        raise ImportFailed(errors)
    return parsed


def import_practices(*, acting_user: User, lines: Iterable[str]) -> list[Practice]:
    if not policy.can_import_practices(acting_user):
        raise PermissionDenied(_("Only the secretariat imports practices."))
    parsed = parse_lines(lines)
    now = timezone.now()
    created = []
    with transaction.atomic():
        for _number, data, origin in parsed:
            practice = services.create_practice(acting_user=acting_user, data=data, origin=origin)
            Practice.objects.filter(pk=practice.pk).update(
                status=Status.PUBLISHED, published_at=now
            )
            practice.status, practice.published_at = Status.PUBLISHED, now
            created.append(practice)
        SearchIndexState.bump()
        audit.record("practice.import", actor=acting_user, detail={"count": len(created)})
    return created


def embed_pending(batch: int = 64) -> int:
    """Embed, in batches, every practice whose embedding is missing or out of date.

    The per-practice tasks would do the same one by one; a batch is several times faster, which
    matters after a bulk import. Returns how many practices were embedded.
    """
    done = 0
    last_id = 0
    while True:
        rows = list(Practice.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not rows:
            break
        last_id = rows[-1].pk
        texts = [embedding_text(p) for p in rows]
        stale = [
            (p, t)
            for p, t in zip(rows, texts, strict=True)
            if p.embedding is None or p.embedding_digest != text_digest(t)
        ]
        if not stale:
            continue
        vectors: np.ndarray = embedder.encode([t for _p, t in stale])
        with transaction.atomic():
            for (p, t), vector in zip(stale, vectors, strict=True):
                Practice.objects.filter(pk=p.pk).update(
                    embedding=embedder.to_bytes(vector), embedding_digest=text_digest(t)
                )
            SearchIndexState.bump()
        done += len(stale)
    return done
