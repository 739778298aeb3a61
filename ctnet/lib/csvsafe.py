"""CSV cells a spreadsheet cannot run (CSV or "formula" injection, OWASP).

Free of Django, so any app (and any engine) can use it. A spreadsheet reads a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can hide such a
start from a quick look; ``+1+HYPERLINK(...)`` and ``-2+3+cmd|...`` run as surely as ``=cmd()``.
Every such cell is prefixed with an apostrophe, which spreadsheets show as text. No exception is
made for phone numbers: ``+33 1 23`` and ``+1-2`` look alike to the parser, and a visible
apostrophe before a phone number costs less than a formula that runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# The first characters that make a spreadsheet evaluate (or hide) a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[str]:
    return [safe_cell(v) for v in values]


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (RFC 4180 quoting by the csv module) with every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue()
