"""The engine's front door: watchlists and passenger lists as bytes, told apart by content."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ctnet.screening.engine import formats
from ctnet.screening.engine.model import WatchlistFormatError
from ctnet.screening.engine.unlist import load_un_list

from .conftest import UN_2018

SAMPLE = Path(__file__).parent / "data" / "paxlst_sample.edi"
WATCHLIST_CSV = b"id,name,aliases,dob,nationality\nW1,Karim Benali,,1988,FRA\n"
PASSENGERS_CSV = b"id,name,dob,nationality,document\nP1,Karim Benali,1988,FRA,\nP2,,1990,,\n"


def test_un_xml_by_content_whatever_the_name():
    got = formats.read_watchlist(UN_2018.read_bytes(), "list.csv")
    assert got.format == formats.UN_XML
    assert got.edition.startswith("2018-10-29")
    assert got.entries == load_un_list(UN_2018)


def test_csv_watchlist_in_memory_with_a_byte_order_mark():
    got = formats.read_watchlist(b"\xef\xbb\xbf" + WATCHLIST_CSV, "list.xml")
    assert (got.format, got.edition) == (formats.CSV, "")
    assert [e.entry_id for e in got.entries] == ["W1"]


def test_watchlist_errors_name_the_file_and_line():
    with pytest.raises(WatchlistFormatError) as caught:
        formats.read_watchlist(WATCHLIST_CSV + b"W1,Again,,,\n", "national.csv")
    assert (caught.value.path, caught.value.line) == ("national.csv", 3)
    with pytest.raises(WatchlistFormatError, match="root element") as caught:
        formats.read_watchlist(b"<other/>", "wrong.xml")
    assert caught.value.path == "wrong.xml"
    with pytest.raises(WatchlistFormatError, match="unreadable CSV"):
        formats.read_watchlist(b"id,name,aliases,dob,nationality\nW1,\xff,,,\n", "latin.csv")


def test_passengers_paxlst_and_csv():
    pax = formats.read_passengers(SAMPLE.read_bytes(), "flight.txt")
    assert pax.format == formats.PAXLST and pax.message is not None
    assert pax.travellers[0].name == "JOHN WAYNE DOE"
    assert pax.message.flight.flight_number == "XY123"
    csv = formats.read_passengers(PASSENGERS_CSV, "flight.edi")
    assert (csv.format, csv.message) == (formats.CSV, None)
    assert [t.traveller_id for t in csv.travellers] == ["P1"]
    assert [b.line for b in csv.bad] == [3]


def test_passengers_that_are_not_text():
    with pytest.raises(formats.NotText) as caught:
        formats.read_passengers(b"\xff\xfe\x00garbage", "scan.pdf")
    assert caught.value.path == "scan.pdf"


def test_gzipped_watchlists_by_content_with_a_size_limit():
    csv_list = b"id,name,aliases,dob,nationality\nX1,Someone Listed,,1970,\n"
    found = formats.read_watchlist(gzip.compress(csv_list), "list.bin")
    assert found.format == "csv" and [e.entry_id for e in found.entries] == ["X1"]
    with pytest.raises(WatchlistFormatError, match="more than 100 bytes once uncompressed"):
        formats.gunzip(gzip.compress(b"x" * 10_000), "bomb.gz", limit=100)
    with pytest.raises(WatchlistFormatError, match=r"bad\.gz: damaged gzip file"):
        formats.gunzip(b"\x1f\x8b" + b"\x00" * 30, "bad.gz")
