"""What a PAXLST interchange carries, as the reader returns it and the writer takes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ctnet.screening.engine.model import BadRow, Traveller


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
