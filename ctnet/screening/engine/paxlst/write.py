"""Writing a PAXLST interchange for one flight (tests, demo data, interoperability checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ctnet.screening.engine.model import DobKind, Traveller
from ctnet.screening.engine.paxlst.records import (
    CREW_LIST,
    PASSENGER_LIST,
    Flight,
    PaxlstParty,
    TravelDocument,
)
from ctnet.screening.engine.paxlst.segments import (
    DEFAULT_SEPARATORS,
    LEVEL_A,
    Separators,
    paxlst_encoding,
)


def _charset_for(text: str) -> str:
    if LEVEL_A.fullmatch(text):
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
