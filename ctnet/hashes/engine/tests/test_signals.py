import hashlib

import numpy as np
import pytest

from ctnet.hashes.engine.errors import InvalidSignal, UnknownSignalType
from ctnet.hashes.engine.signals import (
    PDQ_DEFAULT_MAX_DISTANCE,
    SIGNAL_TYPES,
    Md5Signal,
    PdqSignal,
    Sha256Signal,
    get_signal_type,
)

PDQ_A = "f" * 64
PDQ_B = "0" + "f" * 63  # first hex digit 0: 4 bits away


def test_registry_names_and_kinds():
    assert set(SIGNAL_TYPES) == {"pdq", "md5", "sha256", "vpdq"}
    assert get_signal_type(" PDQ ") is PdqSignal
    assert PdqSignal.exact is False and Md5Signal.exact and Sha256Signal.exact
    assert PdqSignal.default_max_distance == PDQ_DEFAULT_MAX_DISTANCE == 31


def test_unknown_signal_type_names_the_known_ones():
    with pytest.raises(UnknownSignalType) as info:
        get_signal_type("sha1")
    assert str(info.value) == "unknown signal type 'sha1'; expected one of: md5, pdq, sha256, vpdq"


def test_validate_normalises_case_and_whitespace():
    digest = hashlib.sha256(b"x").hexdigest()
    assert Sha256Signal.validate(f"  {digest.upper()}\n") == digest


@pytest.mark.parametrize(
    ("signal_type", "value", "message"),
    [
        (PdqSignal, "ab" * 31, "pdq hash must be 64 hexadecimal characters, got 62"),
        (Md5Signal, "a" * 33, "md5 hash must be 32 hexadecimal characters, got 33"),
        (Sha256Signal, "", "sha256 hash must be 64 hexadecimal characters, got 0"),
        (Md5Signal, "g" + "a" * 31, "md5 hash must be hexadecimal; found 'g'"),
        (PdqSignal, "z-" + "0" * 62, "pdq hash must be hexadecimal; found '-z'"),
        (PdqSignal, 1234, "pdq hash must be a string, not int"),
    ],
)
def test_malformed_values_are_rejected_with_a_clear_message(signal_type, value, message):
    with pytest.raises(InvalidSignal) as info:
        signal_type.validate(value)
    assert str(info.value).startswith(message)


def test_pdq_distance_is_hamming():
    assert PdqSignal.distance(PDQ_A, PDQ_B) == 4
    assert PdqSignal.distance(PDQ_A, "0" * 64) == 256
    assert PdqSignal.matches(PDQ_A, PDQ_B)
    assert not PdqSignal.matches(PDQ_A, PDQ_B, max_distance=3)


def test_exact_types_compare_by_equality():
    a = hashlib.md5(b"a", usedforsecurity=False).hexdigest()
    b = hashlib.md5(b"b", usedforsecurity=False).hexdigest()
    assert Md5Signal.distance(a, a.upper()) == 0
    assert Md5Signal.distance(a, b) == 1
    assert not Md5Signal.matches(a, b)


def test_pdq_hex_bytes_and_bits_round_trip():
    rng = np.random.default_rng(7)
    bits = rng.integers(0, 2, size=256)
    value = PdqSignal.from_bits(bits)
    assert len(value) == 64
    # Bit 0 is the most significant bit of the first hex digit (ThreatExchange's layout).
    assert int(value[0], 16) >> 3 == bits[0]
    row = PdqSignal.to_bytes([value])
    assert row.shape == (1, 32) and PdqSignal.from_bytes(row[0]) == value
    assert PdqSignal.to_bytes([]).shape == (0, 32)
