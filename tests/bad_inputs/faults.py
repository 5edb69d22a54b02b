"""Building faulty inputs from the samples: one fault per file, at a known row and column.

Every helper returns the bytes of a file; the row numbers are the ones the readers use
(header = row 1, docs/formats.md), computed from the records, not assumed."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from taxsim.cli import _register, app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
READERS = ROOT / "tests" / "data" / "readers"

_register()
runner = CliRunner()

#: The ledger layouts the readers accept, each from a sample file.
LAYOUTS = {
    "canonical": SAMPLES / "client" / "ledger.csv",
    "import": SAMPLES / "cointracking" / "import_format.csv",
    "v2": SAMPLES / "cointracking" / "trade_list_v2.csv",
    "v1": READERS / "v1_rotki_style.csv",
    "v3": READERS / "v3_extended.csv",
    "v4": READERS / "v4_values.csv",
    "german": READERS / "german_excel.csv",
    "alias": READERS / "import_alias.csv",
}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows; rows[k] is spreadsheet row k + 2
    delimiter: str
    bom: bool

    def copy(self) -> Table:
        return Table(list(self.header), [list(r) for r in self.rows], self.delimiter, self.bom)

    def index(self, name: str, nth: int = 1) -> int:
        """Position of the ``nth`` column called ``name`` (``Cur.`` appears three times)."""
        seen = 0
        for i, h in enumerate(self.header):
            if h == name:
                seen += 1
                if seen == nth:
                    return i
        raise KeyError(name)

    def label(self, i: int) -> str:
        """The column's name as the readers' messages give it."""
        h = self.header[i]
        return f"{h} (column {i + 1})" if Counter(self.header)[h] > 1 else h

    def first_row_with(self, i: int) -> int:
        """Index of the first data row whose cell ``i`` is not empty."""
        return next(k for k, r in enumerate(self.rows) if r[i].strip() not in ("", "-"))

    def csv_bytes(self) -> bytes:
        out = io.StringIO(newline="")
        quoting = csv.QUOTE_ALL if self.delimiter == ";" else csv.QUOTE_MINIMAL
        writer = csv.writer(out, delimiter=self.delimiter, quoting=quoting, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return ("\ufeff" if self.bom else "").encode() + out.getvalue().encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(self.header)
        for r in self.rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def table(layout: str) -> Table:
    raw = LAYOUTS[layout].read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Table(records[0], [r for r in records[1:] if r], delimiter, bom)


def inserted(text: str, ch: str) -> str:
    """``text`` with ``ch`` inside it (never at either end, where it would be white space)."""
    if len(text) < 2:
        text = text + "X" if text else "XY"
    middle = len(text) // 2
    return text[:middle] + ch + text[middle:]


def invoke(*args: object):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    """The single error line of a refused run (exit 2, no traceback, nothing else on stderr
    but warnings)."""
    out = result.output
    assert "Traceback" not in out, out
    assert result.exit_code == 2, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    errors = [line for line in out.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, out
    return errors[0]


def figures(result) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    text = result.stdout
    return json.loads(text[text.index("{") :])


def zip_with(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def xlsx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}
