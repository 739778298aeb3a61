from __future__ import annotations

import csv
from pathlib import Path

from ctnet.screening.engine import savedindex
from ctnet.screening.engine.batch import main

from .conftest import UN_2018

TRAVELLERS = (
    "id,name,dob,nationality,document\n"
    "T1,Tarek Anwar El Sayed Ahmad,1963-03-15,EGY,\n"
    "T2,طاريق أنور السيد احمد,1963,,\n"
    "T3,Jane Unlisted Person,1990-05-05,FRA,\n"
    "T4,Bad Date,2019-02-30,,\n"
    "T5,Someone Else,,,00754833\n"
    "T6,Usama bin Ladin,1957,SAU,\n"
)


def run(tmp_path: Path, watchlist: Path, extra: list[str] | None = None) -> tuple[int, list[dict]]:
    travellers = tmp_path / "travellers.csv"
    travellers.write_text(TRAVELLERS, encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(
        ["--watchlist", str(watchlist), "--travellers", str(travellers), "--out", str(out)]
        + (extra or [])
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return code, rows


def test_end_to_end_on_un_xml(tmp_path, capsys):
    # Copied with a .csv name: detection is by content, not extension.
    watchlist = tmp_path / "list.csv"
    watchlist.write_bytes(UN_2018.read_bytes())
    code, rows = run(tmp_path, watchlist)
    assert code == 0
    hits = {(r["traveller_id"], r["entry_id"]) for r in rows}
    assert ("T1", "QDi.014") in hits and ("T2", "QDi.014") in hits
    assert ("T5", "QDi.380") in hits
    assert not any(r["traveller_id"] == "T3" for r in rows)
    # A person is not screened against entities (QDe.004 Al-Qaida has the alias "Usama Bin
    # Laden Organization") unless asked.
    assert not any(r["entry_id"].startswith("QDe") for r in rows)
    t1 = next(r for r in rows if r["traveller_id"] == "T1" and r["entry_id"] == "QDi.014")
    assert "dob:exact_match" in t1["reasons"].split(";") and float(t1["score"]) >= 0.75
    err = capsys.readouterr().err
    assert "travellers read: 5; bad rows: 1" in err and "travellers.csv:5" in err


def test_entities_only_when_asked(tmp_path):
    code, rows = run(tmp_path, UN_2018, ["--include-entities", "--threshold", "0.5"])
    assert code == 0
    assert ("T6", "QDe.004") in {(r["traveller_id"], r["entry_id"]) for r in rows}


def test_csv_watchlist_and_threshold(tmp_path):
    watchlist = tmp_path / "w.xml"  # a CSV despite the name
    watchlist.write_text(
        "id,name,aliases,dob,nationality\nW1,Tariq Anwar al-Sayed Ahmed,,1963,EGY\n",
        encoding="utf-8",
    )
    code, rows = run(tmp_path, watchlist)
    assert code == 0 and {r["traveller_id"] for r in rows} == {"T1", "T2"}
    code, rows = run(tmp_path, watchlist, ["--threshold", "1.0"])
    assert code == 0 and len(rows) < 2


def test_bad_watchlist_exit_2(tmp_path, capsys):
    watchlist = tmp_path / "w.csv"
    watchlist.write_text("id,name\nW1,A\n", encoding="utf-8")
    code, rows = run(tmp_path, watchlist)
    assert code == 2 and rows == []
    assert "w.csv:1" in capsys.readouterr().err


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["--watchlist", "x"]) == 2
    assert main(["--watchlist", "x", "--travellers", "y", "--out", "z", "--threshold", "7"]) == 2
    missing = tmp_path / "missing.xml"
    code, _ = run(tmp_path, missing)
    assert code == 2 and "cannot open" in capsys.readouterr().err


def test_paxlst_travellers_through_the_same_front_door(tmp_path, capsys):
    watchlist = tmp_path / "w.csv"
    watchlist.write_text(
        "id,name,aliases,dob,nationality\nW1,Anna Maria van der Berg,,1949-12-31,NLD\n",
        encoding="utf-8",
    )
    manifest = tmp_path / "flight.txt"  # PAXLST despite the name
    manifest.write_bytes((Path(__file__).parent / "data" / "paxlst_sample.edi").read_bytes())
    out = tmp_path / "out.csv"
    code = main(["--watchlist", str(watchlist), "--travellers", str(manifest), "--out", str(out)])
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["entry_id"] for r in rows} == {"W1"}
    assert "travellers read: 3; bad rows: 0" in capsys.readouterr().err


SHIPPED_UN = Path(__file__).parents[2] / "data" / "un-sc-consolidated-list-2018-10-29.xml.gz"


def test_the_shipped_gzipped_un_list_is_read_by_content(tmp_path):
    # The .xml.gz shipped with the platform, renamed: gzip is told by its bytes, not its name.
    watchlist = tmp_path / "un-list.dat"
    watchlist.write_bytes(SHIPPED_UN.read_bytes())
    code, rows = run(tmp_path, watchlist)
    assert code == 0
    assert ("T1", "QDi.014") in {(r["traveller_id"], r["entry_id"]) for r in rows}


def test_a_damaged_gzip_watchlist_exit_2(tmp_path, capsys):
    watchlist = tmp_path / "un.xml.gz"
    watchlist.write_bytes(SHIPPED_UN.read_bytes()[:5000])
    code, _rows = run(tmp_path, watchlist)
    assert code == 2 and "un.xml.gz: truncated gzip file" in capsys.readouterr().err


def test_saved_index_is_reused_for_the_same_list_only(tmp_path, capsys):
    watchlist = tmp_path / "un.xml.gz"
    watchlist.write_bytes(SHIPPED_UN.read_bytes())
    index = tmp_path / "un.ctidx"
    code, first = run(tmp_path, watchlist, ["--index", str(index)])
    assert code == 0 and index.exists()
    assert f"index built ({index})" in capsys.readouterr().err
    code, again = run(tmp_path, watchlist, ["--index", str(index)])
    assert code == 0 and again == first
    assert f"index loaded ({index})" in capsys.readouterr().err
    # Another list against the same index file: refused, and the file is left as it was.
    other = tmp_path / "other.csv"
    other.write_text("id,name,aliases,dob,nationality\nX1,Someone Listed,,1970,\n")
    before = index.read_bytes()
    code, _rows = run(tmp_path, other, ["--index", str(index)])
    assert code == 2 and "was built from another watchlist" in capsys.readouterr().err
    assert index.read_bytes() == before
    # A damaged index is rebuilt, never used.
    header = savedindex.read_header(index)
    damaged = bytearray(before)
    at = len(damaged) - header["data_size"] + header["arrays"]["postings"]["offset"]
    damaged[at] ^= 0xFF
    index.write_bytes(bytes(damaged))
    code, rebuilt = run(tmp_path, watchlist, ["--index", str(index)])
    assert code == 0 and rebuilt == first
    assert "index rebuilt: array postings is damaged" in capsys.readouterr().err
    assert index.read_bytes() == before


def test_output_cells_cannot_run_as_formulas(tmp_path):
    travellers = tmp_path / "travellers.csv"
    travellers.write_text(
        "id,name,dob,nationality,document\n"
        '"=HYPERLINK(""http://x"")",Tarek Anwar El Sayed Ahmad,1963-03-15,EGY,\n'
        "+1+2,Tarek Anwar El Sayed Ahmad,1963-03-15,EGY,\n"
        "@SUM(A1),Tarek Anwar El Sayed Ahmad,1963-03-15,EGY,\n"
        "-2+3,Tarek Anwar El Sayed Ahmad,1963-03-15,EGY,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    code = main(["--watchlist", str(UN_2018), "--travellers", str(travellers), "--out", str(out)])
    assert code == 0
    ids = {r["traveller_id"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert ids == {'\'=HYPERLINK("http://x")', "'+1+2", "'@SUM(A1)", "'-2+3"}
