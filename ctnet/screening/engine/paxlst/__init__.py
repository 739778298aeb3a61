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

The package: ``segments`` (UNA separators, release characters, character sets, the tokeniser),
``values`` (country codes, dates), ``records`` (what is read and written), ``read`` and ``write``.
"""

from ctnet.screening.engine.paxlst.read import parse_paxlst
from ctnet.screening.engine.paxlst.records import (
    CREW_LIST,
    CREW_ROLES,
    PASSENGER_LIST,
    Flight,
    PaxlstMessage,
    PaxlstParty,
    TravelDocument,
)
from ctnet.screening.engine.paxlst.segments import (
    DEFAULT_SEPARATORS,
    ENCODINGS,
    Separators,
    looks_like_paxlst,
    paxlst_encoding,
)
from ctnet.screening.engine.paxlst.values import birth_date, country_code
from ctnet.screening.engine.paxlst.write import write_paxlst

__all__ = [
    "CREW_LIST",
    "CREW_ROLES",
    "DEFAULT_SEPARATORS",
    "ENCODINGS",
    "PASSENGER_LIST",
    "Flight",
    "PaxlstMessage",
    "PaxlstParty",
    "Separators",
    "TravelDocument",
    "birth_date",
    "country_code",
    "looks_like_paxlst",
    "parse_paxlst",
    "paxlst_encoding",
    "write_paxlst",
]
