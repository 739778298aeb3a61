import csv
import io

from ctnet.lib.csvsafe import csv_text, safe_cell


def test_every_formula_start_is_escaped() -> None:
    for value in (
        "=cmd()",
        '+1+HYPERLINK("http://evil.example","x")',
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "+33 1 23 45 67 89",
    ):
        assert safe_cell(value) == "'" + value


def test_plain_cells_are_left_alone() -> None:
    assert safe_cell("FRA desk") == "FRA desk"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(None) == ""
    assert safe_cell(3) == "3"


def test_whole_document_round_trips_with_escaped_cells() -> None:
    text = csv_text(["a", "b"], [['+1+HYPERLINK("x")', "ok, fine"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a", "b"], ['\'+1+HYPERLINK("x")', "ok, fine"]]
