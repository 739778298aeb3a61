"""Reading one PAXLST interchange into travellers (see the package docstring for what is
refused whole and what becomes a bad row)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ctnet.screening.engine.model import BadRow, DateOfBirth, Traveller, WatchlistFormatError
from ctnet.screening.engine.paxlst.records import (
    Flight,
    PaxlstMessage,
    PaxlstParty,
    TravelDocument,
)
from ctnet.screening.engine.paxlst.segments import (
    DEFAULT_SEPARATORS,
    ENCODINGS,
    Segment,
    Separators,
    component,
    decode,
    head_separators,
    tokenise,
)
from ctnet.screening.engine.paxlst.values import (
    birth_date,
    country_code,
    expiry_date,
    timestamp,
)


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
                self.document_code = self.document_code or component(el, 0)
            elif tag == "TDT" and not flight["number"]:
                flight = {"number": component(el, 1), "carrier": component(el, 4)}
            elif tag == "NAD" and (flight["number"] or component(el, 0) not in ("MS", "")):
                if group is not None:
                    self.finish(group)
                people += 1
                group = _Group(
                    number,
                    component(el, 0),
                    component(el, 3, 0).strip(),
                    tuple(n.strip() for n in el[3][1:5] if n.strip()) if len(el) > 3 else (),
                )
            elif tag == "CNT":
                total = component(el, 0, 1)
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
        qualifier = component(el, 0)
        if tag == "LOC" and qualifier in ("125", "87") and qualifier not in places:
            places[qualifier] = component(el, 1)
        elif (
            tag == "DTM"
            and component(el, 0, 0) in ("189", "232")
            and component(el, 0, 0) not in times
        ):
            what = "departure time" if component(el, 0, 0) == "189" else "arrival time"
            try:
                times[component(el, 0, 0)] = timestamp(component(el, 0, 1), self.reference, what)
            except ValueError as exc:
                times[component(el, 0, 0)] = None
                self.bad.append(BadRow(number, f"flight: {exc}"))

    def party_segment(self, g: _Group, number: int, tag: str, el: list[list[str]]) -> None:
        qualifier = component(el, 0)  # DTM's qualifier is the first component of its composite
        try:
            if tag == "ATT" and qualifier == "2":
                g.gender = component(el, 2).strip().upper() or None
            elif tag == "DTM" and qualifier == "329":
                g.dob = birth_date(component(el, 0, 1), component(el, 0, 2), self.reference)
            elif tag == "NAT" and qualifier in ("2", ""):
                g.nationality = country_code(component(el, 1))
            elif tag == "RFF":
                g.refs.setdefault(component(el, 0, 0), component(el, 0, 1).strip())
            elif tag == "DOC":
                g.documents.append(
                    TravelDocument(component(el, 1).strip(), component(el, 0, 0).strip())
                )
            elif tag == "DTM" and qualifier == "36" and g.documents:
                expiry = expiry_date(component(el, 0, 1), self.reference)
                g.documents[-1] = replace(g.documents[-1], expiry=expiry)
            elif tag == "LOC" and qualifier == "91" and g.documents:
                issuer = country_code(component(el, 1))
                g.documents[-1] = replace(g.documents[-1], issuing_country=issuer)
            elif tag == "LOC" and qualifier == "178":
                g.embarkation = component(el, 1) or None
            elif tag == "LOC" and qualifier == "179":
                g.debarkation = component(el, 1) or None
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
    text = decode(data, source)
    leading = len(text) - len(text.lstrip())
    text = text[leading:]
    if text.startswith("UNA"):
        if len(text) < 9:
            raise WatchlistFormatError(source, 1, "UNA service string advice is cut short")
        seps, body = head_separators(text)
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
    segments = tokenise(body, seps, first, source)
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
    syntax = component(unb, 0)
    if syntax.upper() not in ENCODINGS:
        raise WatchlistFormatError(source, number, f"unsupported character set {syntax!r}")
    control = component(unb, 4)
    prepared: dt.datetime | None = None
    try:
        prepared = timestamp(
            component(unb, 3, 0) + component(unb, 3, 1), reference, "preparation time"
        )
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
            group = (0, component(el, 4))
            groups += 1
        elif tag == "UNE":
            if group is None:
                raise WatchlistFormatError(source, number, "UNE without UNG")
            count = _int(component(el, 0), "UNE message count", source, number)
            if count != group[0] or component(el, 1) != group[1]:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNE says {count} messages in group {component(el, 1)!r}, "
                    f"found {group[0]} in group {group[1]!r}",
                )
            group = None
        elif tag == "UNH":
            i = _read_message(segments, i, reader, source)
            message_refs.append(component(el, 0))
            messages += 1
            if group is not None:
                group = (group[0] + 1, group[1])
        elif tag == "UNZ":
            if group is not None:
                raise WatchlistFormatError(source, number, "UNZ before the group's UNE")
            count = _int(component(el, 0), "UNZ count", source, number)
            expected = groups or messages
            if count != expected:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNZ counts {count} {'groups' if groups else 'messages'}, found {expected}",
                )
            if component(el, 1) != control:
                raise WatchlistFormatError(
                    source,
                    number,
                    f"UNZ reference {component(el, 1)!r} does not match UNB reference {control!r}",
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
        sender=component(unb, 1),
        recipient=component(unb, 2),
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
    if component(unh, 1, 0) != "PAXLST":
        raise WatchlistFormatError(
            source, number, f"message type {component(unh, 1, 0)!r} is not PAXLST"
        )
    for j in range(start + 1, len(segments)):
        n, tag, el = segments[j]
        if tag in ("UNH", "UNE", "UNZ", "UNG"):
            raise WatchlistFormatError(
                source, n, f"message {component(unh, 0)!r} (UNH at segment {number}) has no UNT"
            )
        if tag == "UNT":
            count = _int(component(el, 0), "UNT segment count", source, n)
            if count != j - start + 1:
                raise WatchlistFormatError(
                    source,
                    n,
                    f"UNT counts {count} segments but the message has {j - start + 1}: "
                    "segments were lost or added in transmission",
                )
            if component(el, 1) != component(unh, 0):
                raise WatchlistFormatError(
                    source,
                    n,
                    f"UNT reference {component(el, 1)!r} does not match UNH {component(unh, 0)!r}",
                )
            if j == start + 1:
                raise WatchlistFormatError(source, n, "empty PAXLST message")
            reader.message(segments[start + 1 : j])
            return j
    raise WatchlistFormatError(
        source,
        segments[-1][0] + 1,
        f"message {component(unh, 0)!r} (UNH at segment {number}) has no UNT",
    )
