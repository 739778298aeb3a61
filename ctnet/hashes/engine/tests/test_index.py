import mmap

import faiss
import numpy as np
import pytest

from ctnet.hashes.engine.errors import IndexFormatError, InvalidSignal, UnknownSignalType
from ctnet.hashes.engine.index import INDEX_FORMAT_VERSION, Match, MatchIndex, PdqIndex
from ctnet.hashes.engine.signals import PdqSignal

from .conftest import flip_bits

N_BANK = 50_000


@pytest.fixture(scope="module")
def corpus():
    """50k random hashes, and queries planted at known distances (0-45) from bank rows."""
    rng = np.random.default_rng(2024)
    bank = rng.integers(0, 256, size=(N_BANK, 32), dtype=np.uint8)
    # Some near-duplicates inside the bank, so a query can have several true matches.
    dup_rows = rng.choice(N_BANK, size=500, replace=False)
    bank[dup_rows[:250]] = flip_bits(rng, bank[dup_rows[250:]], rng.integers(0, 20, 250))
    sources = rng.choice(N_BANK, size=400, replace=False)
    planted = flip_bits(rng, bank[sources], rng.integers(0, 46, size=400))
    unrelated = rng.integers(0, 256, size=(100, 32), dtype=np.uint8)
    ids = rng.permutation(N_BANK).astype(np.int64) * 1000 + 7  # not row numbers
    return ids, bank, np.vstack([planted, unrelated])


def brute_force(ids, bank, queries, max_distance):
    """Faiss exhaustive range search: an independent reference. Its radius is exclusive."""
    flat = faiss.IndexBinaryFlat(256)
    flat.add(bank)
    lims, dist, rows = flat.range_search(queries, max_distance + 1)
    return {
        (q, int(ids[rows[j]]), int(dist[j]))
        for q in range(len(queries))
        for j in range(lims[q], lims[q + 1])
    }


@pytest.mark.parametrize("max_distance", [0, 8, 16, 31, 40])
def test_recall_is_exact_against_brute_force(corpus, max_distance):
    ids, bank, queries = corpus
    index = PdqIndex.build(ids, bank)
    found = index.query(queries, max_distance)
    expected = brute_force(ids, bank, queries, max_distance)
    assert len(found) == len(set(found))  # no duplicates
    assert set(found) == expected
    assert len(expected) >= 20 if max_distance else len(expected) >= 1
    # Sorted by query, then distance.
    assert found == sorted(found, key=lambda m: (m[0], m[2], m[1]))


def test_save_and_load_round_trip(corpus, tmp_path):
    ids, bank, queries = corpus
    index = PdqIndex.build(ids, bank, checkpoint=42)
    path = tmp_path / "bank.pdqindex"
    index.save(path)
    loaded = PdqIndex.load(path)
    assert loaded.checkpoint == 42 and len(loaded) == N_BANK
    assert np.array_equal(loaded.hashes(), bank)
    assert loaded.query(queries, 31) == index.query(queries, 31)


def test_loaded_index_is_mapped_read_only(corpus, tmp_path):
    ids, bank, _queries = corpus
    path = tmp_path / "bank.pdqindex"
    PdqIndex.build(ids, bank).save(path)
    loaded = PdqIndex.load(path)
    # Mapped from the file, not copied: processes that load it share its pages.
    assert not loaded.hashes().flags.writeable
    base: object = loaded.hashes()
    while isinstance(base, np.ndarray):
        base = base.base
    assert isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)
    assert PdqIndex.saved_checkpoint(path) == 0


def test_load_refuses_other_files(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"not an index")
    with pytest.raises(IndexFormatError, match="not a saved PDQ index"):
        PdqIndex.load(path)
    assert PdqIndex.saved_checkpoint(path) is None


def _saved(tmp_path, corpus):
    ids, bank, _queries = corpus
    path = tmp_path / "bank.pdqindex"
    PdqIndex.build(ids[:2000], bank[:2000], checkpoint=5).save(path)
    return path, bytearray(path.read_bytes())


def test_load_refuses_a_damaged_file(corpus, tmp_path):
    path, data = _saved(tmp_path, corpus)
    data[-70] ^= 0x01  # one bit of the last array (the offsets)
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFormatError, match="fails its checksum"):
        PdqIndex.load(path)
    path.write_bytes(bytes(data[:-1000]))
    with pytest.raises(IndexFormatError, match="damaged"):
        PdqIndex.load(path)
    assert not path.with_name(path.name + ".tmp").exists()


def test_load_refuses_another_format_version(corpus, tmp_path):
    path, data = _saved(tmp_path, corpus)
    old = f'"format_version":{INDEX_FORMAT_VERSION}'.encode()
    assert old in data
    path.write_bytes(
        bytes(data).replace(old, f'"format_version":{INDEX_FORMAT_VERSION + 1}'.encode())
    )
    with pytest.raises(IndexFormatError, match=f"this engine reads {INDEX_FORMAT_VERSION}"):
        PdqIndex.load(path)
    # The checkpoint of a file this engine cannot read is not reported either.
    assert PdqIndex.saved_checkpoint(path) is None


def test_threads_split_a_batch_without_changing_the_answer(corpus):
    ids, bank, queries = corpus
    index = PdqIndex.build(ids, bank)
    one = index.query_arrays(queries, 31, threads=1)
    two = index.query_arrays(queries, 31, threads=2)
    assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True))
    assert len(one[0]) >= 200


def test_row_number_ids_are_not_stored_and_big_ids_survive():
    rng = np.random.default_rng(3)
    bank = rng.integers(0, 256, size=(1000, 32), dtype=np.uint8)
    by_row = PdqIndex.build(np.arange(1000), bank)
    big_ids = np.arange(1000, dtype=np.int64) + (1 << 40)
    by_big = PdqIndex.build(big_ids, bank)
    assert by_row.nbytes < by_big.nbytes
    assert by_row.query(bank[5:6]) == [(0, 5, 0)]
    assert by_big.query(bank[5:6]) == [(0, 5 + (1 << 40), 0)]


def test_empty_index_and_empty_queries():
    empty = PdqIndex.build(np.zeros(0, np.int64), np.zeros((0, 32), np.uint8))
    assert empty.query(np.zeros((3, 32), np.uint8)) == []
    assert empty.query(np.zeros((0, 32), np.uint8)) == []


def test_bad_arguments_are_refused():
    bank = np.zeros((4, 32), np.uint8)
    index = PdqIndex.build(np.arange(4), bank)
    with pytest.raises(ValueError, match="max_distance must be between 0 and 63"):
        index.query(bank, 64)
    with pytest.raises(ValueError, match=r"shape \(n, 32\)"):
        index.query(np.zeros((2, 31), np.uint8))
    with pytest.raises(ValueError, match=r"ids must have shape \(4,\)"):
        PdqIndex.build(np.arange(3), bank)


def _hex(rng, n):
    return [PdqSignal.from_bytes(row) for row in rng.integers(0, 256, (n, 32), dtype=np.uint8)]


def test_match_index_over_all_signal_types():
    rng = np.random.default_rng(5)
    pdq = _hex(rng, 200)
    near = PdqSignal.from_bytes(flip_bits(rng, PdqSignal.to_bytes([pdq[3]]), np.array([12]))[0])
    md5 = "9e107d9d372bb6826bd81d3542a419d6"
    entries = [(f"p{i}", "pdq", v) for i, v in enumerate(pdq)]
    entries += [("m1", "md5", md5.upper()), ("m2", "MD5", md5), ("s1", "sha256", "ab" * 32)]
    index = MatchIndex.build(entries, checkpoint=9)
    assert index.checkpoint == 9
    assert index.match("pdq", [near, _hex(rng, 1)[0]]) == [Match(near, "p3", 12)]
    assert index.match("pdq", [near], max_distance=11) == []
    assert index.match("md5", [md5]) == [Match(md5, "m1", 0), Match(md5, "m2", 0)]
    assert index.match("sha256", ["AB" * 32]) == [Match("ab" * 32, "s1", 0)]
    assert index.match("sha256", ["cd" * 32]) == []


def test_match_index_rejects_bad_input():
    with pytest.raises(UnknownSignalType):
        MatchIndex.build([("x", "phash", "00")])
    with pytest.raises(InvalidSignal, match="pdq hash must be 64"):
        MatchIndex.build([("x", "pdq", "00")])
    index = MatchIndex.build([])
    assert index.match("pdq", ["0" * 64]) == []
    with pytest.raises(InvalidSignal, match="only matches exactly"):
        index.match("md5", ["0" * 32], max_distance=3)
