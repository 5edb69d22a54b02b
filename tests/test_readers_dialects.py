"""Encodings and dialects users produce: UTF-8 with/without BOM, Windows-1252 as German Excel
saves CSV (detected, or --encoding), Latin-1, UTF-16, ';' with decimal commas, CRLF, both
quoting styles, XLSX with title rows. The figures never depend on the encoding chosen."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from taxsim.engine import run_pass
from taxsim.model import InputError
from taxsim.readers import read_ledger
from taxsim.rules import load_rules
from taxsim.summary import year_figures

D = Decimal
DE = load_rules("de")
ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment",
          "Date", "Tx-ID"]  # fmt: skip
# 1 BTC bought for 20,000 € in the wallet "Börse München", then sold in two halves for 7,500 €
# each (a comment with € and „quotes“: characters cp1252 has at 0x80–0x9F). § 23 result:
# 2 × (7,500 − 10,000) = −5,000.
ROWS = [
    ["Trade", "1.00000000", "BTC", "20000.00", "EUR", "", "", "Börse München", "", "Kauf",
     "10.01.2023 10:00:00", "a1"],
    ["Trade", "7500.00", "EUR", "0.50000000", "BTC", "", "", "Börse München", "",
     "Verkauf „Hälfte“ für 7.500 €", "10.03.2023 10:00:00", "a2"],
    ["Trade", "7500.00", "EUR", "0.50000000", "BTC", "", "", "Börse München", "", "Rest",
     "10.04.2023 10:00:00", "a3"],
]  # fmt: skip


def text(delimiter: str = ",", quote_all: bool = True, comma_decimal: bool = False) -> str:
    def cell(c: str) -> str:
        if comma_decimal and c[:1].isdigit() and "." in c and ":" not in c:
            c = c.replace(".", ",")
        return f'"{c}"' if quote_all else c

    return "".join(delimiter.join(cell(c) for c in row) + "\n" for row in [HEADER, *ROWS])


def gains(path: Path, **options: object) -> tuple[Decimal, list[str]]:
    ledger = read_ledger(path, **options)  # type: ignore[arg-type]
    assert {t.wallet for t in ledger.transactions} == {"Börse München"}
    return year_figures(run_pass(ledger.transactions, DE), DE)[2023].taxable_gain, ledger.findings


def test_every_encoding_gives_the_same_figures(tmp_path: Path) -> None:
    body = text()
    files = {
        "utf8.csv": (body.encode("utf-8"), {}),
        "bom.csv": (body.encode("utf-8-sig"), {}),
        "cp1252.csv": (body.encode("cp1252"), {}),
        "cp1252_named.csv": (body.encode("cp1252"), {"encoding": "cp1252"}),
        "utf16.csv": (body.encode("utf-16"), {}),  # Excel's "Unicode Text" (with its BOM)
    }
    for name, (data, options) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        gain, findings = gains(path, **options)
        assert gain == D(-5000), name
        if name == "cp1252.csv":
            # the guess is said, with the first byte that is not UTF-8: 'ö' = 0xF6 in row 2
            (finding,) = findings
            assert "not UTF-8 (byte 0xF6 in row 2, column 'Exchange')" in finding
            assert "Windows-1252" in finding and "--encoding" in finding
        else:
            assert findings == [], name


def test_latin1_named_reads_what_cp1252_cannot(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and not UTF-8: auto fails naming the cell; Latin-1
    # (every byte a character) reads it when the user names it
    data = text().replace("„Hälfte“ für 7.500 €", "Hälfte").replace("Rest", "Rest\x81")
    data = data.encode("latin-1")
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_ledger(path)
    err = info.value
    assert (err.row, err.column) == (4, "Comment")
    assert "byte 0x81 fits neither UTF-8 nor Windows-1252 (cp1252)" in str(err)
    gain, _ = gains(path, encoding="latin-1")
    assert gain == D(-5000)


def test_a_named_encoding_that_does_not_fit_is_an_error_with_row_and_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes(text().encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_ledger(path, encoding="utf-8")
    assert (info.value.row, info.value.column) == (2, "Exchange")
    assert "byte 0xF6 does not fit UTF-8" in str(info.value)
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_ledger(path, encoding="klingon")


def test_german_excel_dialect_gives_the_same_figures(tmp_path: Path) -> None:
    # ';', decimal commas, minimal quoting, CRLF, cp1252: what "CSV (Trennzeichen-getrennt)"
    # writes; against the CoinTracking original (',', dots, every cell quoted, LF, UTF-8)
    excel = text(";", quote_all=False, comma_decimal=True).replace("\n", "\r\n")
    assert "7500,00;EUR;0,50000000" in excel
    a, b = tmp_path / "ct.csv", tmp_path / "excel.csv"
    a.write_bytes(text().encode("utf-8"))
    b.write_bytes(excel.encode("cp1252"))
    assert gains(a)[0] == gains(b)[0] == D(-5000)
    ta, tb = read_ledger(a).transactions, read_ledger(b).transactions
    assert [(t.time, t.buy, t.sell, t.comment) for t in ta] == [
        (t.time, t.buy, t.sell, t.comment) for t in tb
    ]


def test_xlsx_with_title_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["CoinTracking · Trade Table"])
    ws.append(["Exported: 27.11.2026 12:00"])
    ws.append([])
    ws.append(HEADER)
    for row in ROWS:
        ws.append([float(c) if c[:1].isdigit() and ":" not in c else c for c in row[:10]]
                  + [datetime.strptime(row[10], "%d.%m.%Y %H:%M:%S"), row[11]])  # fmt: skip
    ws.append(["Trade", "x", "BTC", 1, "EUR", None, None, "K", None, None, "10.05.2023 10:00:00"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:  # the bad row: header row 4, so row 8
        read_ledger(path)
    assert (info.value.row, info.value.column) == (8, "Buy")
    ws.delete_rows(8)
    wb.save(path)
    assert gains(path)[0] == D(-5000)


def test_cli_says_which_encoding_it_chose(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes(text().encode("cp1252"))
    run = subprocess.run(
        [sys.executable, "-m", "taxsim", "simulate", str(path), "--json"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "80"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "read as Windows-1252 (cp1252)" in run.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "taxsim", "simulate", str(path), "--encoding", "utf-8"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "80"},
        check=False,
    )
    assert bad.returncode == 2 and "row 2, column 'Exchange'" in bad.stderr
    assert "Traceback" not in bad.stderr
