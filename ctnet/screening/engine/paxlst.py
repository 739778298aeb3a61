"""UN/EDIFACT PAXLST (Advance Passenger Information) passenger and crew lists.

Airlines send API to border authorities as PAXLST interchanges laid down by the WCO/IATA/ICAO
API Guidelines (directories D02B / D05B). This module reads one interchange into the engine's
`Traveller` records, with the same split as `csvio.load_travellers_csv`:

* a damaged *envelope* (no UNB/UNH, a UNT/UNE/UNZ count that does not add up, not a PAXLST,
  an unterminated interchange, bytes that are not in the declared character set) raises
  `WatchlistFormatError`: a truncated or garbled transmission may have lost passengers, so
  nothing from it is trusted;
* a damaged *passenger* (impossible date of birth, no surname, unknown country code) becomes a
  `BadRow` for a person to look at while every other passenger is still screened.

Positions are **segment numbers**: 1-based, counted from the first segment of the file, the UNA
service string advice included when present. With the usual one-segment-per-line layout that is
also the line number an editor shows.

Tokenising is written here rather than taken from pydifact (0.2.3, the only maintained PyPI
EDIFACT reader): it treats a space in the UNA release position, which ISO 9735 defines as "no
release character", as a release character and silently drops the spaces from names
("VAN DER BERG" -> "VANDERBERG"), and its character-by-character tokenizer alone takes about
100 ms for a 500-passenger message. EDIFACT syntax is small enough that a correct tokenizer is
shorter than the adapter around a library would be. No library knows PAXLST semantics (which
segment group is a passenger, which qualifier is a date of birth), so that mapping is hand-written
in any case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pycountry

from ctnet.screening.engine.countries import is_iso3
from ctnet.screening.engine.model import (
    BadRow,
    DateOfBirth,
    DobKind,
    Traveller,
    WatchlistFormatError,
)

# --------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True, slots=True)
class Separators:
    """The service characters of ISO 9735 (UNA). `release` None means no release character."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    terminator: str = "'"

    def una(self) -> str:
        return (
            f"UNA{self.component}{self.element}{self.decimal}{self.release or ' '} "
            f"{self.terminator}"
        )


DEFAULT_SEPARATORS = Separators()


@dataclass(frozen=True, slots=True)
class Flight:
    """TDT+20 and its LOC/DTM group. Times are the airports' local times, as PAXLST sends them
    (no zone is transmitted), hence naive datetimes."""

    number: str  # conveyance reference as sent, carrier code included ("UA123")
    carrier: str = ""
    departure_airport: str = ""  # LOC+125
    departure_time: dt.datetime | None = None  # DTM+189
    arrival_airport: str = ""  # LOC+87
    arrival_time: dt.datetime | None = None  # DTM+232

    @property
    def flight_number(self) -> str:
        """Alias of `number` under the name the upload view reports."""
        return self.number


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """Segment group 5: DOC with its DTM+36 expiry and LOC+91 issuing country."""

    number: str
    type: str = "P"  # DOC 1001: P passport, V visa, I/A/C/IP identity cards, ...
    expiry: dt.date | None = None
    issuing_country: str | None = None  # ISO alpha-3


@dataclass(frozen=True, slots=True)
class PaxlstParty:
    """One segment group 4 (a passenger or crew member) with what screening does not use."""

    traveller: Traveller
    surname: str
    given_names: tuple[str, ...] = ()
    role: str = "FL"  # NAD 3035: FL passenger, FM crew, DDT/DDU in transit passenger/crew
    gender: str | None = None  # ATT+2: M, F, U or X
    documents: tuple[TravelDocument, ...] = ()
    reservation: str | None = None  # RFF+AVF, the booking (PNR) locator, shared by a booking
    passenger_reference: str | None = None  # RFF+ABO, the carrier's unique passenger reference
    embarkation: str | None = None  # LOC+178
    debarkation: str | None = None  # LOC+179
    segment: int | None = None  # segment number of the NAD when read from a file

    @property
    def is_crew(self) -> bool:
        return self.role in CREW_ROLES


@dataclass(slots=True)
class PaxlstMessage:
    source: str
    syntax_identifier: str  # UNB S001, e.g. "UNOC"
    sender: str
    recipient: str
    interchange_reference: str
    prepared_at: dt.datetime | None
    message_reference: str  # UNH 0062 of the (first) message
    document_code: str  # BGM 1001: 745 passenger list, 250 crew list
    flight: Flight
    parties: list[PaxlstParty] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)  # parties' travellers, in order
    bad: list[BadRow] = field(default_factory=list)

    @property
    def is_crew_list(self) -> bool:
        return self.document_code == CREW_LIST

    @property
    def list_kind(self) -> str:
        """ "crew" for BGM+250, else "passengers" (745 and the codes some states add)."""
        return "crew" if self.is_crew_list else "passengers"

    @property
    def reference(self) -> str:
        """Alias of `message_reference`, the name the upload view reports."""
        return self.message_reference


PASSENGER_LIST = "745"
CREW_LIST = "250"
CREW_ROLES = frozenset({"FM", "DDU"})

# --------------------------------------------------------------------------------------------
# Character sets
#
# UNB S001 names the repertoire of the whole interchange; UNA and UNB themselves are always in
# level A, so they can be read before the rest is decoded. Latin levels are ISO 8859 parts
# (UNOC = ISO 8859-1, the usual choice for European names with diacritics); UNOY and UNOW are
# ISO 10646 and are sent as UTF-8 in practice. UNOA/UNOB are 7-bit: a byte above 0x7F under them
# is a sender error we refuse rather than guess, since a wrong guess changes the names screened.
ENCODINGS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso-8859-1",
    "UNOD": "iso-8859-2",
    "UNOE": "iso-8859-5",
    "UNOF": "iso-8859-7",
    "UNOG": "iso-8859-3",
    "UNOH": "iso-8859-4",
    "UNOI": "iso-8859-6",
    "UNOJ": "iso-8859-8",
    "UNOK": "iso-8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
# Level A: upper-case letters, digits, space and these marks (ISO 9735 annex).
_LEVEL_A = re.compile(r"[A-Z0-9 .,\-()/='+:?!\"%&*;<>]*")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_BOM = b"\xef\xbb\xbf"


def paxlst_encoding(syntax_identifier: str) -> str:
    """Python codec for a UNB syntax identifier; ValueError for one this reader does not know."""
    try:
        return ENCODINGS[syntax_identifier.upper()]
    except KeyError:
        raise ValueError(f"unsupported character set {syntax_identifier!r}") from None


# --------------------------------------------------------------------------------------------
# Detection


def _head_separators(text: str) -> tuple[Separators, str]:
    """(separators, text after UNA) for text that may start with a UNA service string advice."""
    if text.startswith("UNA") and len(text) >= 9:
        comp, elem, dec, rel, term = text[3], text[4], text[5], text[6], text[8]
        return Separators(comp, elem, dec, None if rel == " " else rel, term), text[9:]
    return DEFAULT_SEPARATORS, text


def looks_like_paxlst(head: bytes) -> bool:
    """True when the first bytes of a file are an EDIFACT interchange carrying a PAXLST.

    Judged by content (an upload's name and type say nothing reliable): optional UNA, then UNB,
    then a UNH whose message type is PAXLST somewhere in `head` (pass a few KiB).
    """
    text = head.removeprefix(_BOM).decode("latin-1").lstrip()
    seps, rest = _head_separators(text)
    if not rest.lstrip().startswith("UNB" + seps.element):
        return False
    e, c, t = (re.escape(x) for x in (seps.element, seps.component, seps.terminator))
    return re.search(f"UNH{e}[^{t}]*?{e}PAXLST{c}", rest) is not None


# --------------------------------------------------------------------------------------------
# Tokenising


Segment = tuple[int, str, list[list[str]]]  # (segment number, tag, elements of components)


def _split_released(text: str, sep: str, release: str) -> list[str]:
    """Split on `sep` except where released: a separator preceded by an odd run of releases."""
    parts: list[str] = []
    start = 0
    pos = text.find(sep)
    while pos != -1:
        run = 0
        k = pos - 1
        while k >= start and text[k] == release:
            run += 1
            k -= 1
        if run % 2 == 0:
            parts.append(text[start:pos])
            start = pos + 1
        pos = text.find(sep, pos + 1)
    parts.append(text[start:])
    return parts


def _tokenise(body: str, seps: Separators, first: int, source: str) -> list[Segment]:
    """Cut `body` (the interchange after UNA) into numbered segments starting at `first`."""
    rel = seps.release
    released = rel is not None and rel in body
    raw = (
        _split_released(body, seps.terminator, rel)
        if released and rel
        else body.split(seps.terminator)
    )
    tail = raw.pop()
    # Line breaks between segments are common and not data (unless one *is* a separator).
    strip = "".join(ch for ch in "\r\n\t " if ch not in (seps.element, seps.component))
    if tail.strip(strip):
        raise WatchlistFormatError(
            source,
            first + len(raw),
            "unterminated interchange: text after the last segment terminator "
            f"({tail.strip()[:30]!r}); the transmission looks cut off",
        )
    unescape = re.compile(re.escape(rel) + "(.)", re.DOTALL) if released and rel else None
    segments: list[Segment] = []
    for number, seg in enumerate(raw, start=first):
        seg = seg.lstrip(strip)
        if unescape is not None and rel is not None and rel in seg:
            elements = [
                [unescape.sub(r"\1", c) for c in _split_released(e, seps.component, rel)]
                for e in _split_released(seg, seps.element, rel)
            ]
        else:
            elements = [e.split(seps.component) for e in seg.split(seps.element)]
        tag = elements[0][0]
        if not _TAG.fullmatch(tag):
            raise WatchlistFormatError(
                source, number, f"segment does not start with a segment tag: {seg[:30]!r}"
            )
        segments.append((number, tag, elements[1:]))
    return segments


def _get(elements: list[list[str]], i: int, j: int = 0) -> str:
    """Component j of element i ('' when absent), as EDIFACT omits trailing empty parts."""
    if i < len(elements) and j < len(elements[i]):
        return elements[i][j]
    return ""


# --------------------------------------------------------------------------------------------
# Values


# ICAO Doc 9303 codes that are not ISO 3166 but appear in passports and so in API data.
_ICAO_COUNTRIES: dict[str, str | None] = {
    "D": "DEU",  # Germany writes a single letter in the MRZ
    "GBD": "GBR",  # British Overseas Territories citizen
    "GBN": "GBR",  # British National (Overseas)
    "GBO": "GBR",  # British Overseas citizen
    "GBP": "GBR",  # British protected person
    "GBS": "GBR",  # British subject
    "RKS": "XKX",  # Kosovo, as some issuers write it
    "UNK": "XKX",  # resident of Kosovo, UNMIK travel document
    # Documents of no state: valid, but no nationality to compare with a list entry.
    "XXA": None,  # stateless person
    "XXB": None,  # refugee (1951 convention)
    "XXC": None,  # refugee (other)
    "XXX": None,  # unspecified nationality
    "UNO": None,  # United Nations official
    "UNA": None,  # United Nations specialised agency
    "EUE": None,  # European Union laissez-passer
    "XOM": None,  # Sovereign Military Order of Malta
    "XPO": None,  # Interpol
}


@lru_cache(maxsize=1024)
def country_code(text: str) -> str | None:
    """ISO alpha-3 for an alpha-3, alpha-2 or ICAO 9303 code; None for none/stateless.

    ValueError for anything else, so that a typo does not pass for "no nationality".
    """
    code = text.strip().upper().rstrip("<")
    if not code:
        return None
    if code in _ICAO_COUNTRIES:
        return _ICAO_COUNTRIES[code]
    if len(code) == 3 and is_iso3(code):
        return code
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            return str(country.alpha_3)
    raise ValueError(f"unknown country code {text!r}")


def birth_date(text: str, fmt: str, reference: dt.date) -> DateOfBirth:
    """DTM+329. YYMMDD per the guidelines; CCYYMMDD (102) and CCYY (602) also accepted.

    Century rule for YYMMDD: the 21st century unless that date would lie after `reference`,
    then the 20th (nobody is born in the future; centenarians are read 100 years too young,
    as every PAXLST receiver must).
    """
    text = text.strip()
    if not text.isdigit():
        raise ValueError(f"date of birth {text!r} is not numeric")
    if fmt == "602" and len(text) == 4:
        return DateOfBirth.year(int(text))
    if len(text) == 8:
        return DateOfBirth.exact(_date(int(text[:4]), text[4:], "date of birth", text))
    if len(text) != 6:
        raise ValueError(f"date of birth {text!r} is not YYMMDD")
    born = _date(2000 + int(text[:2]), text[2:], "date of birth", text)
    if born > reference:
        born = _date(1900 + int(text[:2]), text[2:], "date of birth", text)
    return DateOfBirth.exact(born)


def _date(year: int, mmdd: str, what: str, text: str) -> dt.date:
    try:
        return dt.date(year, int(mmdd[:2]), int(mmdd[2:4]))
    except ValueError:
        raise ValueError(f"impossible {what} {text!r}") from None


def _window_year(yy: int, reference: dt.date) -> int:
    """Two-digit years of expiry and flight dates lie around now: 20YY unless > 50 years ahead."""
    year = 2000 + yy
    return year - 100 if year > reference.year + 50 else year


def _expiry(text: str, reference: dt.date) -> dt.date:
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return _date(int(text[:4]), text[4:], "document expiry date", text)
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"document expiry date {text!r} is not YYMMDD")
    return _date(_window_year(int(text[:2]), reference), text[2:], "document expiry date", text)


def _timestamp(text: str, reference: dt.date, what: str) -> dt.datetime:
    """201 YYMMDDHHMM, 203 CCYYMMDDHHMM, or a bare YYMMDD / CCYYMMDD date."""
    text = text.strip()
    if not text.isdigit() or len(text) not in (6, 8, 10, 12):
        raise ValueError(f"{what} {text!r} is not YYMMDD[HHMM] or CCYYMMDD[HHMM]")
    if len(text) in (6, 10):
        year, rest = _window_year(int(text[:2]), reference), text[2:]
    else:
        year, rest = int(text[:4]), text[4:]
    try:
        hour, minute = (int(rest[4:6]), int(rest[6:8])) if len(rest) == 8 else (0, 0)
        # PAXLST times carry no zone (airport local time), so a naive datetime is the truth.
        return dt.datetime(year, int(rest[:2]), int(rest[2:4]), hour, minute)  # noqa: DTZ001
    except ValueError:
        raise ValueError(f"impossible {what} {text!r}") from None


# --------------------------------------------------------------------------------------------
# Reading


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    raw = data.removeprefix(_BOM)
    head = raw[:600].decode("latin-1").lstrip()
    seps, rest = _head_separators(head)
    rest = rest.lstrip()
    if not rest.startswith("UNB" + seps.element):
        raise WatchlistFormatError(
            source, 1, "not an EDIFACT interchange: it must begin with UNA or UNB"
        )
    syntax = (
        rest[4:].split(seps.component, 1)[0].split(seps.element, 1)[0].split(seps.terminator, 1)[0]
    )
    try:
        codec = paxlst_encoding(syntax)
    except ValueError as exc:
        raise WatchlistFormatError(source, 2 if head.startswith("UNA") else 1, str(exc)) from None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].count(seps.terminator.encode("latin-1"))
        raise WatchlistFormatError(
            source,
            before + 1,
            f"byte 0x{raw[exc.start]:02X} at offset {exc.start} is not {codec} as UNB "
            f"declares ({syntax})",
        ) from None


def _int(text: str, what: str, source: str, number: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise WatchlistFormatError(source, number, f"{what} {text!r} is not a number") from None


@dataclass(slots=True)
class _Group:
    """Segment group 4 while it is being read."""

    nad: int
    role: str
    surname: str
    given: tuple[str, ...]
    gender: str | None = None
    dob: DateOfBirth | None = None
    nationality: str | None = None
    refs: dict[str, str] = field(default_factory=dict)
    embarkation: str | None = None
    debarkation: str | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


class _Reader:
    def __init__(self, source: str, reference: dt.date) -> None:
        self.source = source
        self.reference = reference
        self.parties: list[PaxlstParty] = []
        self.bad: list[BadRow] = []
        self.ids: set[str] = set()
        self.flight: Flight | None = None
        self.document_code = ""

    def fail(self, number: int, message: str) -> WatchlistFormatError:
        return WatchlistFormatError(self.source, number, message)

    # -- one message (UNH .. UNT exclusive) -----------------------------------------------

    def message(self, segments: list[Segment]) -> None:
        group: _Group | None = None
        seen_bgm = False
        flight = {"number": "", "carrier": ""}
        times: dict[str, dt.datetime | None] = {}
        places: dict[str, str] = {}
        counted: tuple[int, int] | None = None
        people = 0  # groups read, usable or not: what CNT counts
        for number, tag, el in segments:
            if tag == "BGM":
                seen_bgm = True
                self.document_code = self.document_code or _get(el, 0)
            elif tag == "TDT" and not flight["number"]:
                flight = {"number": _get(el, 1), "carrier": _get(el, 4)}
            elif tag == "NAD" and (flight["number"] or _get(el, 0) not in ("MS", "")):
                if group is not None:
                    self.finish(group)
                people += 1
                group = _Group(
                    number,
                    _get(el, 0),
                    _get(el, 3, 0).strip(),
                    tuple(n.strip() for n in el[3][1:5] if n.strip()) if len(el) > 3 else (),
                )
            elif tag == "CNT":
                total = _get(el, 0, 1)
                if total.isdigit():
                    counted = (number, int(total))
                else:
                    self.bad.append(BadRow(number, f"CNT total {total!r} is not a number"))
            elif group is None:
                self.flight_segment(number, tag, el, times, places)
            else:
                self.party_segment(group, number, tag, el)
        if group is not None:
            self.finish(group)
        if not seen_bgm:
            raise self.fail(segments[0][0] - 1, "PAXLST message has no BGM segment")
        if not flight["number"]:
            raise self.fail(segments[0][0] - 1, "PAXLST message has no TDT (flight) segment")
        carrier = flight["carrier"] or _carrier_of(flight["number"])
        this = Flight(
            number=flight["number"],
            carrier=carrier,
            departure_airport=places.get("125", ""),
            departure_time=times.get("189"),
            arrival_airport=places.get("87", ""),
            arrival_time=times.get("232"),
        )
        if self.flight is None:
            self.flight = this
        elif this.number != self.flight.number:
            raise self.fail(
                segments[0][0] - 1,
                f"interchange mixes flights {self.flight.number} and {this.number}",
            )
        if counted is not None and counted[1] != people:
            # Not fatal: UNT already proved the transmission whole; the carrier miscounted or
            # left people out, which a person must hear about.
            self.bad.append(
                BadRow(
                    counted[0],
                    f"CNT announces {counted[1]} people but the message lists {people}",
                )
            )

    def flight_segment(
        self,
        number: int,
        tag: str,
        el: list[list[str]],
        times: dict[str, dt.datetime | None],
        places: dict[str, str],
    ) -> None:
        qualifier = _get(el, 0)
        if tag == "LOC" and qualifier in ("125", "87") and qualifier not in places:
            places[qualifier] = _get(el, 1)
        elif tag == "DTM" and _get(el, 0, 0) in ("189", "232") and _get(el, 0, 0) not in times:
            what = "departure time" if _get(el, 0, 0) == "189" else "arrival time"
            try:
                times[_get(el, 0, 0)] = _timestamp(_get(el, 0, 1), self.reference, what)
            except ValueError as exc:
                times[_get(el, 0, 0)] = None
                self.bad.append(BadRow(number, f"flight: {exc}"))

    def party_segment(self, g: _Group, number: int, tag: str, el: list[list[str]]) -> None:
        qualifier = _get(el, 0)  # DTM's qualifier is the first component of its composite
        try:
            if tag == "ATT" and qualifier == "2":
                g.gender = _get(el, 2).strip().upper() or None
            elif tag == "DTM" and qualifier == "329":
                g.dob = birth_date(_get(el, 0, 1), _get(el, 0, 2), self.reference)
            elif tag == "NAT" and qualifier in ("2", ""):
                g.nationality = country_code(_get(el, 1))
            elif tag == "RFF":
                g.refs.setdefault(_get(el, 0, 0), _get(el, 0, 1).strip())
            elif tag == "DOC":
                g.documents.append(TravelDocument(_get(el, 1).strip(), _get(el, 0, 0).strip()))
            elif tag == "DTM" and qualifier == "36" and g.documents:
                expiry = _expiry(_get(el, 0, 1), self.reference)
                g.documents[-1] = replace(g.documents[-1], expiry=expiry)
            elif tag == "LOC" and qualifier == "91" and g.documents:
                issuer = country_code(_get(el, 1))
                g.documents[-1] = replace(g.documents[-1], issuing_country=issuer)
            elif tag == "LOC" and qualifier == "178":
                g.embarkation = _get(el, 1) or None
            elif tag == "LOC" and qualifier == "179":
                g.debarkation = _get(el, 1) or None
        except ValueError as exc:
            g.problems.append((number, f"{exc} ({tag}+{qualifier})"))

    def finish(self, g: _Group) -> None:
        if not g.surname:
            g.problems.insert(0, (g.nad, "no surname in the party name (NAD)"))
        who = " ".join((*g.given, g.surname)) or "unnamed party"
        if g.problems:
            where = g.problems[0][0]
            detail = "; ".join(f"segment {n}: {text}" for n, text in g.problems)
            self.bad.append(BadRow(where, f"{who} (NAD at segment {g.nad}): {detail}"))
            return
        reference = g.refs.get("ABO") or g.refs.get("AVF") or ""
        traveller_id = reference or f"seg{g.nad}"
        if traveller_id in self.ids:
            # A booking locator is shared by everyone on the booking; keep ids unique.
            traveller_id = f"{traveller_id}@seg{g.nad}"
        self.ids.add(traveller_id)
        document = next((d for d in g.documents if d.type != "V" and d.number), None)
        document = document or next((d for d in g.documents if d.number), None)
        traveller = Traveller(
            traveller_id=traveller_id,
            name=" ".join(" ".join((*g.given, g.surname)).split()),
            dob=g.dob,
            nationality=g.nationality,
            document=document.number if document else None,
        )
        self.parties.append(
            PaxlstParty(
                traveller=traveller,
                surname=g.surname,
                given_names=g.given,
                role=g.role,
                gender=g.gender,
                documents=tuple(g.documents),
                reservation=g.refs.get("AVF") or None,
                passenger_reference=g.refs.get("ABO") or None,
                embarkation=g.embarkation,
                debarkation=g.debarkation,
                segment=g.nad,
            )
        )


def _carrier_of(flight_number: str) -> str:
    """The airline designator heading a flight number: 2-character IATA or 3-letter ICAO."""
    match = re.match(r"([A-Z0-9]{2}[A-Z]?)(?=\d)", flight_number.upper())
    return match[1] if match else ""


def parse_paxlst(
    data: bytes | str, *, source: str = "PAXLST", reference_date: dt.date | None = None
) -> PaxlstMessage:
    """Read one PAXLST interchange (possibly several messages of one flight).

    `BadRow.line` and `WatchlistFormatError.line` are segment numbers (see the module docstring).
    `reference_date` (default: today, UTC) fixes the century of two-digit years.
    """
    reference = reference_date or dt.datetime.now(dt.UTC).date()
    text = _decode(data, source)
    leading = len(text) - len(text.lstrip())
    text = text[leading:]
    if text.startswith("UNA"):
        if len(text) < 9:
            raise WatchlistFormatError(source, 1, "UNA service string advice is cut short")
        seps, body = _head_separators(text)
        specials = [seps.component, seps.element, seps.terminator]
        if seps.release:
            specials.append(seps.release)
        if len(set(specials)) != len(specials) or any(c.isalnum() for c in specials):
            raise WatchlistFormatError(
                source, 1, f"UNA declares unusable service characters {text[3:9]!r}"
            )
        first = 2
    else:
        seps, body, first = DEFAULT_SEPARATORS, text, 1
    segments = _tokenise(body, seps, first, source)
    return _read_interchange(segments, seps, source, reference, first)


def _read_interchange(
    segments: list[Segment], seps: Separators, source: str, reference: dt.date, first: int
) -> PaxlstMessage:
    if not segments:
        raise WatchlistFormatError(source, first, "empty interchange: no UNB")
    number, tag, unb = segments[0]
    if tag != "UNB":
        raise WatchlistFormatError(source, number, f"interchange must start with UNB, not {tag}")
    reader = _Reader(source, reference)
    syntax = _get(unb, 0)
    if syntax.upper() not in ENCODINGS:
        raise WatchlistFormatError(source, number, f"unsupported character set {syntax!r}")
    control = _get(unb, 4)
    prepared: dt.datetime | None = None
    try:
        prepared = _timestamp(_get(unb, 3, 0) + _get(unb, 3, 1), reference, "preparation time")
    except ValueError as exc:
        reader.bad.append(BadRow(number, f"interchange header: {exc}"))

    message_refs: list[str] = []
    messages = groups = 0
    group: tuple[int, str] | None = None  # (messages in the open group, group reference)
    i = 1
    end: int | None = None
    while i < len(segments):
        number, tag, el = segments[i]
        if end is not None:
            raise WatchlistFormatError(source, number, f"segment {tag} after UNZ")
        if tag == "UNG":
            if group is not None:
                raise WatchlistFormatError(source, number, "UNG inside an open functional group")
            group = (0, _get(el, 4))
            groups += 1
        elif tag == "UNE":
            if group is None:
                raise WatchlistFormatError(source, number, "UNE without UNG")
            count = _int(_get(el, 0), "UNE message count", source, number)
            if count != group[0] or _get(el, 1) != group[1]:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNE says {count} messages in group {_get(el, 1)!r}, "
                    f"found {group[0]} in group {group[1]!r}",
                )
            group = None
        elif tag == "UNH":
            i = _read_message(segments, i, reader, source)
            message_refs.append(_get(el, 0))
            messages += 1
            if group is not None:
                group = (group[0] + 1, group[1])
        elif tag == "UNZ":
            if group is not None:
                raise WatchlistFormatError(source, number, "UNZ before the group's UNE")
            count = _int(_get(el, 0), "UNZ count", source, number)
            expected = groups or messages
            if count != expected:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNZ counts {count} {'groups' if groups else 'messages'}, found {expected}",
                )
            if _get(el, 1) != control:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNZ reference {_get(el, 1)!r} does not match UNB reference {control!r}",
                )
            end = number
        else:
            raise WatchlistFormatError(source, number, f"segment {tag} outside a message")
        i += 1
    if end is None:
        raise WatchlistFormatError(
            source,
            segments[-1][0] + 1,
            "unterminated interchange: no UNZ (the transmission looks cut off)",
        )
    if not messages or reader.flight is None:
        raise WatchlistFormatError(source, end, "interchange holds no PAXLST message")
    reader.bad.sort(key=lambda row: row.line)
    return PaxlstMessage(
        source=source,
        syntax_identifier=syntax.upper(),
        sender=_get(unb, 1),
        recipient=_get(unb, 2),
        interchange_reference=control,
        prepared_at=prepared,
        message_reference=message_refs[0],
        document_code=reader.document_code,
        flight=reader.flight,
        parties=reader.parties,
        travellers=[p.traveller for p in reader.parties],
        bad=reader.bad,
    )


def _read_message(segments: list[Segment], start: int, reader: _Reader, source: str) -> int:
    """Check UNH .. UNT at `start` and read its body; returns the index of the UNT."""
    number, _tag, unh = segments[start]
    if _get(unh, 1, 0) != "PAXLST":
        raise WatchlistFormatError(
            source, number, f"message type {_get(unh, 1, 0)!r} is not PAXLST"
        )
    for j in range(start + 1, len(segments)):
        n, tag, el = segments[j]
        if tag in ("UNH", "UNE", "UNZ", "UNG"):
            raise WatchlistFormatError(
                source, n, f"message {_get(unh, 0)!r} (UNH at segment {number}) has no UNT"
            )
        if tag == "UNT":
            count = _int(_get(el, 0), "UNT segment count", source, n)
            if count != j - start + 1:
                raise WatchlistFormatError(
                    source,
                    n,
                    f"UNT counts {count} segments but the message has {j - start + 1}: "
                    "segments were lost or added in transmission",
                )
            if _get(el, 1) != _get(unh, 0):
                raise WatchlistFormatError(
                    source,
                    n,
                    f"UNT reference {_get(el, 1)!r} does not match UNH {_get(unh, 0)!r}",
                )
            if j == start + 1:
                raise WatchlistFormatError(source, n, "empty PAXLST message")
            reader.message(segments[start + 1 : j])
            return j
    raise WatchlistFormatError(
        source,
        segments[-1][0] + 1,
        f"message {_get(unh, 0)!r} (UNH at segment {number}) has no UNT",
    )


# --------------------------------------------------------------------------------------------
# Writing


def _charset_for(text: str) -> str:
    if _LEVEL_A.fullmatch(text):
        return "UNOA"
    if text.isascii():
        return "UNOB"
    try:
        text.encode("iso-8859-1")
    except UnicodeEncodeError:
        return "UNOY"
    return "UNOC"


def _yymmdd(date: dt.date) -> str:
    return date.strftime("%y%m%d")


def write_paxlst(
    people: Iterable[Traveller | PaxlstParty],
    flight: Flight,
    *,
    sender: str,
    recipient: str,
    reference: str,
    prepared_at: dt.datetime,
    crew: bool = False,
    syntax_identifier: str | None = None,
    separators: Separators = DEFAULT_SEPARATORS,
    functional_group: bool = False,
    directory: str = "D:05B",
    newlines: bool = True,
) -> str:
    """A PAXLST interchange for one flight, following the WCO/IATA/ICAO guidelines.

    Returns text; encode it with `paxlst_encoding(syntax_identifier)`. The character set is
    chosen from the content when not given (UNOA, UNOB, UNOC = Latin-1, else UNOY = UTF-8).
    A plain `Traveller` becomes a party whose surname is the last word of its name; its id is
    sent as RFF+ABO so that it comes back on reading. Dates of birth are YYMMDD as the guidelines
    require; a year-only date is sent as CCYY with format 602; a range cannot be sent.
    """
    seps = separators
    rel = seps.release
    specials = {seps.component, seps.element, seps.terminator} | ({rel} if rel else set())
    table = {ord(c): f"{rel}{c}" for c in specials} if rel else {}

    def esc(value: str) -> str:
        if not rel:
            if any(c in value for c in specials):
                raise ValueError(f"{value!r} holds a separator and no release character is set")
            return value
        return value.translate(table)

    def seg(tag: str, *elements: str | tuple[str, ...]) -> str:
        parts = [tag]
        for element in elements:
            comps = list(element) if isinstance(element, tuple) else [element]
            while len(comps) > 1 and comps[-1] == "":  # EDIFACT omits trailing empty parts
                comps.pop()
            parts.append(seps.component.join(esc(c) for c in comps))
        while parts and parts[-1] == "":
            parts.pop()
        return seps.element.join(parts) + seps.terminator

    role_default = "FM" if crew else "FL"
    body: list[str] = [seg("BGM", CREW_LIST if crew else PASSENGER_LIST)]
    body.append(seg("TDT", "20", flight.number, "", "", flight.carrier))
    if flight.departure_airport:
        body.append(seg("LOC", "125", flight.departure_airport))
        if flight.departure_time:
            body.append(seg("DTM", ("189", flight.departure_time.strftime("%y%m%d%H%M"), "201")))
    if flight.arrival_airport:
        body.append(seg("LOC", "87", flight.arrival_airport))
        if flight.arrival_time:
            body.append(seg("DTM", ("232", flight.arrival_time.strftime("%y%m%d%H%M"), "201")))
    count = 0
    for person in people:
        party = person if isinstance(person, PaxlstParty) else _party_of(person, role_default)
        t = party.traveller
        count += 1
        if not party.surname.strip():
            raise ValueError(f"{t.traveller_id}: PAXLST needs a surname")
        given = party.given_names
        if len(given) > 4:  # C080 has four given-name components; keep the rest in the last
            given = (*given[:3], " ".join(given[3:]))
        body.append(seg("NAD", party.role, "", "", (party.surname, *given)))
        if party.gender:
            body.append(seg("ATT", "2", "", party.gender))
        if t.dob is not None:
            if t.dob.date is not None:
                body.append(seg("DTM", ("329", _yymmdd(t.dob.date))))
            elif t.dob.kind is DobKind.YEAR and t.dob.year_from is not None:
                body.append(seg("DTM", ("329", f"{t.dob.year_from:04d}", "602")))
            else:
                raise ValueError(f"{t.traveller_id}: a date-of-birth range cannot go in PAXLST")
        if party.embarkation:
            body.append(seg("LOC", "178", party.embarkation))
        if party.debarkation:
            body.append(seg("LOC", "179", party.debarkation))
        if t.nationality:
            body.append(seg("NAT", "2", t.nationality))
        if party.reservation:
            body.append(seg("RFF", ("AVF", party.reservation)))
        body.append(seg("RFF", ("ABO", party.passenger_reference or t.traveller_id)))
        for doc in party.documents or ((TravelDocument(t.document),) if t.document else ()):
            body.append(seg("DOC", (doc.type, "110", "111"), doc.number))
            if doc.expiry:
                body.append(seg("DTM", ("36", _yymmdd(doc.expiry))))
            if doc.issuing_country:
                body.append(seg("LOC", "91", doc.issuing_country))
    body.append(seg("CNT", ("41" if crew else "42", str(count))))

    version = tuple(directory.split(":"))
    unh = seg("UNH", reference, ("PAXLST", *version, "UN", "IATA"))
    unt = seg("UNT", str(len(body) + 2), reference)
    message = [unh, *body, unt]
    charset = syntax_identifier or _charset_for("".join(message) + sender + recipient)
    paxlst_encoding(charset)  # refuse a character set the reader would not take back
    when = (prepared_at.strftime("%y%m%d"), prepared_at.strftime("%H%M"))
    head = [seps.una(), seg("UNB", (charset, "4"), sender, recipient, when, reference)]
    if functional_group:
        head.append(seg("UNG", "PAXLST", sender, recipient, when, reference, "UN", version))
        message.append(seg("UNE", "1", reference))
    tail = [seg("UNZ", "1", reference)]
    # One segment per line (so segment numbers are line numbers), unless a line break is itself
    # the terminator.
    eol = "\n" if newlines and seps.terminator not in "\r\n" else ""
    return eol.join([*head, *message, *tail]) + eol


def _party_of(traveller: Traveller, role: str) -> PaxlstParty:
    words = traveller.name.split()
    return PaxlstParty(
        traveller=traveller,
        surname=words[-1] if words else "",
        given_names=(" ".join(words[:-1]),) if len(words) > 1 else (),
        role=role,
    )
