"""``disposals.csv`` and ``forms.csv``, in one of two dialects:

* ``plain`` (default) — ``,`` between fields, ``.`` as decimal point, UTF-8 without BOM, times
  as ISO 8601 with their UTC offset: for programs (pandas, csvkit, a database import);
* ``de`` — ``;`` between fields, decimal comma, UTF-8 with BOM, times as ``TT.MM.JJJJ hh:mm:ss``:
  a German Excel opens it by double-click in columns, with numbers and dates it can sum and
  sort (Excel's German list separator is ``;``; the BOM makes it read UTF-8, so "€" and "–"
  are not mojibake).

Times are local, in the report's zone (``--timezone``, as ``taxsim diagnose`` shows them).
"""

from __future__ import annotations

import csv
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Literal

from ...summary import money
from ...whatif import Comparison
from ...writers import safe_cell
from .forms import form_rows
from .rows import DISPOSAL_COLUMNS, RowMoney, iter_disposal_rows

Dialect = Literal["plain", "de"]
DIALECTS: tuple[Dialect, ...] = ("plain", "de")

_TEXT_COLUMNS = {"disposal_id", "wallet", "asset", "lot_id", "corrections"}
_NUMBER_COLUMNS = {"quantity", "proceeds", "cost", "fee", "gain", "amount"}
_TIME_COLUMNS = {"time", "acquired"}


def _open(path: Path, dialect: Dialect):  # type: ignore[no-untyped-def]
    encoding = "utf-8-sig" if dialect == "de" else "utf-8"
    return path.open("w", newline="", encoding=encoding)


def _writer(fh, dialect: Dialect):  # type: ignore[no-untyped-def]
    return csv.writer(fh, delimiter=";" if dialect == "de" else ",")


def cell(column: str, value: str, dialect: Dialect) -> str:
    """One CSV cell: ledger text neutralised (never a formula); in dialect ``de`` numbers with
    a decimal comma and times as German date-times."""
    if column in _TEXT_COLUMNS:
        return safe_cell(value)
    if dialect == "de" and value:
        if column in _NUMBER_COLUMNS:
            return value.replace(".", ",")
        if column in _TIME_COLUMNS:
            return datetime.fromisoformat(value).strftime("%d.%m.%Y %H:%M:%S")
    return value


def write_disposals_csv(
    comp: Comparison,
    path: Path,
    dialect: Dialect = "plain",
    zone: tzinfo | None = None,
    cents_by_pass: dict[str, list[list[RowMoney]]] | None = None,
) -> int:
    """Write both passes; returns the number of data rows. ``cents_by_pass``: ``pass_money(comp)``
    if already computed."""
    count = 0
    with _open(path, dialect) as fh:
        writer = _writer(fh, dialect)
        writer.writerow(DISPOSAL_COLUMNS)
        for row in iter_disposal_rows(comp, zone, cents_by_pass):
            writer.writerow([cell(k, row[k], dialect) for k in DISPOSAL_COLUMNS])
            count += 1
    return count


def write_forms_csv(comp: Comparison, path: Path, dialect: Dialect = "plain") -> None:
    """The form lines of the corrected figures; without corrections only the header (a raw
    ledger with open gaps is not fit for filing)."""
    with _open(path, dialect) as fh:
        writer = _writer(fh, dialect)
        writer.writerow(["year", "figure", "amount", "form_line", "source", "note"])
        if comp.applied is None:
            return
        for r in form_rows(comp):
            amount = cell("amount", money(r.amount), dialect)
            writer.writerow([r.year, r.figure, amount, r.line, r.source, r.note])
