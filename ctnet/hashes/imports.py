"""Import of hashes exported by the threatexchange command line or HMA into a bank (issue 19).

All or nothing: every line is checked first, each refusal names its line, and only a file
without one is written, in one transaction with one audit row. The formats, told apart by their
first line:

- ``threatexchange dataset --print-signals --csv``: a header ``signal_type,signal_str,...``, then
  one row per signal (its ``category`` and ``tags`` columns are threatexchange's, not ctnet's
  labels, and are not kept);
- ``threatexchange dataset --print-signals [--print-signals-only]``, and the CLI's ``local_file``
  collaborations: ``SIGNAL_TYPE SIGNAL [anything else]`` per line;
- JSON lines, each an HMA bank content item (``{"id": 3, "signals": {"pdq": "..."}}``, as HMA's
  ``GET /c/bank/NAME/content/ID?include_signals=true`` answers) or an HMA signal body
  (``{"pdq": "..."}``, as ``POST /c/bank/NAME/signal`` takes).

Signal type names are threatexchange's, mapped to ctnet's (``threatexchange_ext.names``). Blank
lines and ``#`` comments are skipped. The labels (category, entity) and the legal basis are the
importer's, one set for the file: exports do not carry ctnet's labels.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.hashes.models import Bank, Signal, SignalStatus
from ctnet.hashes.policy import policy
from ctnet.hashes.services import _clean_signal, _refuse_h2_copy, _touch
from ctnet.hashes.threatexchange_ext.names import FROM_THREATEXCHANGE

#: Most signals one file may bring: a bank grows by files of this size, each one transaction.
MAX_IMPORT_ROWS = 10_000
#: Largest file taken (API and page): 10,000 hashes in the longest format (JSON lines) fit.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
#: Most refusals listed; the first ones are enough to fix a file generated the wrong way.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ExportRow:
    line: int
    signal_type: str  # as the file names it
    value: str


def _problem(line: int, message: str) -> str:
    # "line N:" stays as it is in every language, so that a tool can read where; the message
    # after it is in the importer's language.
    return f"line {line}: {message}"


def parse_export(text: str) -> tuple[str, list[ExportRow], list[str]]:
    """(format, rows, problems) of an export; structure only, the values are checked later."""
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.lower().startswith("signal_type,"):
        return ("threatexchange-csv", *_parse_csv(text))
    if first.startswith("{"):
        return ("hma-jsonl", *_parse_jsonl(lines))
    return ("threatexchange-lines", *_parse_lines(lines))


def _parse_csv(text: str) -> tuple[list[ExportRow], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    if "signal_str" not in (reader.fieldnames or []):
        return [], [_problem(1, _("a threatexchange CSV needs a signal_str column."))]
    rows = []
    for record in reader:
        line = reader.line_num
        kind, value = (record.get("signal_type") or "").strip(), (record.get("signal_str") or "")
        if kind or value.strip():
            rows.append(ExportRow(line, kind, value.strip()))
    return rows, []


def _parse_lines(lines: list[str]) -> tuple[list[ExportRow], list[str]]:
    rows, problems = [], []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split(maxsplit=2)
        if len(parts) < 2:
            problems.append(_problem(number, _("expected a signal type and a hash.")))
            continue
        rows.append(ExportRow(number, parts[0], parts[1]))
    return rows, problems


def _parse_jsonl(lines: list[str]) -> tuple[list[ExportRow], list[str]]:
    rows, problems = [], []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError:
            problems.append(_problem(number, _("not a JSON object.")))
            continue
        signals = item.get("signals", item) if isinstance(item, dict) else None
        if not isinstance(signals, dict):
            problems.append(_problem(number, _("expected an object of signals.")))
            continue
        found = [(k, v) for k, v in signals.items() if k not in ("id", "note", "metadata")]
        if not found or not all(isinstance(v, str) for _k, v in found):
            problems.append(_problem(number, _("expected signal types with their hashes.")))
            continue
        rows += [ExportRow(number, kind, value) for kind, value in found]
    return rows, problems


def _checked(
    user: User, bank: Bank, rows: list[ExportRow], category: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """Each row as ctnet's (type, value), or the refusals by line (nothing else written)."""
    checked, problems = [], []
    seen: dict[tuple[str, str], int] = {}
    held = set(Signal.objects.filter(bank=bank).values_list("signal_type", "value"))
    for row in rows:
        kind = FROM_THREATEXCHANGE.get(row.signal_type.strip().lower())
        if kind is None:
            problems.append(
                _problem(row.line, _("unknown signal type %(t)s.") % {"t": row.signal_type[:40]})
            )
            continue
        try:
            kind, value, _quality = _clean_signal(kind, row.value, None, category)
            _refuse_h2_copy(user, bank, kind, value)
        except ValidationError as exc:
            problems.append(_problem(row.line, " ".join(exc.messages)))
            continue
        if (kind, value) in seen:
            message = _("the same hash as line %(line)d.") % {"line": seen[kind, value]}
            problems.append(_problem(row.line, message))
        elif (kind, value) in held:
            problems.append(_problem(row.line, _("This hash is already in this bank.")))
        else:
            seen[kind, value] = row.line
            checked.append((kind, value))
    return checked, problems


def import_signals(
    *,
    acting_user: User,
    bank: Bank,
    text: str,
    category: str,
    legal_basis: str,
    entity: str = "",
) -> list[Signal]:
    """Contribute every hash of an export to ``bank``, or none (``ValidationError`` by line)."""
    if not policy.can_contribute_hashes(acting_user):
        raise PermissionDenied(_("Your role may not contribute hashes."))
    if not bank.is_open:
        raise ValidationError(_("This bank is closed to new signals."))
    if not legal_basis.strip():
        raise ValidationError(_("Say on what legal basis this hash is shared."))
    fmt, rows, problems = parse_export(text)
    if not rows and not problems:
        raise ValidationError(_("The file holds no hashes."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("The file holds %(n)d hashes; at most %(max)d at a time.")
            % {"n": len(rows), "max": MAX_IMPORT_ROWS}
        )
    checked, refused = _checked(acting_user, bank, rows, category)
    problems += refused
    if problems:
        raise ValidationError(sorted(problems, key=_line_of)[:MAX_PROBLEMS])
    return _write(acting_user, bank, checked, category, legal_basis, entity, fmt)


def _line_of(problem: str) -> int:
    digits = "".join(c for c in problem.split(":", 1)[0] if c.isdigit())
    return int(digits or 0)


def _write(
    user: User,
    bank: Bank,
    checked: list[tuple[str, str]],
    category: str,
    legal_basis: str,
    entity: str,
    fmt: str,
) -> list[Signal]:
    quick = not bank.requires_confirmation
    status = SignalStatus.ACTIVE if quick else SignalStatus.PENDING
    now = timezone.now()
    org = acting_org(user)
    try:
        with transaction.atomic():
            signals = Signal.objects.bulk_create(
                Signal(
                    bank=bank,
                    signal_type=kind,
                    value=value,
                    contributor=org,
                    contributed_by=user,
                    legal_basis=legal_basis.strip(),
                    category=category,
                    entity=entity.strip(),
                    incident=bank.incident,
                    status=status,
                    shared_at=now if quick else None,
                )
                for kind, value in checked
            )
            _touch(signals, [])
            audit.record(
                "hashes.signal.import",
                actor=user,
                obj=bank,
                detail={"format": fmt, "count": len(signals), "status": status},
            )
    except IntegrityError:
        # Another contribution of one of these hashes committed between the check and now.
        raise ValidationError(_("This hash is already in this bank.")) from None
    return signals
