import csv
import hashlib
import json

import numpy as np
import pytest

from ctnet.hashes.engine import bankfile
from ctnet.hashes.engine.cli import hash_main, match_main
from ctnet.hashes.engine.index import PdqIndex
from ctnet.hashes.engine.signals import PdqSignal
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like

from .conftest import flip_bits


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes(photo_like(seed=3, width=320, height=240)))
    text = tmp_path / "readme.txt"
    text.write_text("hello", encoding="utf-8")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    return photo, text, broken


def test_hash_json_lines_and_exit_code_after_an_unreadable_file(files, capsys):
    photo, text, broken = files
    status = hash_main([str(photo), str(broken), str(text), "--json"])
    out, err = capsys.readouterr()
    assert status == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["path"] for line in lines] == [str(photo), str(text)]
    assert set(lines[0]) == {"path", "pdq", "quality", "md5", "sha256"}
    assert len(lines[0]["pdq"]) == 64 and lines[0]["quality"] >= 50
    assert lines[1]["pdq"] is None
    assert lines[1]["sha256"] == hashlib.sha256(b"hello").hexdigest()
    assert f"ctnet hash: {broken}: corrupt image, cannot read its header" in err


def test_hash_table_and_missing_file(files, tmp_path, capsys):
    photo, text, _ = files
    assert hash_main([str(photo), str(text)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["PATH", "PDQ", "Q", "MD5", "SHA256"]
    assert out[2].split()[1:3] == ["-", "-"]
    assert hash_main([str(tmp_path / "missing.jpg")]) == 2
    assert "missing.jpg: cannot read file: No such file or directory" in capsys.readouterr().err


def _write_csv(path, rows, header=("id", "signal_type", "value")):
    with open(path, "w", newline="", encoding="utf-8") as fp:
        writer = csv.writer(fp)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def bank_and_queries(tmp_path):
    rng = np.random.default_rng(9)
    bank_bytes = rng.integers(0, 256, size=(300, 32), dtype=np.uint8)
    bank = [(f"b{i}", "pdq", PdqSignal.from_bytes(row)) for i, row in enumerate(bank_bytes)]
    bank.append(("b-md5", "md5", hashlib.md5(b"x").hexdigest()))  # noqa: S324
    near = flip_bits(rng, bank_bytes[[10, 20]], np.array([5, 30]))
    far = flip_bits(rng, bank_bytes[[30]], np.array([40]))
    queries = [
        ("q1", "pdq", PdqSignal.from_bytes(near[0]).upper()),
        ("q2", "pdq", PdqSignal.from_bytes(near[1])),
        ("q3", "pdq", PdqSignal.from_bytes(far[0])),
        ("q4", "md5", hashlib.md5(b"x").hexdigest()),  # noqa: S324
        ("q5", "sha256", hashlib.sha256(b"y").hexdigest()),
    ]
    return _write_csv(tmp_path / "bank.csv", bank), _write_csv(tmp_path / "q.csv", queries)


def _read(path):
    with open(path, newline="", encoding="utf-8") as fp:
        return list(csv.reader(fp))


def test_match_end_to_end(bank_and_queries, tmp_path):
    bank, queries = bank_and_queries
    out = tmp_path / "out.csv"
    assert match_main(["--bank", str(bank), "--queries", str(queries), "--out", str(out)]) == 0
    assert _read(out) == [
        ["query_id", "bank_id", "signal_type", "distance"],
        ["q1", "b10", "pdq", "5"],
        ["q2", "b20", "pdq", "30"],
        ["q4", "b-md5", "md5", "0"],
    ]
    args = ["--bank", str(bank), "--queries", str(queries), "--out", str(out)]
    assert match_main([*args, "--max-distance", "45"]) == 0
    assert ["q3", "b30", "pdq", "40"] in _read(out)
    assert match_main([*args, "--max-distance", "10"]) == 0
    assert [row[0] for row in _read(out)[1:]] == ["q1", "q4"]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([], ("id", "type", "value"), "q.csv:1: header must be 'id,signal_type,value'"),
        ([("a", "pdq", "12")], None, "q.csv:2: pdq hash must be 64 hexadecimal characters"),
        ([("a", "md5", "0" * 32), ("b", "md5", "x" * 32)], None, "q.csv:3: md5 hash must be hex"),
        ([("a", "sha1", "00")], None, "q.csv:2: unknown signal type 'sha1'"),
        ([("a", "vpdq", "00")], None, "q.csv:2: vpdq hash must be a JSON list of"),
        ([("a", "md5")], None, "q.csv:2: expected 3 fields"),
    ],
)
def test_match_refuses_bad_queries_and_writes_nothing(
    bank_and_queries, tmp_path, capsys, rows, header, message
):
    bank, _ = bank_and_queries
    queries = _write_csv(tmp_path / "q.csv", rows, header or ("id", "signal_type", "value"))
    out = tmp_path / "out.csv"
    args = ["--bank", str(bank), "--queries", str(queries), "--out", str(out)]
    assert match_main(args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_match_refuses_a_bad_bank_and_distance(bank_and_queries, tmp_path, capsys):
    _, queries = bank_and_queries
    bank = _write_csv(tmp_path / "bad-bank.csv", [("x", "sha256", "abc")])
    out = tmp_path / "out.csv"
    assert match_main(["--bank", str(bank), "--queries", str(queries), "--out", str(out)]) == 2
    assert "bad-bank.csv:2: sha256 hash must be 64" in capsys.readouterr().err
    args = ["--bank", str(queries), "--queries", str(queries), "--out", str(out)]
    assert match_main([*args, "--max-distance", "99"]) == 2
    assert "--max-distance must be between 0 and 63" in capsys.readouterr().err
    assert not out.exists()


def test_match_output_escapes_formula_ids(tmp_path):
    value = hashlib.sha256(b"z").hexdigest()
    bank = _write_csv(tmp_path / "bank.csv", [("=cmd|' /C calc'!A0", "sha256", value)])
    queries = _write_csv(tmp_path / "q.csv", [('+1+HYPERLINK("x")', "sha256", value)])
    out = tmp_path / "out.csv"
    assert match_main(["--bank", str(bank), "--queries", str(queries), "--out", str(out)]) == 0
    assert _read(out)[1] == ['\'+1+HYPERLINK("x")', "'=cmd|' /C calc'!A0", "sha256", "0"]


def test_match_index_is_saved_then_mapped_instead_of_reading_the_bank(
    bank_and_queries, tmp_path, monkeypatch
):
    bank, queries = bank_and_queries
    saved, first, second = tmp_path / "bank.idx", tmp_path / "1.csv", tmp_path / "2.csv"
    args = ["--bank", str(bank), "--queries", str(queries), "--index", str(saved)]
    assert match_main([*args, "--out", str(first)]) == 0
    assert saved.exists()
    # The second run maps the saved file: the bank is not parsed again (only checksummed).
    monkeypatch.setattr(bankfile.BankIndex, "build", _must_not_build)
    assert match_main([*args, "--out", str(second)]) == 0
    assert _read(second) == _read(first)
    assert ["q1", "b10", "pdq", "5"] in _read(second)
    assert ["q4", "b-md5", "md5", "0"] in _read(second)  # digest rows travel in the file too
    assert bankfile.bank_index(bank, saved)[1] == "loaded"


def test_match_index_of_another_bank_is_refused_and_nothing_written(
    bank_and_queries, tmp_path, capsys
):
    bank, queries = bank_and_queries
    saved, out = tmp_path / "bank.idx", tmp_path / "out.csv"
    args = ["--bank", str(bank), "--queries", str(queries), "--index", str(saved)]
    assert match_main([*args, "--out", str(tmp_path / "first.csv")]) == 0
    before = saved.read_bytes()
    with open(bank, "a", encoding="utf-8") as fp:  # the bank changes after the index was saved
        fp.write(f"b-new,sha256,{hashlib.sha256(b'new').hexdigest()}\n")
    assert match_main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "was saved from another bank ('bank.csv'" in err
    assert "give another --index file or delete this one" in err
    assert not out.exists()
    assert saved.read_bytes() == before


@pytest.mark.parametrize("damage", ["truncate", "flip", "not-an-index", "plain-pdq-index"])
def test_match_index_damaged_is_rebuilt_never_used(bank_and_queries, tmp_path, capsys, damage):
    bank, queries = bank_and_queries
    saved, out = tmp_path / "bank.idx", tmp_path / "out.csv"
    args = ["--bank", str(bank), "--queries", str(queries), "--index", str(saved)]
    assert match_main([*args, "--out", str(tmp_path / "first.csv")]) == 0
    data = saved.read_bytes()
    if damage == "truncate":
        saved.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        saved.write_bytes(data[:-200] + bytes([data[-200] ^ 0xFF]) + data[-199:])
    elif damage == "not-an-index":
        saved.write_text("hello", encoding="utf-8")
    else:
        PdqIndex.build(None, np.zeros((3, 32), np.uint8)).save(saved)
    assert match_main([*args, "--out", str(out)]) == 0
    assert "ctnet hashes match: index rebuilt:" in capsys.readouterr().err
    assert _read(out) == _read(tmp_path / "first.csv")
    assert bankfile.bank_index(bank, saved)[1] == "loaded"


def test_bank_index_round_trip_keeps_every_kind_of_row(tmp_path):
    rng = np.random.default_rng(4)
    pdq = rng.integers(0, 256, size=(50, 32), dtype=np.uint8)
    video = json.dumps(
        [f"{PdqSignal.from_bytes(pdq[0])},100,0.000", f"{PdqSignal.from_bytes(pdq[1])},100,1.000"]
    )
    rows = [(f"id-é-{i}", "pdq", PdqSignal.from_bytes(r)) for i, r in enumerate(pdq)]
    rows += [("m", "md5", "0" * 32), ("m2", "md5", "0" * 32), ("v", "vpdq", video)]
    bank = _write_csv(tmp_path / "bank.csv", rows)
    built, how = bankfile.bank_index(bank, tmp_path / "bank.idx")
    loaded, how_again = bankfile.bank_index(bank, tmp_path / "bank.idx")
    assert (how, how_again) == ("built", "loaded")
    for index in (built, loaded):
        assert [index.pdq_id(i) for i in (0, 49)] == ["id-é-0", "id-é-49"]
        assert list(index.match("md5", ["0" * 32])) == [("0" * 32, "m", 0), ("0" * 32, "m2", 0)]
        assert [v.id for v in index.videos] == ["v"]
        assert len(index.video_index) == 1
        hits = list(index.match("pdq", [PdqSignal.from_bytes(pdq[7])]))
        assert hits[0] == (PdqSignal.from_bytes(pdq[7]), "id-é-7", 0)


def _must_not_build(*_args, **_kwargs):
    raise AssertionError("the bank was read again instead of the saved index")
