from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctnet.screening.engine.csvio import load_travellers_csv, load_watchlist_csv
from ctnet.screening.engine.model import DobKind, NameKind, WatchlistFormatError

HEADER = "id,name,aliases,dob,nationality\n"


def write(tmp_path: Path, text: str, name: str = "w.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_watchlist_csv_ok(tmp_path):
    path = write(
        tmp_path, HEADER + "W1,Abu Bakr al-Baghdadi,Ibrahim Awad|Abu Du'a,1971,IRQ\nW2,Ali,,,\n"
    )
    entries = load_watchlist_csv(path)
    assert [e.entry_id for e in entries] == ["W1", "W2"]
    first = entries[0]
    assert [n.kind for n in first.names] == [NameKind.PRIMARY] + [NameKind.STRONG_ALIAS] * 2
    assert first.dobs[0].kind is DobKind.YEAR and first.dobs[0].year_from == 1971
    assert first.nationalities == ["IRQ"]
    assert entries[1].dobs == [] and entries[1].nationalities == []


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("W1,A B,,2019-02-30,IRQ\n", 2, "impossible date"),
        ("W1,A B,,1970,IRQ\nW2,C D,,1970,XYZ\n", 3, "unknown ISO"),
        ("W1,A B,,70,IRQ\n", 2, "YYYY"),
        ("W1,,,1970,IRQ\n", 2, "required"),
        ("W1,A B,,1970\n", 2, "columns"),
        ("W1,A B,,,\nW1,C D,,,\n", 3, "duplicate"),
    ],
)
def test_watchlist_csv_bad_row_aborts_everything(tmp_path, body, line, fragment):
    path = write(tmp_path, HEADER + body)
    with pytest.raises(WatchlistFormatError) as err:
        load_watchlist_csv(path)
    assert err.value.line == line and fragment in err.value.message
    assert str(path) in str(err.value)


def test_watchlist_csv_wrong_header(tmp_path):
    path = write(tmp_path, "id,name,dob\nW1,A,1970\n")
    with pytest.raises(WatchlistFormatError) as err:
        load_watchlist_csv(path)
    assert err.value.line == 1 and "header" in err.value.message


def test_travellers_keep_good_rows_and_list_bad_ones(tmp_path):
    path = write(
        tmp_path,
        "id,name,dob,nationality,document\n"
        "T1,John Smith,1980-01-02,GBR,X123\n"
        "T2,Jane Doe,2019-02-30,,\n"
        "\n"
        "T3,Ali Hassan,,ZZZ,\n"
        "T4,Omar Ali,1975,,\n",
    )
    good, bad = load_travellers_csv(path)
    assert [t.traveller_id for t in good] == ["T1", "T4"]
    assert good[0].dob is not None and good[0].dob.date == dt.date(1980, 1, 2)
    assert [(b.line, "impossible" in b.message or "ISO" in b.message) for b in bad] == [
        (3, True),
        (5, True),
    ]


def test_travellers_wrong_header_is_fatal(tmp_path):
    path = write(tmp_path, "id,name,aliases,dob,nationality\n")
    with pytest.raises(WatchlistFormatError):
        load_travellers_csv(path)
