"""The advisor workbook (``taxsim-advisor.xlsx``), written row by row with XlsxWriter."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...model import ZERO
from ...summary import YearFigures, cents, money
from ...whatif import Comparison
from ...writers import safe_cell
from .csvfiles import _TEXT_COLUMNS
from .forms import form_rows
from .rows import DISPOSAL_COLUMNS, iter_disposal_rows

MONEY_FORMAT = "#,##0.00"
#: Rows a worksheet holds in Excel (and LibreOffice Calc): a longer sheet continues in
#: "Disposals (2)", "Disposals (3)" … (each with the header row), never cut off. (XlsxWriter
#: itself ignores a cell beyond this row: it returns -1 and writes nothing.)
MAX_SHEET_ROWS = 1_048_576
#: The column widths of a sheet are computed from its header and this many first rows (held
#: back until then, so that every part of a continued sheet gets the same widths).
WIDTH_SAMPLE_ROWS = 2_000
#: What stands in a workbook cell for a character a workbook cannot hold: the C0 control
#: characters except tab, LF and CR (as ``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``), the
#: non-characters U+FFFE and U+FFFF and lone surrogates (not XML 1.0 characters either).
ILLEGAL_CHARACTER_PLACEHOLDER = "\ufffd"
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Excel's column width unit is the width of a digit, 7 pixels in the default font (Calibri
#: 11). The workbook stores ``len(text) + 2`` as the width itself (what openpyxl wrote);
#: XlsxWriter's ``set_column`` would add its 5-pixel cell padding (13 → 13.71), so the widths
#: are given in pixels, 7 per unit, which XlsxWriter stores unchanged.
_DIGIT_PIXELS = 7


def xl_text(value: str) -> str:
    """A ledger text for a workbook cell: neutralised (``writers.safe_cell``: never a
    formula) and each character XML 1.0 cannot carry (NUL, U+000B, U+FFFE …) replaced by
    ``ILLEGAL_CHARACTER_PLACEHOLDER``, visibly, where it would otherwise be lost, escaped
    or make the file unreadable."""
    return ILLEGAL_CHARACTERS_RE.sub(ILLEGAL_CHARACTER_PLACEHOLDER, safe_cell(value))


class _SheetWriter:
    """One sheet of a ``constant_memory`` XlsxWriter workbook, written row by row.

    The first ``WIDTH_SAMPLE_ROWS`` rows are held back until the column widths are known
    (from the header and those rows, as ``len(str(value)) + 2`` between 8 and 60); then the
    sheet is created with its widths, frozen header row and bold header, and every row goes
    straight to the file. At ``MAX_SHEET_ROWS`` rows the sheet continues in "<title> (2)".
    Cells in ``money`` columns get ``MONEY_FORMAT`` (also when empty).

    Each value is written by its type, never by ``Worksheet.write``'s guessing: ``str`` with
    ``write_string`` (a text stays text even if it looks like a formula, number or URL),
    ``int``/``Decimal`` with ``write_number`` as ``float`` (see ``write_workbook``), ``None``
    and ``""`` as no cell (or a formatted blank one in a money column).
    """

    def __init__(
        self, wb: Any, title: str, header: list[str], money: set[int], styles: tuple[Any, Any]
    ) -> None:
        self.wb, self.title, self.header, self.money = wb, title, header, money
        self.bold, self.money_format = styles
        # rows held back with their money columns; None once the widths are set
        self.held: list[tuple[list[object], set[int]]] | None = []
        self.widths: list[int] = []
        self.ws: Any = None
        self.parts = 0
        self.filled = 0  # rows in the current part, header included

    def append(self, values: list[object], cols: set[int] | None = None) -> None:
        """Add a row; ``cols``: its money columns, if other than the sheet's."""
        chosen = self.money if cols is None else cols
        if self.held is None:
            self._write(values, chosen)
            return
        self.held.append((values, chosen))
        if len(self.held) >= WIDTH_SAMPLE_ROWS:
            self._release()

    def close(self) -> None:
        if self.held is not None:
            self._release()
        if self.ws is None:
            self._open()

    def _release(self) -> None:
        held, self.held = self.held or [], None
        columns = max((len(row) for row, _ in held), default=0)
        columns = max(columns, len(self.header))
        longest = [8] * columns
        seen = [False] * columns
        for row in (self.header, *(row for row, _ in held)):
            for i, value in enumerate(row):
                if value is not None:
                    size = len(str(value))
                    if not seen[i] or size > longest[i]:
                        longest[i], seen[i] = size, True
        self.widths = [min(max(n + 2, 8), 60) for n in longest]
        for row, cols in held:
            self._write(row, cols)

    def _open(self) -> None:
        self.parts += 1
        title = self.title if self.parts == 1 else f"{self.title} ({self.parts})"
        self.ws = ws = self.wb.add_worksheet(title)
        ws.freeze_panes(1, 0)  # "A2"
        for i, width in enumerate(self.widths):
            ws.set_column_pixels(i, i, width * _DIGIT_PIXELS)
        for i, name in enumerate(self.header):
            ws.write_string(0, i, name, self.bold)
        self.filled = 1

    def _write(self, values: list[object], cols: set[int]) -> None:
        if self.ws is None or self.filled >= MAX_SHEET_ROWS:
            self._open()
        ws, r = self.ws, self.filled
        for i, value in enumerate(values):
            style = self.money_format if i in cols else None
            if value is None or value == "":
                # no cell (openpyxl wrote an empty text as a cell without a value); in a
                # money column a formatted blank one
                if style is not None:
                    ws.write_blank(r, i, None, style)
            elif isinstance(value, str):
                ws.write_string(r, i, value, style)
            elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                ws.write_number(r, i, float(value), style)
            else:
                raise TypeError(f"no workbook cell for {type(value).__name__}: {value!r}")
        self.filled += 1


def write_workbook(comp: Comparison, path: Path, corrections: object | None = None) -> None:
    """The advisor workbook: Summary, Disposals, Income, Corrections, Audit trail, Forms mapping.

    Amounts are numeric cells (rounded to the cent, 2-decimal format) so the adviser can sum
    them; every ledger text is neutralised (``xl_text``) and written as a text cell. Written
    with XlsxWriter in ``constant_memory`` mode, row by row (``_SheetWriter``): only the
    current row is held in memory; a sheet longer than Excel's ``MAX_SHEET_ROWS`` continues
    in "<title> (2)".

    Numbers: Excel stores every number as a binary double, so each ``Decimal`` is converted
    consciously with ``float()`` (the nearest double) and written with 16 significant digits,
    the text openpyxl wrote before. An amount in cents of up to 15 significant digits (below
    10^13 €) reads back as exactly the double of its two-decimal text, i.e. ``float("1234.57")``;
    quantities with more than 15–16 significant digits are rounded as any Excel number is.
    (Passing the ``Decimal`` itself would write its own decimal text instead — equal for
    cents, but not the text of today's workbooks for long quantities.)
    """
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    # constant_memory keeps each sheet's rows in a temporary file until close(); they hold
    # ledger data, so they live in a folder of our own that goes away also after an error
    with tempfile.TemporaryDirectory(prefix="taxsim-xlsx-", ignore_cleanup_errors=True) as tmp:
        wb = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "tmpdir": tmp,
                # only Worksheet.write() guesses types; _SheetWriter never calls it, and
                # these keep it so should anyone do
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                # a part above 4 GB (the Disposals of a multi-million-row ledger) needs ZIP64;
                # Python's zipfile still writes smaller parts without it, as with openpyxl
                "use_zip64": True,
            },
        )
        _fill_workbook(wb, comp, corrections)
        try:
            wb.close()
        except FileCreateError as exc:  # callers expect the OSError, as openpyxl raised it
            raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc from None


def _fill_workbook(wb: Any, comp: Comparison, corrections: object | None) -> None:
    """The sheets of ``write_workbook``, in order."""
    styles = (wb.add_format({"bold": True}), wb.add_format({"num_format": MONEY_FORMAT}))

    def num(value: Decimal) -> Decimal:
        return cents(value) + 0

    ws = _SheetWriter(
        wb,
        "Summary",
        [
            "year",
            "raw_taxable_gain",
            "corrected_taxable_gain",
            "fictitious_profit",
            "raw_after_allowance",
            "corrected_after_allowance",
            "corrected_exempt_gain",
            "corrected_income",
            "freigrenze",
            "raw_shorts",
            "corrected_shorts",
            "tax_effect",
        ],
        {1, 2, 3, 4, 5, 6, 7, 8, 11},
        styles,
    )
    for y in comp.years:
        raw = comp.raw.figures.get(y) or YearFigures(y)
        cor = comp.corrected.figures.get(y) or YearFigures(y)
        ws.append(
            [
                y,
                num(raw.taxable_gain),
                num(cor.taxable_gain),
                num(comp.fictitious(y)),
                num(raw.taxable_after_allowance),
                num(cor.taxable_after_allowance),
                num(cor.exempt_gain),
                num(cor.income),
                num(raw.freigrenze) if raw.freigrenze is not None else None,
                raw.short_count,
                cor.short_count,
                num(comp.tax_effect(y)),
            ]
        )
    # the settings below the figures are plain text
    ws.append([], set())
    ws.append(["setting", "value"], set())
    for key, value in comp.as_json()["settings"].items():  # type: ignore[union-attr]
        ws.append([key, xl_text(str(value))], set())
    ws.close()

    money_cols = {DISPOSAL_COLUMNS.index(c) for c in ("proceeds", "cost", "fee", "gain")}
    ws = _SheetWriter(wb, "Disposals", list(DISPOSAL_COLUMNS), money_cols, styles)
    for row in iter_disposal_rows(comp):
        values: list[object] = []
        for i, col in enumerate(DISPOSAL_COLUMNS):
            v = row[col]
            if i in money_cols or col == "quantity":
                values.append(Decimal(v))
            elif col in ("holding_days", "year") and v:
                values.append(int(v))
            else:
                values.append(xl_text(v) if col in _TEXT_COLUMNS else v)
        ws.append(values)
    ws.close()

    ws = _SheetWriter(
        wb,
        "Income",
        ["pass", "tx_id", "time", "wallet", "asset", "quantity", "value", "income_type", "taxable"],
        {6},
        styles,
    )
    for label, result in (("raw", comp.raw.result), ("corrected", comp.corrected.result)):
        for e in result.income:
            ws.append(
                [
                    label,
                    xl_text(e.tx_id),
                    e.time.isoformat(),
                    xl_text(e.wallet),
                    xl_text(e.asset),
                    e.quantity,
                    num(e.value),
                    e.income_type.value,
                    "yes" if e.taxable else "no",
                ]
            )
    ws.close()

    ws = _SheetWriter(
        wb,
        "Corrections",
        [
            "id",
            "kind",
            "reason",
            "evidence",
            "alone_total",
            "left_out_total",
            "income_alone_total",
            "income_left_out_total",
            "by_year",
            "error",
        ],
        {4, 5, 6, 7},
        styles,
    )
    evidence = {
        c.id: "; ".join(c.evidence)
        for c in getattr(corrections, "corrections", ())  # type: ignore[attr-defined]
    }
    for w in comp.worth:
        by_year = ", ".join(
            f"{y}: {money(w.alone.get(y, ZERO))} / {money(w.left_out.get(y, ZERO))}"
            for y in sorted(set(w.alone) | set(w.left_out))
        )
        ws.append(
            [
                xl_text(w.id),
                w.kind,
                xl_text(w.reason),
                xl_text(evidence.get(w.id, "")),
                num(w.total("alone")),
                num(w.total("left_out")),
                num(w.total("alone_income")),
                num(w.total("left_out_income")),
                by_year,
                xl_text(w.error),
            ]
        )
    ws.close()

    ws = _SheetWriter(
        wb,
        "Audit trail",
        ["correction", "kind", "action", "tx_id", "before", "after", "reason"],
        set(),
        styles,
    )
    for a in getattr(comp.applied, "audit", None) or []:
        ws.append(
            [
                xl_text(a.correction),
                a.kind,
                a.action,
                xl_text(a.tx_id),
                xl_text(a.before),
                xl_text(a.after),
                xl_text(a.reason),
            ]
        )
    ws.close()

    ws = _SheetWriter(
        wb,
        "Forms mapping",
        ["year", "figure", "amount", "form_line", "source", "note"],
        {2},
        styles,
    )
    for r in form_rows(comp):
        ws.append([r.year, r.figure, num(r.amount), r.line, r.source, r.note])
    ws.close()
