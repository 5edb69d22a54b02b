"""The advisor workbook (``taxsim-advisor.xlsx``), written row by row with XlsxWriter."""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ...model import ZERO
from ...summary import cents, money
from ...whatif import Comparison
from ...writers import safe_cell
from ..labels import action_label
from ..model import ReportFigures, report_figures, rules_fingerprint, scam_tokens
from .csvfiles import _TEXT_COLUMNS
from .forms import form_rows
from .rows import DISPOSAL_COLUMNS, RowMoney, iter_disposal_values

MONEY_FORMAT = "#,##0.00"
#: Excel number format of the date-time cells (Excel shows it in the user's locale order).
DATE_FORMAT = "dd.mm.yyyy hh:mm:ss"
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
        self.date_format: Any = None
        self._styles: dict[frozenset[int], list[str]] = {}
        self._plain: dict[str, bool] = {}
        self._serials: dict[datetime, str] = {}

    # --- for ``_fast_row``: what it needs per cell, worked out once ------------------------

    def cell_styles(self, cols: set[int]) -> list[str]:
        """The style attribute of each column's cell: the money format in ``cols``."""
        key = frozenset(cols)
        styles = self._styles.get(key)
        if styles is None:
            xf = f' s="{self.money_format._get_xf_index()}"'
            styles = self._styles[key] = [xf if i in cols else "" for i in range(len(_LETTERS))]
        return styles

    def plain_text(self, value: str) -> bool:
        """A text XlsxWriter writes unchanged (remembered: wallets, assets, ids repeat)."""
        ok = self._plain.get(value)
        if ok is None:
            ok = (
                len(value) <= self.ws.xls_strmax // 2
                and _PLAIN_TEXT.fullmatch(value) is not None
                and "_x" not in value
                and not value[0].isspace()
                and not value[-1].isspace()
            )
            if len(self._plain) >= _MEMO_SIZE:
                self._plain.clear()
            self._plain[value] = ok
        return ok

    def date_xf(self) -> int:
        if self.date_format is None:
            self.date_format = self.wb.add_format({"num_format": DATE_FORMAT})
        return self.date_format._get_xf_index()  # type: ignore[no-any-return]

    def serial(self, value: datetime) -> str:
        """The cell text of a date-time: XlsxWriter's Excel serial number of its local wall
        clock time, ``.16G`` (remembered: a lot's time recurs in every sale it covers)."""
        text = self._serials.get(value)
        if text is None:
            number = self.ws._convert_date_time(value.replace(tzinfo=None))
            if len(self._serials) >= _MEMO_SIZE:
                self._serials.clear()
            text = self._serials[value] = f"{number:.16G}"
        return text

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
        if _fast_row(self, values, cols):
            self.filled += 1
            return
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
            elif isinstance(value, datetime):
                # an Excel date: local wall-clock time (Excel has no time zones), the zone
                # is named in the header
                if self.date_format is None:
                    self.date_format = self.wb.add_format({"num_format": DATE_FORMAT})
                ws.write_datetime(r, i, value.replace(tzinfo=None), self.date_format)
            else:
                raise TypeError(f"no workbook cell for {type(value).__name__}: {value!r}")
        self.filled += 1


#: Entries of a sheet writer's memo of texts and date cells before it starts afresh.
_MEMO_SIZE = 100_000
#: Column letters of the first columns (a row's cell references, e.g. "C17").
_LETTERS = [("" if i < 26 else chr(64 + i // 26)) + chr(65 + i % 26) for i in range(702)]
#: Texts XlsxWriter writes unchanged: nothing to escape (``&<>``, control characters as
#: ``_xHHHH_``, non-characters; ``_x`` is checked apart), never a rich string (``<r>``).
_PLAIN_TEXT = re.compile("[^&<>\x00-\x1f\ufffe\uffff]*")


def _fast_row(sw: _SheetWriter, values: list[object], cols: set[int]) -> bool:
    """Write a data row straight into the sheet's ``constant_memory`` row file, as the very
    XML XlsxWriter's ``write_*`` + ``_write_single_row`` produce for it (same cells, styles,
    number text ``.16G``, inline strings) — per cell a fraction of their cost, which on a
    100k-row ledger (≈ 4 million cells) is most of the export time. False (nothing written)
    for a row it does not handle alike — a text longer than half Excel's limit or needing
    XlsxWriter's escapes, a non-finite number, a value of another type, a column beyond
    ``_LETTERS`` — which then takes the ``write_*`` path."""
    ws, r = sw.ws, sw.filled
    if len(values) > len(_LETTERS) or ws.previous_row >= r:
        return False
    if ws.table:  # a row XlsxWriter holds (the header): out with it, as its next write would
        ws._write_single_row(r)
    row = str(r + 1)
    styles = sw.cell_styles(cols)
    parts = [f'<row r="{row}">']
    add = parts.append
    first = last = -1
    for i, value in enumerate(values):
        kind = type(value)
        if kind is str and value:
            # only texts XlsxWriter writes unchanged (no escape, no rich string, no
            # whitespace to preserve, no truncation)
            if not sw.plain_text(value):
                return False
            add(f'<c r="{_LETTERS[i]}{row}"{styles[i]} t="inlineStr"><is><t>{value}</t></is></c>')
        elif kind is Decimal or kind is int:
            number = float(value)  # type: ignore[arg-type]
            if not math.isfinite(number):
                return False
            add(f'<c r="{_LETTERS[i]}{row}"{styles[i]}><v>{number:.16G}</v></c>')
        elif value is None or kind is str:  # None or ""
            if not styles[i]:
                continue
            add(f'<c r="{_LETTERS[i]}{row}"{styles[i]}/>')
        elif isinstance(value, datetime):
            add(f'<c r="{_LETTERS[i]}{row}" s="{sw.date_xf()}"><v>{sw.serial(value)}</v></c>')
        else:
            return False  # bool, float …: as XlsxWriter's own write_* path does
        if first < 0:
            first = i
        last = i
    if first < 0:
        return True  # no cell: XlsxWriter writes no row either
    add("</row>")
    ws.fh.write("".join(parts))
    # what XlsxWriter's _check_dimensions records for these cells
    ws.dim_rowmin = r if ws.dim_rowmin is None else min(ws.dim_rowmin, r)
    ws.dim_rowmax = r if ws.dim_rowmax is None else max(ws.dim_rowmax, r)
    ws.dim_colmin = first if ws.dim_colmin is None else min(ws.dim_colmin, first)
    ws.dim_colmax = last if ws.dim_colmax is None else max(ws.dim_colmax, last)
    ws.previous_row = r
    return True


def write_workbook(
    comp: Comparison,
    path: Path,
    corrections: object | None = None,
    data: object | None = None,
    figures: ReportFigures | None = None,
    cents_by_pass: Mapping[str, list[list[RowMoney]]] | None = None,
) -> None:
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
        _fill_workbook(wb, comp, corrections, data, figures, cents_by_pass)
        try:
            wb.close()
        except FileCreateError as exc:  # callers expect the OSError, as openpyxl raised it
            raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc from None


def _fill_workbook(
    wb: Any,
    comp: Comparison,
    corrections: object | None,
    data: object | None = None,
    figures: ReportFigures | None = None,
    cents_by_pass: Mapping[str, list[list[RowMoney]]] | None = None,
) -> None:
    """The sheets of ``write_workbook``, in order, headed in the report's language."""
    styles = (wb.add_format({"bold": True}), wb.add_format({"num_format": MONEY_FORMAT}))
    # without the report's input (the API, tests): English sheet names, the keys as headers
    lang = getattr(data, "lang", None)
    zone = ZoneInfo(getattr(data, "timezone", "") or comp.rules.local_timezone)
    if figures is None:
        figures = report_figures(
            comp,
            scam_tokens=scam_tokens(getattr(data, "diagnosis", None)),
            years=getattr(data, "years", None),
        )
    corrected = figures.mode == "corrected"

    def h(keys: list[str]) -> list[str]:
        return [header(k, lang, zone) for k in keys]

    def num(value: Decimal | None) -> Decimal | None:
        return None if value is None else cents(value) + 0

    keys = [
        "year",
        "raw_taxable_gain",
        "corrected_taxable_gain",
        "fictitious_gain",
        "raw_after_allowance",
        "corrected_after_allowance",
        "raw_income",
        "corrected_income",
        "fictitious_income",
        "raw_income_after_allowance",
        "corrected_income_after_allowance",
        "corrected_exempt_gain",
        "corrected_speculation_gain",
        "freigrenze",
        "raw_shorts",
        "corrected_shorts",
        "tax_raw",
        "tax_corrected",
        "tax_effect",
    ]
    money_cols = set(range(1, 14)) | {16, 17, 18}
    ws = _SheetWriter(wb, sheet("summary", lang), h(keys), money_cols, styles)
    for r in figures.years:
        raw, cor = r.raw, r.corrected
        ws.append(
            [
                r.year,
                num(raw.taxable_gain),
                num(cor.taxable_gain) if corrected else None,
                num(r.fictitious_gain),
                num(raw.taxable_after_allowance),
                num(cor.taxable_after_allowance) if corrected else None,
                num(raw.income),
                num(cor.income) if corrected else None,
                num(r.fictitious_income),
                num(raw.income_after_allowance),
                num(cor.income_after_allowance) if corrected else None,
                num(cor.exempt_gain),
                num(cor.speculation_gain),
                num(raw.freigrenze) if raw.freigrenze is not None else None,
                raw.short_count,
                cor.short_count if corrected else None,
                num(r.tax_raw),
                num(r.tax_corrected),
                num(r.tax_effect),
            ]
        )
    t = figures.totals
    ws.append(
        [
            header("total", lang, zone),
            num(t.raw_taxable),
            num(t.corrected_taxable) if corrected else None,
            num(t.fictitious_gain),
            num(t.raw_after_allowance),
            num(t.corrected_after_allowance) if corrected else None,
            num(t.raw_income),
            num(t.corrected_income) if corrected else None,
            num(t.fictitious_income),
            num(t.raw_income_after_allowance),
            num(t.corrected_income_after_allowance) if corrected else None,
            None,
            None,
            None,
            t.raw_shorts,
            t.corrected_shorts if corrected else None,
            num(t.tax_raw),
            num(t.tax_corrected),
            num(t.tax_effect),
        ]
    )
    ws.close()

    ws = _SheetWriter(wb, sheet("settings", lang), h(["setting", "value"]), set(), styles)
    ws.append([header("mode", lang, zone), figures.mode])
    ws.append([header("status", lang, zone), figures.status])
    for key, value in comp.as_json()["settings"].items():  # type: ignore[union-attr]
        ws.append([key, xl_text(str(value))])
    ws.append(["rule_set", xl_text(comp.rules.name)])
    ws.append(["rule_set_fingerprint", rules_fingerprint(comp.rules)])
    for role, name, digest in getattr(data, "inputs", ()) or ():
        ws.append([f"sha256 {role}", xl_text(f"{name}: {digest}")])
    ws.close()

    money_cols = {DISPOSAL_COLUMNS.index(c) for c in ("proceeds", "cost", "fee", "gain")}
    ws = _SheetWriter(wb, sheet("disposals", lang), h(list(DISPOSAL_COLUMNS)), money_cols, styles)
    texts = [i for i, col in enumerate(DISPOSAL_COLUMNS) if col in _TEXT_COLUMNS]
    for row in iter_disposal_values(comp, zone, cents_by_pass):
        values = list(row)
        for i in texts:
            values[i] = xl_text(values[i])
        ws.append(values)
    ws.close()

    keys = ["pass", "tx_id", "time", "wallet", "asset", "quantity", "value", "income_type"]
    keys.append("taxable")
    ws = _SheetWriter(wb, sheet("income", lang), h(keys), {6}, styles)
    for label, result in (("raw", comp.raw.result), ("corrected", comp.corrected.result)):
        for e in result.income:
            ws.append(
                [
                    label,
                    xl_text(e.tx_id),
                    e.time.astimezone(zone),
                    xl_text(e.wallet),
                    xl_text(e.asset),
                    e.quantity,
                    num(e.value),
                    e.income_type.value,
                    "yes" if e.taxable else "no",
                ]
            )
    ws.close()

    keys = ["id", "kind", "reason", "evidence", "alone_total", "left_out_total"]
    keys += ["income_alone_total", "income_left_out_total", "by_year", "error"]
    ws = _SheetWriter(wb, sheet("corrections", lang), h(keys), {4, 5, 6, 7}, styles)
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

    keys = ["correction", "kind", "action", "tx_id", "before", "after", "reason"]
    ws = _SheetWriter(wb, sheet("audit", lang), h(keys), set(), styles)
    for a in getattr(comp.applied, "audit", None) or []:
        if lang is None:  # data: as the audit CSV, times in UTC
            before, after, action = a.before, a.after, a.action
        else:  # as the PDF's audit trail: the report's time zone and language
            before, after = a.shown(zone, lang)
            action = action_label(a.action, lang)  # type: ignore[arg-type]
        ws.append(
            [
                xl_text(a.correction),
                a.kind,
                action,
                xl_text(a.tx_id),
                xl_text(before),
                xl_text(after),
                xl_text(a.reason),
            ]
        )
    ws.close()

    keys = ["pass", "tx_id", "note_kind", "message"]
    ws = _SheetWriter(wb, sheet("notes", lang), h(keys), set(), styles)
    for label, n in comp.notes_by_pass():
        text = (n.message_de or n.message) if lang == "de" else n.message  # as in the PDF
        ws.append([label, xl_text(n.tx_id), n.kind.name.lower(), xl_text(text)])
    ws.close()

    keys = ["year", "figure", "amount", "form_line", "source", "note"]
    ws = _SheetWriter(wb, sheet("forms", lang), h(keys), {2}, styles)
    if corrected:  # a raw ledger with open gaps is not fit for filing: no form lines
        for r in form_rows(comp):
            if r.year in {y.year for y in figures.years}:
                ws.append([r.year, r.figure, num(r.amount), r.line, r.source, r.note])
    ws.close()


#: Sheet names (≤ 31 characters) and column headers of the workbook in each language.
SHEETS = {
    "summary": ("Übersicht", "Summary"),
    "settings": ("Einstellungen", "Settings"),
    "disposals": ("Veräußerungen", "Disposals"),
    "income": ("Einkünfte", "Income"),
    "corrections": ("Korrekturen", "Corrections"),
    "audit": ("Prüfpfad", "Audit trail"),
    "notes": ("Hinweise", "Notes"),
    "forms": ("Formulare", "Forms mapping"),
}
HEADERS = {
    "year": ("Jahr", "Year"),
    "total": ("Summe", "Total"),
    "raw_taxable_gain": ("Stpfl. Gewinn roh", "Taxable gain raw"),
    "corrected_taxable_gain": ("Stpfl. Gewinn korrigiert", "Taxable gain corrected"),
    "fictitious_gain": ("Fiktive Gewinne", "Fictitious gains"),
    "raw_after_allowance": ("Gewinn roh nach Freigrenze", "Gain raw after allowance"),
    "corrected_after_allowance": (
        "Gewinn korrigiert nach Freigrenze",
        "Gain corrected after allowance",
    ),
    "raw_income": ("Einkünfte roh", "Income raw"),
    "corrected_income": ("Einkünfte korrigiert", "Income corrected"),
    "fictitious_income": ("Fiktive Einkünfte", "Fictitious income"),
    "raw_income_after_allowance": ("Einkünfte roh nach Freigrenze", "Income raw after allowance"),
    "corrected_income_after_allowance": (
        "Einkünfte korrigiert nach Freigrenze",
        "Income corrected after allowance",
    ),
    "corrected_exempt_gain": ("Steuerfrei (korrigiert)", "Tax-free (corrected)"),
    "corrected_speculation_gain": (
        "Spekulation § 31 a. F. (korrigiert)",
        "Speculation old § 31 (corrected)",
    ),
    "freigrenze": ("Freigrenze § 23", "§ 23 limit"),
    "raw_shorts": ("Verkäufe ohne Kaufhistorie roh", "Sales without history raw"),
    "corrected_shorts": ("Verkäufe ohne Kaufhistorie korrigiert", "Sales without history corr."),
    "tax_raw": ("Steuer roh", "Tax raw"),
    "tax_corrected": ("Steuer korrigiert", "Tax corrected"),
    "tax_effect": ("Differenz", "Difference"),
    "setting": ("Einstellung", "Setting"),
    "value": ("Wert", "Value"),
    "mode": ("Berichtsart", "Report mode"),
    "status": ("Status", "Status"),
    "pass": ("Durchlauf", "Pass"),
    "disposal_id": ("Veräußerung (Tx-ID)", "Disposal (tx id)"),
    "time": ("Zeit ({zone})", "Time ({zone})"),
    "wallet": ("Wallet", "Wallet"),
    "asset": ("Kryptowert", "Asset"),
    "kind": ("Art", "Kind"),
    "quantity": ("Menge", "Quantity"),
    "proceeds": ("Erlös", "Proceeds"),
    "cost": ("Kosten", "Cost"),
    "fee": ("Gebühr", "Fee"),
    "gain": ("Gewinn", "Gain"),
    "lot_id": ("Lot (Erwerb)", "Lot (acquisition)"),
    "acquired": ("Erworben ({zone})", "Acquired ({zone})"),
    "holding_days": ("Haltedauer (Tage)", "Holding (days)"),
    "taxable": ("Steuerpflichtig", "Taxable"),
    "category": ("Kennzahl", "Figure"),
    "origin": ("Herkunft", "Origin"),
    "realized": ("Realisiert", "Realized"),
    "corrections": ("Korrekturen", "Corrections"),
    "tx_id": ("Tx-ID", "Tx id"),
    "value_eur": ("Wert (EUR)", "Value (EUR)"),
    "income_type": ("Einkunftsart", "Income type"),
    "id": ("Nr.", "Id"),
    "reason": ("Begründung", "Reason"),
    "evidence": ("Belege", "Evidence"),
    "alone_total": ("Allein (Gewinn)", "Alone (gain)"),
    "left_out_total": ("Weggelassen (Gewinn)", "Left out (gain)"),
    "income_alone_total": ("Allein (Einkünfte)", "Alone (income)"),
    "income_left_out_total": ("Weggelassen (Einkünfte)", "Left out (income)"),
    "by_year": ("Je Jahr (allein / weggelassen)", "Per year (alone / left out)"),
    "error": ("Fehler", "Error"),
    "correction": ("Korrektur", "Correction"),
    "action": ("Aktion", "Action"),
    "before": ("Vorher (Zeiten {zone})", "Before (times {zone})"),
    "after": ("Nachher (Zeiten {zone})", "After (times {zone})"),
    "note_kind": ("Art des Hinweises", "Kind of note"),
    "message": ("Hinweis", "Note"),
    "figure": ("Kennzahl", "Figure"),
    "amount": ("Betrag", "Amount"),
    "form_line": ("Formular / Zeile", "Form / line"),
    "source": ("Quelle", "Source"),
    "note": ("Hinweis", "Note"),
}


def header(key: str, lang: str | None, zone: object = "") -> str:
    """A column header in the report's language (the key itself when unknown or when no
    language is given)."""
    pair = HEADERS.get(key)
    if pair is None or lang is None:
        return key
    return (pair[0] if lang == "de" else pair[1]).format(zone=zone)


def sheet(key: str, lang: str | None) -> str:
    pair = SHEETS[key]
    return pair[0] if lang == "de" else pair[1]
