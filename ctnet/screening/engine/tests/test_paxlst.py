"""PAXLST reading and writing. The sample follows the WCO/IATA/ICAO PAXLST implementation guide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctnet.screening.engine.model import DateOfBirth, DobKind, Traveller, WatchlistFormatError
from ctnet.screening.engine.paxlst import (
    Flight,
    PaxlstParty,
    Separators,
    TravelDocument,
    birth_date,
    country_code,
    looks_like_paxlst,
    parse_paxlst,
    paxlst_encoding,
    write_paxlst,
)

SAMPLE = Path(__file__).parent / "data" / "paxlst_sample.edi"
TODAY = dt.date(2025, 6, 1)
FLIGHT = Flight(
    number="XY123",
    carrier="XY",
    departure_airport="YVR",
    departure_time=dt.datetime(2025, 6, 14, 12, 30),  # noqa: DTZ001 - airport local time
    arrival_airport="JFK",
    arrival_time=dt.datetime(2025, 6, 14, 20, 50),  # noqa: DTZ001
)
PREPARED = dt.datetime(2025, 6, 14, 9, 0)  # noqa: DTZ001


def parse(data: bytes | str) -> object:
    return parse_paxlst(data, source="test.edi", reference_date=TODAY)


def interchange(
    *body: str,
    una: str = "UNA:+.? '",
    syntax: str = "UNOA",
    header: tuple[str, ...] = ("BGM+745'", "TDT+20+XY123+++XY'"),
) -> str:
    """An interchange around message segments (each with its terminator), counts correct."""
    message = ["UNH+M1+PAXLST:D:05B:UN:IATA'", *header, *body]
    message.append(f"UNT+{len(message) + 1}+M1'")
    head = [una] if una else []
    return "\n".join([*head, f"UNB+{syntax}:4+SENDER+RECIPIENT+250614:0900+IC1'", *message])


def closed(text: str) -> str:
    return text + "\nUNZ+1+IC1'\n"


def segment_number(text: str, startswith: str) -> int:
    """1-based line of the first line starting with `startswith` (one segment per line)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(startswith))


# -- the guideline sample -----------------------------------------------------------------------


def test_sample_envelope_and_flight():
    msg = parse_paxlst(SAMPLE.read_bytes(), source="sample.edi", reference_date=TODAY)
    assert msg.source == "sample.edi"
    assert msg.syntax_identifier == "UNOA"
    assert (msg.sender, msg.recipient) == ("APIS*ABE", "CTNETAPI")
    assert msg.interchange_reference == "000000001"
    assert msg.prepared_at == dt.datetime(2025, 6, 14, 9, 0)  # noqa: DTZ001
    assert msg.message_reference == "PAX001"
    assert msg.document_code == "745" and not msg.is_crew_list
    assert (msg.list_kind, msg.reference, msg.flight.flight_number) == (
        "passengers",
        "PAX001",
        "XY123",
    )
    assert msg.flight == FLIGHT
    assert msg.bad == []


def test_sample_passengers():
    msg = parse_paxlst(SAMPLE.read_bytes(), reference_date=TODAY)
    doe, obrien, vdb = msg.parties
    assert msg.travellers == [doe.traveller, obrien.traveller, vdb.traveller]

    assert doe.traveller == Traveller(
        "XY1234567890",  # RFF+ABO, the unique passenger reference, beats the booking locator
        "JOHN WAYNE DOE",
        DateOfBirth.exact(dt.date(1972, 9, 7)),
        "CAN",
        "MB140241",
    )
    assert (doe.surname, doe.given_names, doe.gender) == ("DOE", ("JOHN", "WAYNE"), "M")
    assert doe.reservation == "ABC123" and doe.passenger_reference == "XY1234567890"
    assert (doe.embarkation, doe.debarkation) == ("YVR", "JFK")
    assert doe.documents == (TravelDocument("MB140241", "P", dt.date(2028, 10, 21), "CAN"),)

    # Release-escaped apostrophe; alpha-2 nationality converted; RFF+AVF as the id.
    assert obrien.traveller.name == "MAIREAD O'BRIEN"
    assert obrien.traveller.traveller_id == "ABC124"
    assert obrien.traveller.nationality == "IRL"
    assert obrien.traveller.dob == DateOfBirth.exact(dt.date(2005, 11, 30))

    # Multi-word surname kept whole; 49 is 1949 since 2049 is in the future; the visa is not
    # the travel document screened, the identity card is.
    assert vdb.surname == "VAN DER BERG"
    assert vdb.traveller.name == "ANNA MARIA VAN DER BERG"
    assert vdb.traveller.dob == DateOfBirth.exact(dt.date(1949, 12, 31))
    assert vdb.traveller.document == "NL88812"
    assert [d.type for d in vdb.documents] == ["V", "I"]


def test_sample_segment_numbers_are_line_numbers():
    text = SAMPLE.read_text(encoding="ascii")
    msg = parse_paxlst(text, reference_date=TODAY)
    nads = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith("NAD+FL")]
    assert [p.segment for p in msg.parties] == nads


def test_same_content_on_one_line_and_with_crlf():
    text = SAMPLE.read_text(encoding="ascii")
    expected = parse_paxlst(text, reference_date=TODAY)
    for variant in (text.replace("\n", ""), text.replace("\n", "\r\n")):
        got = parse_paxlst(variant.encode("ascii"), reference_date=TODAY)
        assert got.parties == expected.parties
        assert got.flight == expected.flight


# -- separators and the release character -------------------------------------------------------


def test_release_character_cases():
    text = closed(
        interchange(
            "NAD+FL+++O?'BRIEN?:?+X:ANN???''",  # ' : + released; ?? then a released ' then end
            "NAD+FL+++SMITH??:BOB'",  # ?? is a literal ? and the : after it is a separator
        )
    )
    first, second = parse(text).parties
    assert first.surname == "O'BRIEN:+X"
    assert first.given_names == ("ANN?'",)
    assert (second.surname, second.given_names) == ("SMITH?", ("BOB",))


def test_custom_una_separators():
    text = (
        "UNA|*.!_~"
        "UNB*UNOB|4*SENDER*RECIPIENT*250614|0900*IC1~"
        "UNH*M1*PAXLST|D|05B|UN|IATA~BGM*745~TDT*20*XY123~"
        "NAD*FL***O'BRIEN!*!~|JOHN+PAUL:X~DTM*329|800101~NAT*2*IRL~"
        "UNT*7*M1~UNZ*1*IC1~"
    )
    msg = parse(text)
    (party,) = msg.parties
    # ' + : are plain characters here; the custom release ! frees * and ~.
    assert party.surname == "O'BRIEN*~"
    assert party.given_names == ("JOHN+PAUL:X",)
    assert party.traveller.dob == DateOfBirth.exact(dt.date(1980, 1, 1))
    assert msg.flight.carrier == "XY"  # taken from the flight number when TDT has none
    assert looks_like_paxlst(text.encode())


def test_una_without_release_character_keeps_spaces():
    # ISO 9735: a space in the release position means "none"; names keep their spaces.
    text = closed(interchange("NAD+FL+++VAN DER BERG:ANNA MARIA'", una="UNA:+. ^'"))
    (party,) = parse(text).parties
    assert party.traveller.name == "ANNA MARIA VAN DER BERG"


def test_no_una_uses_defaults():
    text = closed(interchange("NAD+FL+++O?'NEIL:SEAN'", una=""))
    (party,) = parse(text).parties
    assert party.surname == "O'NEIL"
    assert party.segment == segment_number(text, "NAD")


# -- crew lists ----------------------------------------------------------------------------------


def test_crew_list():
    text = closed(
        interchange(
            "NAD+FM+++KOWALSKA:EWA'",
            "ATT+2++F'",
            "NAD+DDU+++NOWAK:JAN'",
            "CNT+41:2'",
            header=("BGM+250'", "TDT+20+LO27+++LO'"),
        )
    )
    msg = parse(text)
    assert msg.document_code == "250" and msg.is_crew_list and msg.list_kind == "crew"
    assert [p.role for p in msg.parties] == ["FM", "DDU"]
    assert all(p.is_crew for p in msg.parties)
    assert [t.traveller_id for t in msg.travellers] == [
        f"seg{segment_number(text, 'NAD+FM')}",
        f"seg{segment_number(text, 'NAD+DDU')}",
    ]
    assert msg.bad == []


# -- passengers that cannot be used --------------------------------------------------------------


def test_bad_passengers_listed_others_parsed():
    text = closed(
        interchange(
            "NAD+FL+++GOOD:ONE'",
            "DTM+329:800101'",
            "NAD+FL+++FEB:THIRTIETH'",
            "DTM+329:800230'",
            "NAD+FL+++:NOSURNAME'",
            "NAT+2+FRA'",
            "NAD+FL+++NOWHERE:ZED'",
            "NAT+2+ZZZ'",
            "NAD+FL+++GOOD:TWO'",
            "NAT+2+D'",
            "CNT+42:5'",
        )
    )
    msg = parse(text)
    assert [t.name for t in msg.travellers] == ["ONE GOOD", "TWO GOOD"]
    assert msg.travellers[1].nationality == "DEU"  # ICAO 9303 code for Germany
    lines = [b.line for b in msg.bad]
    assert lines == [
        segment_number(text, "DTM+329:800230"),
        segment_number(text, "NAD+FL+++:NOSURNAME"),
        segment_number(text, "NAT+2+ZZZ"),
    ]
    feb, nosurname, nowhere = (b.message for b in msg.bad)
    assert "impossible date of birth '800230'" in feb and "THIRTIETH FEB" in feb
    assert "no surname" in nosurname
    assert "unknown country code 'ZZZ'" in nowhere


def test_several_problems_in_one_passenger_make_one_row():
    text = closed(interchange("NAD+FL+++:X'", "DTM+329:991399'", "LOC+91+QQ'", "DOC+P+1'"))
    (bad,) = parse(text).bad
    assert bad.line == segment_number(text, "NAD")
    assert "no surname" in bad.message and "991399" in bad.message


def test_cnt_mismatch_is_reported_not_fatal():
    text = closed(interchange("NAD+FL+++A:B'", "CNT+42:2'"))
    msg = parse(text)
    assert len(msg.travellers) == 1
    assert [b.line for b in msg.bad] == [segment_number(text, "CNT")]
    assert "CNT announces 2" in msg.bad[0].message
    garbled = parse(closed(interchange("NAD+FL+++A:B'", "CNT+42:X'")))
    assert len(garbled.travellers) == 1 and "not a number" in garbled.bad[0].message


def test_booking_locator_shared_by_a_family_gives_unique_ids():
    text = closed(interchange("NAD+FL+++A:B'", "RFF+AVF:PNR1'", "NAD+FL+++A:C'", "RFF+AVF:PNR1'"))
    ids = [t.traveller_id for t in parse(text).travellers]
    assert ids == ["PNR1", f"PNR1@seg{segment_number(text, 'NAD+FL+++A:C')}"]


def test_bad_flight_time_does_not_stop_screening():
    text = closed(
        interchange("NAD+FL+++A:B'", header=("BGM+745'", "TDT+20+XY1'", "DTM+189:2513011200:201'"))
    )
    msg = parse(text)
    assert len(msg.travellers) == 1
    assert msg.flight.departure_time is None
    assert "impossible departure time" in msg.bad[0].message


# -- damaged interchanges: nothing trusted -------------------------------------------------------


def error_of(data: bytes | str) -> WatchlistFormatError:
    with pytest.raises(WatchlistFormatError) as info:
        parse(data)
    assert info.value.path == "test.edi"
    return info.value


def test_wrong_unt_count():
    text = closed(interchange("NAD+FL+++A:B'")).replace("UNT+5+", "UNT+6+")
    err = error_of(text)
    assert err.line == segment_number(text, "UNT")
    assert "UNT counts 6 segments but the message has 5" in err.message


def test_missing_unb():
    text = "UNA:+.? '\nUNH+M1+PAXLST:D:05B:UN:IATA'\nBGM+745'\nUNT+3+M1'\n"
    err = error_of(text.encode())
    assert err.line == 1 and "UNA or UNB" in err.message
    err = error_of(text)  # already text: read the segments, find no UNB
    assert err.line == 2 and "must start with UNB" in err.message


def test_no_message():
    err = error_of("UNB+UNOA:4+S+R+250614:0900+IC1'UNZ+0+IC1'")
    assert "no PAXLST message" in err.message


def test_not_paxlst():
    text = closed(interchange("NAD+FL+++A:B'")).replace("PAXLST:D", "CUSCAR:D")
    err = error_of(text)
    assert err.line == segment_number(text, "UNH") and "not PAXLST" in err.message


def test_cut_off_transmission():
    full = closed(interchange("NAD+FL+++A:B'", "DTM+329:800101'"))
    cut = full[: full.index("DTM+329") + 10]
    err = error_of(cut.encode())
    assert err.line == segment_number(full, "DTM") and "unterminated" in err.message
    no_unz = full[: full.index("UNZ")]
    err = error_of(no_unz)
    assert err.line == segment_number(full, "UNZ") and "no UNZ" in err.message
    no_unt = full.replace("UNT+", "UNX+")
    assert "has no UNT" in error_of(no_unt).message


def test_unz_checks():
    text = closed(interchange("NAD+FL+++A:B'"))
    assert "UNZ counts 2" in error_of(text.replace("UNZ+1+", "UNZ+2+")).message
    assert "does not match UNB" in error_of(text.replace("UNZ+1+IC1", "UNZ+1+IC9")).message
    assert "after UNZ" in error_of(text + "UNZ+1+IC1'").message


def test_garbage_segment_and_outside_message():
    text = closed(interchange("NAD+FL+++A:B'"))
    err = error_of(text.replace("NAD+FL", "nad+FL"))
    assert err.line == segment_number(text, "NAD") and "segment tag" in err.message
    err = error_of(text.replace("\nUNZ", "\nFTX+AAA+X'\nUNZ"))
    assert "outside a message" in err.message


def test_undecodable_bytes():
    text = closed(interchange("NAD+FL+++MÜLLER:JÖRG'", syntax="UNOY"))
    assert parse(text.encode("utf-8")).travellers[0].name == "JÖRG MÜLLER"
    err = error_of(text.encode("iso-8859-1"))  # declared UTF-8, sent as Latin-1
    assert err.line == segment_number(text, "NAD") and "utf-8" in err.message
    err = error_of(text.replace("UNOY", "UNOA").encode("utf-8"))  # 8-bit bytes under UNOA
    assert err.line == segment_number(text, "NAD") and "ascii" in err.message
    err = error_of(text.replace("UNOY", "KECA").encode("utf-8"))
    assert "unsupported character set 'KECA'" in err.message


def test_latin1_declared_reads_latin1():
    text = closed(interchange("NAD+FL+++MÜLLER:JÖRG'", syntax="UNOC"))
    assert parse(text.encode("iso-8859-1")).travellers[0].name == "JÖRG MÜLLER"


# -- writing and reading back --------------------------------------------------------------------


def written(people: list, **options: object) -> str:
    return write_paxlst(
        people,
        FLIGHT,
        sender="XY AIRLINES",
        recipient="CTNETAPI",
        reference="REF42",
        prepared_at=PREPARED,
        **options,
    )


LATIN = [
    Traveller("T1", "François Lefèvre", DateOfBirth.exact(dt.date(1988, 3, 4)), "FRA", "18AB1"),
    Traveller("T2", "Søren Kierkegård", DateOfBirth.exact(dt.date(2001, 12, 31)), "DNK", None),
    Traveller("T3", "María José Núñez", None, "ESP", "PAE123"),
    Traveller("T4", "Ahmed Ben Salah", DateOfBirth.year(1975), None, "X1"),
]
UNICODE = [
    Traveller("U1", "Łukasz Żółkiewski", DateOfBirth.exact(dt.date(1990, 1, 2)), "POL", "EA1"),
    Traveller("U2", "Đorđe Šćepanović", DateOfBirth.exact(dt.date(1969, 7, 20)), "MNE", "P77"),
    Traveller("U3", "Ayşe Yılmaz", None, "TUR", None),
]


@pytest.mark.parametrize(
    ("people", "syntax", "codec"),
    [(LATIN, "UNOC", "iso-8859-1"), (UNICODE, "UNOY", "utf-8")],
)
def test_round_trip_travellers(people, syntax, codec):
    text = written(people)
    assert f"UNB+{syntax}:4+" in text
    assert paxlst_encoding(syntax) == codec
    data = text.encode(codec)
    assert looks_like_paxlst(data[:512])
    msg = parse(data)
    assert msg.travellers == people
    assert msg.bad == []
    assert msg.flight == FLIGHT
    assert (msg.sender, msg.recipient) == ("XY AIRLINES", "CTNETAPI")
    assert msg.message_reference == msg.interchange_reference == "REF42"
    assert msg.prepared_at == PREPARED


def test_round_trip_parties_with_escapes_custom_separators_and_group():
    party = PaxlstParty(
        traveller=Traveller("P1", "SEAN PATRICK O'BRIEN+CO", None, "IRL", "PA1?2"),
        surname="O'BRIEN+CO",
        given_names=("SEAN", "PATRICK"),
        gender="M",
        documents=(
            TravelDocument("V9", "V"),
            TravelDocument("PA1?2", "P", dt.date(2031, 2, 28), "IRL"),
        ),
        reservation="PNR:1",
        passenger_reference="P1",
        embarkation="YVR",
        debarkation="JFK",
    )
    for seps in (Separators(), Separators("|", "*", ".", "!", "~")):
        text = written([party], separators=seps, functional_group=True, newlines=False)
        assert "UNG" in text and "UNE" in text
        (back,) = parse(text).parties
        assert back == PaxlstParty(**{**_fields(party), "segment": back.segment})
    assert "O?'BRIEN?+CO" in written([party])


def _fields(party: PaxlstParty) -> dict[str, object]:
    return {name: getattr(party, name) for name in PaxlstParty.__dataclass_fields__}


def test_round_trip_crew_and_year_only_birth():
    crew = [Traveller("C1", "ANNA SCHMIDT", DateOfBirth.year(1980), "DEU", "C01")]
    text = written(crew, crew=True)
    assert "BGM+250'" in text and "NAD+FM+++" in text and "CNT+41:1'" in text
    msg = parse(text)
    assert msg.is_crew_list and msg.travellers == crew
    assert msg.travellers[0].dob.kind is DobKind.YEAR


def test_writer_refuses_what_paxlst_cannot_carry():
    ranged = Traveller("R1", "A B", DateOfBirth.range(1970, 1975))
    with pytest.raises(ValueError, match="range"):
        written([ranged])
    with pytest.raises(ValueError, match="unsupported character set"):
        written(LATIN, syntax_identifier="KECA")


def test_five_hundred_passengers():
    people = [
        Traveller(
            f"T{i}",
            f"GIVEN{i} MIDDLE SURNAME{i}",
            DateOfBirth.exact(dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)),
            ("FRA", "DEU", "IRQ", "TUN")[i % 4],
            f"P{i:08d}",
        )
        for i in range(500)
    ]
    msg = parse(written(people).encode("ascii"))
    assert msg.travellers == people and msg.bad == []


def test_list_split_over_messages_of_one_flight():
    one = interchange("NAD+FL+++A:B'", "CNT+42:1'")
    second = one.split("\n", 2)[2].replace("M1", "M2").replace("A:B", "C:D")
    text = f"{one}\n{second}\nUNZ+2+IC1'"
    msg = parse(text)
    assert [t.name for t in msg.travellers] == ["B A", "D C"]
    assert msg.message_reference == "M1" and msg.bad == []
    other_flight = text.replace("TDT+20+XY123+++XY'\nNAD+FL+++C", "TDT+20+XY999'\nNAD+FL+++C")
    assert "mixes flights XY123 and XY999" in error_of(other_flight).message


def test_writer_keeps_every_given_name():
    party = PaxlstParty(Traveller("G1", "A B C D E F SURNAME"), "SURNAME", tuple("ABCDEF"))
    (back,) = parse(written([party])).parties
    assert back.given_names == ("A", "B", "C", "D E F")
    assert back.traveller.name == "A B C D E F SURNAME"
    with pytest.raises(ValueError, match="surname"):
        written([Traveller("N1", "  ")])


# -- detection and values ------------------------------------------------------------------------


def test_detection_by_content():
    assert looks_like_paxlst(SAMPLE.read_bytes()[:2048])
    assert looks_like_paxlst(b"\xef\xbb\xbf" + closed(interchange(una="")).encode())
    assert not looks_like_paxlst(b"id,name,dob,nationality,document\nT1,Ali,1970,IRQ,\n")
    xml = b'<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="x">'
    assert not looks_like_paxlst(xml + b"<INDIVIDUALS><INDIVIDUAL>")
    cuscar = closed(interchange()).replace("PAXLST", "CUSCAR").encode()
    assert not looks_like_paxlst(cuscar)
    assert not looks_like_paxlst(b"")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("720907", dt.date(1972, 9, 7)), ("250601", dt.date(2025, 6, 1)),
     ("250602", dt.date(1925, 6, 2)), ("000229", dt.date(2000, 2, 29)),
     ("19991231", dt.date(1999, 12, 31))],
)  # fmt: skip
def test_birth_date_century_rule(text, expected):
    assert birth_date(text, "", TODAY) == DateOfBirth.exact(expected)


@pytest.mark.parametrize("text", ["800230", "8002", "80023", "ABCDEF", "801301", ""])
def test_birth_date_rejects(text):
    with pytest.raises(ValueError):
        birth_date(text, "", TODAY)


def test_birth_year_only_with_format_602():
    assert birth_date("1975", "602", TODAY) == DateOfBirth.year(1975)


def test_country_codes():
    assert country_code("GBR") == "GBR"
    assert country_code("gb") == "GBR"
    assert country_code("D<<") == "DEU"
    assert country_code("GBD") == "GBR"
    assert country_code("XXA") is None  # stateless: valid, nothing to compare
    assert country_code("") is None
    for bad in ("ZZ", "ZZZ", "GERMANY"):
        with pytest.raises(ValueError, match="unknown country code"):
            country_code(bad)
