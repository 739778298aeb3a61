"""The engine's front door: a watchlist or a passenger list as bytes, its format told by content.

An uploaded file's name and type prove nothing, so the first bytes decide: a UN Security
Council Consolidated List (XML) or a CSV watchlist, either of them gzipped (the UN list is
shipped as ``.xml.gz`` in ``ctnet/screening/data/``); a UN/EDIFACT PAXLST interchange or a CSV
passenger list. Everything is parsed in memory, so the platform never writes an upload to disk;
the command line (``ctnet screen``) reads its files and comes through here too. Errors are
``WatchlistFormatError`` naming ``name`` and, where known, the line (or PAXLST segment).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from ctnet.screening.engine import csvio, paxlst, unlist
from ctnet.screening.engine.model import BadRow, Traveller, WatchlistEntry, WatchlistFormatError

# Formats, as ``WatchlistFile.format`` and ``PassengerFile.format`` name them.
UN_XML = "un_xml"
CSV = "csv"
PAXLST = "paxlst"

# How far into a file the format is judged (PAXLST needs its UNB and UNH).
HEAD_BYTES = 4096
# A gzipped watchlist is inflated in memory up to this size: far above any real list (the UN
# list is ~2 MB, a 1,000,000-entry CSV ~100 MB), low enough that a small "gzip bomb" cannot
# exhaust the memory of the process.
MAX_GUNZIPPED_BYTES = 1 << 30
GZIP_MAGIC = b"\x1f\x8b"
# The UN list carries the date of its edition on its root element.
_UN_EDITION = re.compile(rb'dateGenerated="([0-9T:\-.Z+]+)"')


class NotText(WatchlistFormatError):
    """A passenger list that is neither PAXLST nor UTF-8 text: nothing in it can be read."""


@dataclass(frozen=True)
class WatchlistFile:
    format: str  # UN_XML or CSV
    entries: list[WatchlistEntry]
    edition: str = ""  # the UN list's dateGenerated, "" for CSV


@dataclass(frozen=True)
class PassengerFile:
    format: str  # PAXLST or CSV
    travellers: list[Traveller]
    bad: list[BadRow]
    message: paxlst.PaxlstMessage | None = field(default=None)  # PAXLST: envelope and flight


def watchlist_format(head: bytes) -> str:
    """UN_XML for the UN list, and for any XML (so that a wrong XML file gets an XML error)."""
    if unlist.looks_like_un_xml(head) or head.lstrip().startswith(b"<"):
        return UN_XML
    return CSV


def gunzip(data: bytes, name: str, limit: int = MAX_GUNZIPPED_BYTES) -> bytes:
    """The content of a gzip file (told by its magic bytes, not its name); other bytes as they
    are. A damaged or oversized file raises ``WatchlistFormatError``."""
    if not data.startswith(GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise WatchlistFormatError(name, None, f"damaged gzip file: {exc}") from None
    if len(out) > limit:
        raise WatchlistFormatError(name, None, f"more than {limit} bytes once uncompressed")
    if not inflater.eof:
        raise WatchlistFormatError(name, None, "truncated gzip file")
    return out


def read_watchlist(data: bytes, name: str, *, include_entities: bool = True) -> WatchlistFile:
    """A whole watchlist, all or nothing: UN XML (entities included by default) or CSV
    ``id,name,aliases,dob,nationality``, plain or gzipped."""
    data = gunzip(data, name)
    head = data[:HEAD_BYTES]
    if watchlist_format(head) == CSV:
        return WatchlistFile(CSV, csvio.parse_watchlist_csv(data, name))
    entries = unlist.parse_un_list(data, name, include_entities=include_entities)
    found = _UN_EDITION.search(head)
    return WatchlistFile(UN_XML, entries, found.group(1).decode()[:40] if found else "")


def read_passengers(data: bytes, name: str) -> PassengerFile:
    """A passenger list: PAXLST or CSV ``id,name,dob,nationality,document``. Bad passengers are
    returned as ``BadRow``s; a damaged envelope or header raises (nothing in it is trusted)."""
    if paxlst.looks_like_paxlst(data[:HEAD_BYTES]):
        message = paxlst.parse_paxlst(data, source=name)
        return PassengerFile(PAXLST, list(message.travellers), list(message.bad), message)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotText(name, None, "neither a PAXLST message nor UTF-8 text") from None
    travellers, bad = csvio.load_travellers_text(text, name)
    return PassengerFile(CSV, travellers, bad)
