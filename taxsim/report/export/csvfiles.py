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
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal

from ...summary import money
from ...whatif import Comparison
from ...writers import safe_cell
from .forms import form_rows
from .rows import DISPOSAL_COLUMNS, RowMoney, iter_disposal_values

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
            return datetime.fromisoformat(value).strftime(_GERMAN_TIME)
    return value


def write_disposals_csv(
    comp: Comparison,
    path: Path,
    dialect: Dialect = "plain",
    zone: tzinfo | None = None,
    cents_by_pass: Mapping[str, list[list[RowMoney]]] | None = None,
) -> int:
    """Write both passes; returns the number of data rows. ``cents_by_pass``: ``pass_money(comp)``
    if already computed."""
    as_cells = disposal_cells(dialect)
    count = 0
    with _open(path, dialect) as fh:
        writer = _writer(fh, dialect)
        writer.writerow(DISPOSAL_COLUMNS)
        for values in iter_disposal_values(comp, zone, cents_by_pass):
            writer.writerow(as_cells(values))
            count += 1
    return count


def disposal_cells(dialect: Dialect) -> Callable[[tuple[object, ...]], list[object]]:
    """A row of ``iter_disposal_values`` → its CSV cells: the text of ``disposal_rows`` passed
    through ``cell``. Amounts (whole cents), ``int``s and None the csv module writes as
    ``str`` would (None as an empty field); the rest is formatted here."""
    texts = [i for i, c in enumerate(DISPOSAL_COLUMNS) if c in _TEXT_COLUMNS]
    times = [i for i, c in enumerate(DISPOSAL_COLUMNS) if c in _TIME_COLUMNS]
    exact = [DISPOSAL_COLUMNS.index("quantity")]  # str() might write 1E-8
    amounts = [i for i, c in enumerate(DISPOSAL_COLUMNS) if c in _NUMBER_COLUMNS and i not in exact]
    german = dialect == "de"

    def cells(values: tuple[object, ...]) -> list[object]:
        row: list[Any] = list(values)
        for i in texts:
            row[i] = safe_cell(row[i])
        for i in exact:
            row[i] = format(row[i], "f")
        for i in times:
            if row[i] is not None:
                row[i] = row[i].strftime(_GERMAN_TIME) if german else row[i].isoformat()
        if german:
            for i in (*exact, *amounts):
                row[i] = str(row[i]).replace(".", ",")
        return row

    return cells


_GERMAN_TIME = "%d.%m.%Y %H:%M:%S"


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
