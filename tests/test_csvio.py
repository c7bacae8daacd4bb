"""The injection-safe CSV writer: neutralised formulas, quoting, BOM, mode 0600, all-or-nothing."""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from strikeboard.services.csvio import safe_cell, write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("\0x", "'\0x"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (-3, "-3"),
        (date(2026, 2, 29 - 1), "2026-02-28"),
        (True, "yes"),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected  # type: ignore[arg-type]


def test_every_field_quoted_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert write_csv(out, ["a", "b"], [['say "hi"', "x,y"], ["line\nbreak", "=cmd|' /C calc'!A0"]]) == 2
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0] == b'"a","b"'
    assert b'"say ""hi"""' in raw
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["a", "b"], ['say "hi"', "x,y"], ["line\nbreak", "'=cmd|' /C calc'!A0"]]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_excel_bom_and_no_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_csv(out, ["naïve"], [["café"]], excel=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(FileExistsError):
        write_csv(out, ["a"], [["b"]])
    assert "café" in out.read_text(encoding="utf-8-sig")
    write_csv(out, ["a"], [["b"]], overwrite=True)
    assert out.read_bytes() == b'"a"\r\n"b"\r\n'
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_no_partial_file_when_rows_fail(tmp_path: Path) -> None:
    def rows() -> Iterator[list[str]]:
        yield ["one"]
        raise RuntimeError("database went away")

    out = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        write_csv(out, ["a"], rows())
    assert list(tmp_path.iterdir()) == []
    out.write_text("old")
    with pytest.raises(RuntimeError):
        write_csv(out, ["a"], rows(), overwrite=True)
    assert out.read_text() == "old" and list(tmp_path.iterdir()) == [out]
