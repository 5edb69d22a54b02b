"""Bad inputs generated from the samples, one fault each, over every reader and command.

Each case asserts its exact outcome: the one error line naming file, row and column (and the
refused code point), or the figures of the clean file, or the neutralised output. Nothing
here is a list of known bugs only: the faults are the kinds of character, structure, encoding
and size faults real exports and hostile files carry, applied to every column role of every
layout (docs/formats.md, "Input boundary and limits")."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .faults import (
    LAYOUTS,
    SAMPLES,
    figures,
    inserted,
    invoke,
    one_error_line,
    table,
    xlsx_parts,
    zip_with,
)

#: Characters the boundary refuses inside identifiers and values (one of each kind: C0/C1
#: controls, DEL, zero-width, bidi overrides and isolates, BOM, variation selector, fillers,
#: soft hyphen, other spaces, line separator).
HIDDEN = [
    "\x00", "\u200b", "\u202e", "\x07", "\u00a0", "\ufeff", "\ufe0f", "\x7f", "\u2066",
    "\x1b", "\u3164", "\u00ad", "\u200d", "\u2028", "\x85", "\u061c", "\u2060", "\u180e",
]  # fmt: skip
#: openpyxl cannot write C0 controls into a sheet; these can be in an XLSX.
XLSX_HIDDEN = [c for c in HIDDEN if not ("\x00" <= c < "\x20")]

#: (layout, column name, which of equally named columns) per role, for every layout.
COLUMNS: dict[str, list[tuple[str, int]]] = {
    "canonical": [("wallet", 1), ("buy_asset", 1), ("id", 1), ("txid", 1), ("sell_asset", 1),
                  ("buy_amount", 1), ("time", 1), ("kind", 1), ("fee_asset", 1),
                  ("contract", 1), ("from_address", 1), ("chain", 1)],
    "import": [("Exchange", 1), ("Cur.", 1), ("Tx-ID", 1), ("Cur.", 2), ("Buy", 1),
               ("Date", 1), ("Type", 1), ("Cur.", 3)],
    "v2": [("Exchange", 1), ("Cur.", 1), ("Tx-ID", 1), ("Sell", 1), ("Date", 1)],
    "v1": [("Exchange", 1), ("Cur.", 2), ("Date", 1), ("Cur.", 1)],
    "v3": [("Exchange", 1), ("Trade ID", 1), ("Tx Hash", 1), ("From Address", 1), ("Cur.", 1),
           ("To Address", 1), ("Sell To Address", 1)],
    "v4": [("Exchange", 1), ("Cur.", 1), ("Value in EUR", 1), ("Type", 1)],
    "german": [("Exchange", 1), ("Cur.", 1), ("Tx-ID", 1), ("Buy", 1)],
    "alias": [("Exchange", 1), ("Buy Currency", 1), ("Buy Amount", 1), ("Sell Currency", 1)],
}  # fmt: skip
COMMANDS = ["simulate", "diagnose", "dac8", "apply", "report"]
CORRECTIONS = SAMPLES / "client" / "corrections.toml"


def command(name: str, ledger: Path, tmp: Path) -> list[object]:
    return {
        "simulate": ["simulate", ledger, "-j", "de", "--json"],
        "diagnose": ["diagnose", ledger],
        "dac8": ["dac8", ledger],
        "apply": ["apply", ledger, "-c", CORRECTIONS, "-o", tmp / "out.csv"],
        "report": ["report", ledger, "-o", tmp / "out.pdf", "-q"],
    }[name]


@dataclass
class Case:
    id: str
    run: Callable[[Path], None]


CASES: list[Case] = []


def case(id: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(id, fn))
        return fn

    return register


# --- a hidden character in an identifier or value cell: refused, named ------------------------


def _character_case(
    layout: str, name: str, nth: int, ch: str, cmd: str, xlsx: bool, tag: str = ""
) -> None:
    def run(tmp: Path) -> None:
        t = table(layout)
        i = t.index(name, nth)
        k = t.first_row_with(i)
        t.rows[k][i] = inserted(t.rows[k][i], ch)
        path = tmp / f"{layout}.{'xlsx' if xlsx else 'csv'}"
        path.write_bytes(t.xlsx_bytes() if xlsx else t.csv_bytes())
        line = one_error_line(invoke(*command(cmd, path, tmp)))
        assert line.startswith(f"error: {path}, row {k + 2}, column '{t.label(i)}': "), line
        assert f"U+{ord(ch):04X}" in line, line
        assert "expected" in line

    kind = "xlsx" if xlsx else "csv"
    CASES.append(Case(f"char-{layout}-{kind}-{name}{nth}-U+{ord(ch):04X}-{cmd}{tag}", run))


_n = 0
for _layout, _columns in COLUMNS.items():
    for _name, _nth in _columns:
        _character_case(_layout, _name, _nth, HIDDEN[_n % len(HIDDEN)],
                        COMMANDS[_n % len(COMMANDS)], False)  # fmt: skip
        _n += 1
for _layout in ("canonical", "import", "v2", "v3"):
    for _name, _nth in COLUMNS[_layout][:4]:
        _character_case(_layout, _name, _nth, XLSX_HIDDEN[_n % len(XLSX_HIDDEN)],
                        COMMANDS[_n % len(COMMANDS)], True)  # fmt: skip
        _n += 1
# the two faults of the issue, in every command
for _cmd in COMMANDS:
    _character_case("canonical", "wallet", 1, "\x00", _cmd, False, "-issue")  # Kraken\0
_character_case("canonical", "buy_asset", 1, "\x00", "simulate", False, "-issue")  # BT\0C
_character_case("import", "Cur.", 1, "\x07", "simulate", False, "-issue")  # BTC\x07


# --- free text: made visible, figures unchanged ------------------------------------------------


@functools.cache
def clean_figures(layout: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "clean.csv"
        path.write_bytes(table(layout).csv_bytes())
        return repr(figures(invoke("simulate", path, "-j", "de", "--json"))["years"])


def _free_text_case(layout: str, name: str, ch: str) -> None:
    def run(tmp: Path) -> None:
        t = table(layout)
        i = t.index(name)
        t.rows[1][i] = f"note {ch}evil"
        path = tmp / "ledger.csv"
        path.write_bytes(t.csv_bytes())
        years = figures(invoke("simulate", path, "-j", "de", "--json"))["years"]
        assert repr(years) == clean_figures(layout)
        out = tmp / "corrected.csv"
        corr = tmp / "none.toml"
        corr.write_text("[meta]\nclient = 'x'\n", encoding="utf-8")
        result = invoke("apply", path, "-c", corr, "-o", out, "--format", "canonical")
        assert result.exit_code == 0, result.output
        written = out.read_text(encoding="utf-8")
        assert f"note <U+{ord(ch):04X}>evil" in written
        assert ch not in written

    CASES.append(Case(f"free-{layout}-{name}-U+{ord(ch):04X}", run))


for _ch in ("\u202e", "\x00", "\u200b", "\x1b"):
    _free_text_case("canonical", "comment", _ch)
_free_text_case("canonical", "group", "\u2066")
_free_text_case("import", "Comment", "\u202e")
_free_text_case("v2", "Comment", "\x07")
_free_text_case("v3", "Comment", "\ufeff")


# --- normalisation: the same name written two ways is one name ---------------------------------


@case("nfkc-fullwidth-ticker-is-the-ticker")
def _fullwidth(tmp: Path) -> None:
    t = table("canonical")
    i = t.index("buy_asset")
    for r in t.rows:
        if r[i] == "BTC":
            r[i] = "ＢＴＣ"
            break
    path = tmp / "ledger.csv"
    path.write_bytes(t.csv_bytes())
    years = figures(invoke("simulate", path, "-j", "de", "--json"))["years"]
    assert repr(years) == clean_figures("canonical")


@case("nfc-decomposed-wallet-is-the-wallet")
def _decomposed(tmp: Path) -> None:
    composed, decomposed = "B\u00f6rse", "Bo\u0308rse"
    t = table("canonical")
    w = t.index("wallet")
    for r in t.rows:
        if r[w] == "Kraken":
            r[w] = composed
    base = tmp / "base.csv"
    base.write_bytes(t.csv_bytes())
    first = next(r for r in t.rows if r[w] == composed)
    first[w] = decomposed
    path = tmp / "mixed.csv"
    path.write_bytes(t.csv_bytes())
    want = figures(invoke("simulate", base, "-j", "de", "--json"))["years"]
    assert figures(invoke("simulate", path, "-j", "de", "--json"))["years"] == want


@case("surrounding-white-space-is-stripped")
def _surrounding(tmp: Path) -> None:
    t = table("canonical")
    i = t.index("buy_asset")
    t.rows[1][i] = "\u00a0" + t.rows[1][i] + "\u2028"
    path = tmp / "ledger.csv"
    path.write_bytes(t.csv_bytes())
    years = figures(invoke("simulate", path, "-j", "de", "--json"))["years"]
    assert repr(years) == clean_figures("canonical")


# --- structure and encoding of CSV ledgers -------------------------------------------------------


def _bytes_case(id: str, layout: str, mutate: Callable[[bytes], bytes], row: int | None,
                column: str | None, *words: str, cmd: str = "simulate") -> None:  # fmt: skip
    def run(tmp: Path) -> None:
        path = tmp / "ledger.csv"
        path.write_bytes(mutate(LAYOUTS[layout].read_bytes()))
        line = one_error_line(invoke(*command(cmd, path, tmp)))
        where = f"error: {path}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        assert line.startswith(where + ":"), line
        for word in words:
            assert word in line, line

    CASES.append(Case(f"bytes-{id}", run))


def _line(data: bytes, n: int) -> tuple[int, int]:
    """Start and end offsets of line ``n`` (1-based)."""
    start = 0
    for _ in range(n - 1):
        start = data.index(b"\n", start) + 1
    return start, data.index(b"\n", start)


def _replace_in_line(n: int, old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        start, end = _line(data, n)
        assert old in data[start:end], (n, old)  # the fault is really made
        return data[:start] + data[start:end].replace(old, new, 1) + data[end:]

    return mutate


def _ok_bytes_case(id: str, layout: str, mutate: Callable[[bytes], bytes], *words: str) -> None:
    """A file the readers take as it is (another encoding, detected): the figures of the clean
    file, and a warning saying what was assumed."""

    def run(tmp: Path) -> None:
        path = tmp / "ledger.csv"
        path.write_bytes(mutate(LAYOUTS[layout].read_bytes()))
        result = invoke("simulate", path, "-j", "de", "--json")
        assert repr(figures(result)["years"]) == clean_figures(layout)
        for word in words:
            assert word in result.output, result.output

    CASES.append(Case(f"ok-{id}", run))


# Windows-1252 (German Excel's "CSV") is detected (readers.encoding): only texts depend on it
_ok_bytes_case("cp1252-comment", "canonical", _replace_in_line(3, b"Sparplan", b"Sparpl\xe4n"),
               "warning: ", "row 3, column 'comment'", "Windows-1252")  # fmt: skip
# a file mixing encodings (UTF-8 "€" and a Windows-1252 "ä"): read as Windows-1252, the "€"
# becomes "â‚¬" and the amount is refused, named
_bytes_case("mixed-encodings", "german", _replace_in_line(2, b"Kauf", b"K\xe4uf"), 2, "Sell",
            "expected a plain decimal number")  # fmt: skip
_ok_bytes_case("utf16-file", "import", lambda d: d.decode().encode("utf-16"))
_ok_bytes_case("utf8-bom", "canonical", lambda d: b"\xef\xbb\xbf" + d)
_ok_bytes_case("crlf-line-ends", "v2", lambda d: d.replace(b"\n", b"\r\n"))
# a byte neither UTF-8 nor Windows-1252 has: named by row and column
_bytes_case("byte-0x81-wallet", "import", _replace_in_line(4, b"Kraken", b"Kr\x81ken"),
            4, "Exchange", "0x81", cmd="diagnose")  # fmt: skip
_bytes_case("byte-0x9d-comment", "canonical", _replace_in_line(3, b"Sparplan", b"Spar\x9dplan"),
            3, "comment", "0x9D", cmd="apply")  # fmt: skip
_bytes_case("truncated-mid-row", "canonical", lambda d: d[: _line(d, 40)[0] + 30],
            40, None, "expected 22 columns")  # fmt: skip
_bytes_case("unclosed-quote", "import", _replace_in_line(6, b'"Kraken"', b'"Kraken'),
            6, "Exchange", "malformed CSV", cmd="dac8")  # fmt: skip
_bytes_case("stray-quote", "v2", _replace_in_line(3, b'"Kraken"', b'"Kra"ken"'),
            3, "Exchange", "malformed CSV", cmd="diagnose")  # fmt: skip


def _extra_cell(data: bytes) -> bytes:
    start, end = _line(data, 7)
    return data[:end] + b",x" + data[end:]


_bytes_case("extra-cell", "canonical", _extra_cell,
            7, None, "expected 22 columns, found 23")  # fmt: skip
_bytes_case("pdf-as-ledger", "canonical", lambda d: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + d[:200],
            4, None, "expected 22 columns, found 2")  # fmt: skip
_bytes_case("binary-garbage", "canonical", lambda d: bytes(range(256)) * 4, 2, "column 2",
            "0x81")  # fmt: skip
_bytes_case("empty-file", "canonical", lambda d: b"", 1, None, "unrecognised header")
_bytes_case("huge-cell", "canonical",
            _replace_in_line(9, b"Sparplan", b"S" * 200_000), 9, "comment", "131,072")  # fmt: skip
_bytes_case("nul-in-amount", "import", _replace_in_line(3, b'"0.00495132"', b'"0.0049\x005132"'),
            3, "Buy", "U+0000")  # fmt: skip
_bytes_case("exponent-amount", "canonical", _replace_in_line(3, b"0.00608638", b"6.08638e-3"),
            3, "buy_amount", "plain decimal")  # fmt: skip
_bytes_case("nan-amount", "v2", _replace_in_line(2, b'"0.00538920"', b'"NaN"'),
            2, "Buy", "plain decimal", cmd="dac8")  # fmt: skip
_bytes_case("year-0", "import", _replace_in_line(2, b"2023-01-02", b"0023-01-02"),
            2, "Date", "2008", cmd="diagnose")  # fmt: skip
_bytes_case("no-such-day", "v2", _replace_in_line(2, b"02.01.2023", b"31.02.2023"),
            2, "Date", "no such date")  # fmt: skip
_bytes_case("lone-cr", "canonical", _replace_in_line(3, b"Sparplan BTC", b"Spar\rplan"),
            3, None, "expected 22 columns")  # fmt: skip


# --- XLSX containers ----------------------------------------------------------------------------


def _xlsx_case(id: str, make: Callable[[bytes], bytes], *words: str, cmd: str = "simulate",
               env: dict[str, str] | None = None) -> None:  # fmt: skip
    def run(tmp: Path) -> None:
        path = tmp / "ledger.xlsx"
        path.write_bytes(make(table("import").xlsx_bytes()))
        import os

        saved = {k: os.environ.get(k) for k in env or {}}
        os.environ.update(env or {})
        try:
            line = one_error_line(invoke(*command(cmd, path, tmp)))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        assert line.startswith(f"error: {path}: "), line
        for word in words:
            assert word in line, line

    CASES.append(Case(f"xlsx-{id}", run))


def _bomb(data: bytes) -> bytes:
    parts = xlsx_parts(data)
    parts["xl/media/filler.bin"] = b"\0" * (64 << 20)  # 64 MiB of zeros: about 64 KiB packed
    return zip_with(parts)


def _far_cell(data: bytes) -> bytes:
    parts = xlsx_parts(data)
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</sheetData>",
        b'<row r="1000000"><c r="ZZ1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    return zip_with(parts)


def _lying_directory(data: bytes) -> bytes:
    """A part whose directory entry claims fewer bytes than it unpacks to."""
    raw = bytearray(zip_with({**xlsx_parts(data)}))
    name = b"xl/worksheets/sheet1.xml"
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))  # its central directory header
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    local = raw.find(b"PK\x03\x04" + raw[central + 6 : central + 8])  # best effort
    del local
    return bytes(raw)


_xlsx_case("truncated", lambda d: d[: len(d) // 2], "cannot read the XLSX file")
_xlsx_case("truncated-tail", lambda d: d[:-30], "cannot read the XLSX file", cmd="diagnose")
_xlsx_case("encrypted-ole", lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096,
           "password-protected", cmd="dac8")  # fmt: skip
_xlsx_case("not-a-zip", lambda d: b"Type,Buy\nTrade,1\n", "cannot read the XLSX file")
_xlsx_case("zip-bomb-ratio", _bomb, "compression ratio", "TAXSIM_LIMIT_XLSX_RATIO")
_xlsx_case("far-cell", _far_cell, "cells of sheet", "TAXSIM_LIMIT_XLSX_CELLS", cmd="apply")
_xlsx_case("unpacked-limit", lambda d: d, "unpacked size", "TAXSIM_LIMIT_XLSX_UNPACKED_BYTES",
           env={"TAXSIM_LIMIT_XLSX_UNPACKED_BYTES": "2000"})  # fmt: skip
_xlsx_case("lying-directory", _lying_directory, "XLSX", cmd="report")
_xlsx_case("empty-zip", lambda d: zip_with({}), "XLSX")


@case("xlsx-encrypted-entry-flag")
def _encrypted_flag(tmp: Path) -> None:
    raw = bytearray(table("import").xlsx_bytes())
    at = raw.find(b"PK\x01\x02")
    while at >= 0:  # set the "encrypted" bit on every central directory entry
        raw[at + 8] |= 1
        at = raw.find(b"PK\x01\x02", at + 4)
    path = tmp / "enc.xlsx"
    path.write_bytes(bytes(raw))
    line = one_error_line(invoke("simulate", path))
    assert line.startswith(f"error: {path}: ") and "encrypted" in line, line


# --- CARF XML platform reports ------------------------------------------------------------------

CARF = SAMPLES / "client" / "carf_kraken_2026.xml"


def _xml_case(id: str, mutate: Callable[[bytes], bytes], line_no: int | None, *words: str,
              env: dict[str, str] | None = None) -> None:  # fmt: skip
    def run(tmp: Path) -> None:
        import os

        path = tmp / "carf_kraken_2026.xml"
        path.write_bytes(mutate(CARF.read_bytes()))
        saved = {k: os.environ.get(k) for k in env or {}}
        os.environ.update(env or {})
        try:
            result = invoke("dac8", SAMPLES / "client" / "ledger.csv", "-r", path)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        line = one_error_line(result)
        where = f"error: {path}" + (f", row {line_no}" if line_no is not None else "")
        assert line.startswith(where), line
        for word in words:
            assert word in line, line

    CASES.append(Case(f"xml-{id}", run))


def _carf_line(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


_CARF = CARF.read_bytes()
_ASSET_LINE = _carf_line(_CARF, b"<carf:CryptoAsset>")
_xml_case("rlo-in-asset", lambda d: d.replace(b"Bitcoin", "Bit\u202ecoin".encode(), 1),
          _ASSET_LINE, "U+202E")  # fmt: skip
_xml_case("zwsp-in-amount", lambda d: d.replace(b">1654.29<", "> 1654\u200b.29<".encode(), 1),
          _carf_line(_CARF, b">1654.29<"), "U+200B")  # fmt: skip
_xml_case("nul-char-reference", lambda d: d.replace(b"Bitcoin", b"Bit&#0;coin", 1),
          _ASSET_LINE, "not well-formed")  # fmt: skip
_xml_case("raw-nul", lambda d: d.replace(b"Bitcoin", b"Bit\0coin", 1), _ASSET_LINE,
          "not well-formed")  # fmt: skip
_xml_case("doctype-entities", lambda d: d.replace(
    b"?>", b'?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1),
    2, "DOCTYPE")  # fmt: skip
_xml_case("truncated", lambda d: d[: len(d) // 2], None, "not well-formed")
_xml_case("deep-nesting", lambda d: d.replace(
    b"<carf:CryptoAsset>", b"<a>" * 100 + b"</a>" * 100 + b"<carf:CryptoAsset>", 1),
    _ASSET_LINE, "nesting depth", "TAXSIM_LIMIT_XML_DEPTH")  # fmt: skip
_xml_case("huge-text-node", lambda d: d.replace(b"Bitcoin", b"B" * 5000, 1), _ASSET_LINE,
          "characters of a text", env={"TAXSIM_LIMIT_XML_TEXT_CHARS": "4096"})  # fmt: skip
_xml_case("huge-attribute", lambda d: d.replace(b'currCode="EUR"', b'currCode="' + b"E" * 5000
          + b'"', 1), None, "attribute value",
          env={"TAXSIM_LIMIT_XML_TEXT_CHARS": "4096"})  # fmt: skip
_xml_case("total-size", lambda d: d, None, "size in bytes", env={"TAXSIM_LIMIT_XML_BYTES": "100"})
_xml_case("cp1252-declared-utf8", lambda d: d.replace(b"Bitcoin", b"Bitc\xf6in", 1), _ASSET_LINE,
          "not well-formed")  # fmt: skip


# --- platform report CSV, on-chain balances, corrections, previous export -----------------------

DAC8_CSV = SAMPLES / "client" / "dac8_kraken_2026.csv"
ONCHAIN = SAMPLES / "client" / "onchain_balances.csv"
PREVIOUS = SAMPLES / "client" / "previous_export.csv"
LEDGER = SAMPLES / "client" / "ledger.csv"


def _file_case(id: str, source: Path, mutate: Callable[[bytes], bytes],
               args: Callable[[Path, Path], list[object]], row: int | None,
               column: str | None, *words: str) -> None:  # fmt: skip
    def run(tmp: Path) -> None:
        path = tmp / source.name
        path.write_bytes(mutate(source.read_bytes()))
        line = one_error_line(invoke(*args(path, tmp)))
        where = f"error: {path}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        assert line.startswith(where + ":"), line
        for word in words:
            assert word in line, line

    CASES.append(Case(f"file-{id}", run))


def _dac8(path: Path, tmp: Path) -> list[object]:
    return ["dac8", LEDGER, "-r", path]


def _onchain(path: Path, tmp: Path) -> list[object]:
    return ["diagnose", LEDGER, "--onchain", path]


def _previous(path: Path, tmp: Path) -> list[object]:
    return ["diagnose", LEDGER, "--previous", path]


def _corrections(path: Path, tmp: Path) -> list[object]:
    return ["simulate", LEDGER, "-c", path]


def _corrections_apply(path: Path, tmp: Path) -> list[object]:
    return ["apply", LEDGER, "-c", path, "-o", tmp / "out.csv"]


_file_case("dac8-nul-asset", DAC8_CSV, _replace_in_line(2, b",BTC,", b",B\0TC,"), _dac8,
           2, "asset", "U+0000")  # fmt: skip
_file_case("dac8-zwsp-currency", DAC8_CSV, _replace_in_line(3, b",EUR,", ",E\u200bUR,".encode()),
           _dac8, 3, "currency", "U+200B")  # fmt: skip
_file_case("dac8-rlo-category", DAC8_CSV, _replace_in_line(2, b"CryptoFiatIn",
           "Crypto\u202eFiatIn".encode()), _dac8, 2, "category", "U+202E")  # fmt: skip
_file_case("dac8-cp1252", DAC8_CSV, _replace_in_line(3, b"Kraken", b"Kr\xe4ken"), _dac8,
           3, "column 1", "0xe4")  # fmt: skip
_file_case("dac8-nbsp-units", DAC8_CSV, _replace_in_line(2, b"0.01700491",
           "0.017\u00a000491".encode()), _dac8, 2, "units", "U+00A0")  # fmt: skip
_file_case("onchain-nul-wallet", ONCHAIN, _replace_in_line(2, b"MetaMask", b"Meta\0Mask"),
           _onchain, 2, "wallet", "U+0000")  # fmt: skip
_file_case("onchain-zwsp-asset", ONCHAIN, _replace_in_line(3, b",LINK,", ",LI\u200bNK,".encode()),
           _onchain, 3, "asset", "U+200B")  # fmt: skip
_file_case("onchain-rlo-contract", ONCHAIN, _replace_in_line(3, b"0x5149", "0x51\u202e49".encode()),
           _onchain, 3, "contract", "U+202E")  # fmt: skip
_file_case("onchain-cp1252", ONCHAIN, _replace_in_line(2, b"MetaMask", b"Met\xe4Mask"), _onchain,
           2, "column 1", "0xe4")  # fmt: skip
_file_case("onchain-bidi-chain", ONCHAIN,
           _replace_in_line(2, b"ethereum", "ether\u2067eum".encode()), _onchain, 2, "chain",
           "U+2067")  # fmt: skip
_file_case("previous-nul-wallet", PREVIOUS, _replace_in_line(3, b"Kraken", b"Kra\0ken"), _previous,
           3, "wallet", "U+0000")  # fmt: skip
_file_case("previous-zwj-asset", PREVIOUS, _replace_in_line(3, b",BTC,", ",B\u200dTC,".encode()),
           _previous, 3, "buy_asset", "U+200D")  # fmt: skip
_file_case("previous-0x81", PREVIOUS, _replace_in_line(4, b"Sparplan", b"Sp\x81rplan"), _previous,
           4, "comment", "0x81")  # fmt: skip
_file_case("corrections-zwsp-asset", CORRECTIONS,
           lambda d: d.replace(b'asset = "USDC"', b'asset = "US\\u200bDC"', 1), _corrections,
           None, "correction[2].asset", "U+200B")  # fmt: skip
_file_case("corrections-nul-byte", CORRECTIONS, lambda d: d.replace(b'id = "C1"', b'id = "C\0"', 1),
           _corrections, _carf_line(CORRECTIONS.read_bytes(), b'id = "C1"'), None,
           "not valid TOML")  # fmt: skip
_file_case("corrections-rlo-wallet", CORRECTIONS,
           lambda d: d.replace(b'wallet = "', b'wallet = "\\u202e', 1), _corrections_apply,
           None, "correction[2].wallet", "U+202E")  # fmt: skip
_file_case("corrections-cp1252", CORRECTIONS, lambda d: d.replace(b"Lena", b"L\xe9na", 1),
           _corrections, 1, None, "not UTF-8")  # fmt: skip
_file_case("corrections-deep-arrays", CORRECTIONS, lambda d: d + b"\nx = " + b"[" * 5000
           + b"]" * 5000 + b"\n", _corrections, None, None, "TOML")  # fmt: skip


@case("corrections-rlo-in-reason-is-shown")
def _reason(tmp: Path) -> None:
    text = CORRECTIONS.read_text(encoding="utf-8").replace(
        'reason = """Address', 'reason = """\\u202eAddress', 1
    )
    import shutil

    shutil.copytree(SAMPLES / "client", tmp / "client")  # the files the corrections restore
    path = tmp / "client" / "corrections.toml"
    path.write_text(text, encoding="utf-8")
    want = figures(invoke("simulate", LEDGER, "-c", CORRECTIONS, "--json"))["years"]
    assert figures(invoke("simulate", LEDGER, "-c", path, "--json"))["years"] == want
    from taxsim.corrections import load_corrections

    assert load_corrections(path).corrections[0].reason.startswith("<U+202E>Address")


# --- options, the same in every command ----------------------------------------------------------


def _option_case(id: str, args: Callable[[Path], list[object]], *words: str) -> None:
    def run(tmp: Path) -> None:
        line = one_error_line(invoke(*args(tmp)))
        for word in words:
            assert word in line, line

    CASES.append(Case(f"option-{id}", run))


for _cmd in ("simulate", "dac8"):
    for _year in ("0", "1999", "2101", "-5"):
        _option_case(f"{_cmd}-year-{_year}", lambda t, c=_cmd, y=_year: [c, LEDGER, "--year", y],
                     f"expected a tax year from 2008 to 2100, got {int(_year)}")  # fmt: skip
for _rate in ("NaN", "NaN%", "abc", "150%", "-0.1", "Infinity", "sNaN"):
    _option_case(f"marginal-rate-{_rate}",
                 lambda t, r=_rate: ["simulate", LEDGER, "--marginal-rate", r],
                 "--marginal-rate")  # fmt: skip
for _rate in ("NaN", "0", "-1", "x", "Infinity"):
    _option_case(f"eur-usd-{_rate}", lambda t, r=_rate: ["dac8", LEDGER, "--eur-usd", r],
                 "--eur-usd")  # fmt: skip
_option_case("apply-o-xlsx", lambda t: ["apply", LEDGER, "-c", CORRECTIONS, "-o", t / "c.xlsx"],
             "writes CSV", ".xlsx")  # fmt: skip
_option_case("apply-audit-pdf", lambda t: ["apply", LEDGER, "-c", CORRECTIONS, "-o", t / "c.csv",
             "--audit", t / "a.pdf"], "writes CSV")  # fmt: skip
_option_case("report-o-xlsx", lambda t: ["report", LEDGER, "-o", t / "r.xlsx"], "writes PDF")
_option_case("diagnose-suggest-csv", lambda t: ["diagnose", LEDGER, "--suggest", t / "s.csv"],
             "writes TOML")  # fmt: skip
_option_case("diagnose-csv-toml", lambda t: ["diagnose", LEDGER, "--csv", t / "f.toml"],
             "writes CSV")  # fmt: skip
for _cmd in ("simulate", "dac8", "report", "apply"):
    _option_case(f"{_cmd}-missing-corrections", lambda t, c=_cmd: [
        c, LEDGER, "-c", t / "nope.toml", *(["-o", t / "o.csv"] if c == "apply" else []),
        *(["-o", t / "o.pdf"] if c == "report" else [])],
        "--corrections", "file not found")  # fmt: skip
_option_case("corrections-folder", lambda t: ["simulate", LEDGER, "-c", t], "is a folder")
_option_case("previous-missing", lambda t: ["diagnose", LEDGER, "--previous", t / "p.csv"],
             "--previous", "file not found")  # fmt: skip
_option_case("onchain-missing", lambda t: ["diagnose", LEDGER, "--onchain", t / "o.csv"],
             "--onchain", "file not found")  # fmt: skip
_option_case("timezone-unknown", lambda t: ["simulate", LEDGER, "--timezone", "Mars/Olympus"],
             "Mars/Olympus")  # fmt: skip
_option_case("timezone-nul", lambda t: ["diagnose", LEDGER, "--timezone", "Europe/\x00Berlin"],
             "time zone")  # fmt: skip
_option_case("ledger-is-folder", lambda t: ["simulate", t], "is a folder, not a ledger file")


# --- the run -------------------------------------------------------------------------------------


def test_there_are_at_least_100_cases() -> None:
    assert len(CASES) >= 100, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_bad_input(bad: Case, tmp_path: Path) -> None:
    bad.run(tmp_path)
