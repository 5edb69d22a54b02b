"""Advisor exports: ``figures.json``, ``disposals.csv``, ``forms.csv`` and an ``.xlsx`` workbook.

An adviser re-checks the figures in a spreadsheet, so every export carries the same numbers as
the PDF: amounts rounded once to the cent (``summary.money``), quantities exact. The per-lot
rows are rounded so that they add up (``row_money``: per pass, tax year and category the gains
sum to the yearly figure, and each row's gain = proceeds − cost − fee; docs/report.md). Ledger text
(wallet and asset names, reasons, evidence, audit summaries) goes through
``writers.safe_cell`` so that a comment such as ``=HYPERLINK(…)`` stays text and never becomes
a formula. Numbers taxsim formats itself are written as numbers.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from ..engine.holding import LocalCalendar
from ..engine.types import Disposal, Match, PassResult
from ..model import CENT, ZERO
from ..rules import RuleSet
from ..summary import YearFigures, cents, money, within_speculation_period
from ..whatif import Comparison
from ..writers import safe_cell

VERIFY = "verify against the official form of the year"

#: Where the form mappings of each jurisdiction come from (the rule set cites them in comments,
#: docs/rules.md documents them with the domain notes' sources).
FORM_SOURCES = {
    "DE": "Anlage SO: help.divly.com 10560062 and t-online.de 12/2024 (2023/2024); "
    "elster.de help_est_ufa_10_2025 via a secondary source (2025) — see docs/rules.md",
    "AT": "E1kv: crypto-tax.at 'neue Felder im Steuererklärungsformular 2022' and "
    "bitcoinaustria/kassiber docs (secondary) — see docs/rules.md",
}

DISPOSAL_COLUMNS = (
    "pass",
    "disposal_id",
    "time",
    "year",
    "wallet",
    "asset",
    "kind",
    "quantity",
    "proceeds",
    "cost",
    "fee",
    "gain",
    "lot_id",
    "acquired",
    "holding_days",
    "taxable",
    "category",
    "origin",
    "realized",
    "corrections",
)

#: The ``category`` of a row: the yearly figure of ``simulate --json`` it counts toward, or
#: ``none`` (an Austrian swap that is no realization, a disposal without any lot).
CATEGORIES = ("taxable_gain", "exempt_gain", "speculation_gain", "none")


def corrections_by_tx(comp: Comparison) -> dict[str, list[str]]:
    """Transaction id → ids of the corrections that added, removed or changed it."""
    out: dict[str, list[str]] = {}
    for entry in getattr(comp.applied, "audit", None) or []:
        ids = out.setdefault(entry.tx_id, [])
        if entry.correction not in ids:
            ids.append(entry.correction)
    return out


def _match_rows(d: Disposal) -> list[Match | None]:
    # A disposal without matches (nothing to cover) still gets a row: no row is dropped.
    return list(d.matches) or [None]


# --- per-row amounts in cents that add up --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowMoney:
    """The cents of one row (one matched lot) and the yearly figure it counts toward."""

    year: int
    category: str  # one of CATEGORIES
    proceeds: Decimal
    cost: Decimal
    fee: Decimal
    gain: Decimal


def category(d: Disposal, m: Match | None, sold: date, calendar: LocalCalendar) -> str:
    """The yearly figure a row counts toward, by the rules of ``summary.year_figures``: AT
    realizations before ``special_rate_from`` are old § 31 speculation gains (within one year,
    or uncovered) or exempt; otherwise ``taxable`` decides; a non-realizing swap counts nowhere.
    ``sold`` is the sale's local date."""
    if m is None or not d.realized:
        return "none"
    old_until = calendar.rules.tax.special_rate_from
    if old_until is not None and sold < old_until:
        within = within_speculation_period(m, sold, calendar)
        return "speculation_gain" if within else "exempt_gain"
    return "taxable_gain" if m.taxable else "exempt_gain"


def allocate_cents(
    values: Sequence[Decimal], prefer: Sequence[Decimal] | None = None
) -> list[Decimal]:
    """Round each value to the cent so that the results add up to the exact total rounded to
    the cent (ROUND_HALF_UP): largest remainder. Each value is rounded down or up to the next
    cent, a value already in whole cents is never changed. Which values are rounded up: those
    with the highest ``prefer`` first (when given), then the largest remainder, then the first.

    The number to round up, k = (total rounded − Σ rounded down) / 1 ct, lies between 0 and
    the number of values with a remainder: the total rounded is at most ½ ct above the exact
    total, which is below Σ rounded down + (that number) ct.
    """
    target = cents(sum(values, ZERO))
    floors = [v.quantize(CENT, rounding=ROUND_FLOOR) for v in values]
    k = int((target - sum(floors, ZERO)) / CENT)
    if k:
        candidates = [i for i, v in enumerate(values) if v != floors[i]]
        candidates.sort(key=lambda i: (-(prefer[i]) if prefer else ZERO, floors[i] - values[i], i))
        for i in candidates[:k]:
            floors[i] += CENT
    return [v + 0 for v in floors]  # + 0: no "-0.00"


def _round_group(exact: list[tuple[Decimal, Decimal, Decimal, Decimal]]) -> list[tuple]:
    """(proceeds, cost, fee, gain) of the rows of one group → the same in cents.

    Proceeds and fee: ``allocate_cents``. Gain: ``allocate_cents`` too, rounding up those rows
    where that keeps cost = proceeds − fee − gain nearest its exact value. Cost is derived, so
    every row adds up; it may differ from its own rounding by a cent or two (docs/report.md).
    """
    proceeds = allocate_cents([p for p, _, _, _ in exact])
    fees = allocate_cents([f for _, _, f, _ in exact])
    prefer = []
    for (_, c, _, g), p, f in zip(exact, proceeds, fees, strict=True):
        down = g.quantize(CENT, rounding=ROUND_FLOOR)
        # how much closer to the exact cost the row gets when its gain is rounded up
        prefer.append(abs(p - f - down - c) - abs(p - f - down - CENT - c))
    gains = allocate_cents([g for _, _, _, g in exact], prefer)
    return [(p, p - f - g, f, g) for p, f, g in zip(proceeds, fees, gains, strict=True)]


def row_money(result: PassResult, rules: RuleSet) -> list[list[RowMoney]]:
    """Per disposal, per row (``_match_rows``): the amounts in cents and the category.

    Rows are grouped by tax year (the sale's local date, as in ``summary.year_figures``) and
    category. Within a group the rows' gains add up to the group's exact gain rounded to the
    cent — which is the yearly figure of ``simulate --json`` — and proceeds and fees to theirs.
    """
    calendar = LocalCalendar(rules)
    out: list[list[RowMoney | None]] = []
    groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
    exact: dict[tuple[int, str], list[tuple[Decimal, Decimal, Decimal, Decimal]]] = {}
    for n, d in enumerate(result.disposals):
        sold = calendar.day(d.time)
        rows = _match_rows(d)
        out.append([None] * len(rows))
        for j, m in enumerate(rows):
            key = (sold.year, category(d, m, sold, calendar))
            groups.setdefault(key, []).append((n, j))
            amounts = (
                (m.proceeds, m.cost, m.fee, m.gain) if m else (d.proceeds, ZERO, d.fee, d.gain)
            )
            exact.setdefault(key, []).append(amounts)
    for key, members in groups.items():
        for (n, j), (p, c, f, g) in zip(members, _round_group(exact[key]), strict=True):
            out[n][j] = RowMoney(key[0], key[1], p, c, f, g)
    return out  # type: ignore[return-value]


def disposal_rows(comp: Comparison) -> list[dict[str, str]]:
    """One row per matched lot of every disposal, raw pass first, then the corrected pass.

    Amounts are in cents by ``row_money``: each row's gain = proceeds − cost − fee, and per
    pass, tax year and ``category`` the gains add up to the yearly figure."""
    return list(iter_disposal_rows(comp))


def iter_disposal_rows(comp: Comparison) -> Iterator[dict[str, str]]:
    """``disposal_rows`` one at a time (the exports stream them: a 100k-row ledger has
    hundreds of thousands of rows, which as a list of dicts would take hundreds of MB)."""
    marks = corrections_by_tx(comp)
    passes: list[tuple[str, PassResult]] = [("raw", comp.raw.result)]
    passes.append(("corrected", comp.corrected.result))
    for label, result in passes:
        money_rows = row_money(result, comp.rules)
        for d, amounts in zip(result.disposals, money_rows, strict=True):
            for m, r in zip(_match_rows(d), amounts, strict=True):
                ids = marks.get(d.tx_id, []) + [
                    c
                    for c in marks.get(m.lot_id if m else "", [])
                    if c not in marks.get(d.tx_id, [])
                ]
                yield (
                    {
                        "pass": label,
                        "disposal_id": d.tx_id,
                        "time": d.time.isoformat(),
                        "year": str(r.year),
                        "wallet": d.wallet,
                        "asset": d.asset,
                        "kind": d.kind.value,
                        "quantity": format(m.quantity if m else d.quantity, "f"),
                        "proceeds": money(r.proceeds),
                        "cost": money(r.cost),
                        "fee": money(r.fee),
                        "gain": money(r.gain),
                        "lot_id": m.lot_id if m else "",
                        "acquired": m.acquired.isoformat() if m else "",
                        "holding_days": str(m.holding_days) if m else "",
                        "taxable": ("yes" if m.taxable else "no") if m else "",
                        "category": r.category,
                        "origin": m.origin.value if m else "",
                        "realized": "yes" if d.realized else "no",
                        "corrections": " ".join(ids) if label == "corrected" else "",
                    }
                )


@dataclass(slots=True)
class FormRow:
    year: int
    figure: str  # key of the rule set's [forms] table, e.g. "private_sales_gain"
    amount: Decimal  # corrected figure, full precision
    line: str  # the form line as the rule set gives it ("" when the year has none)
    source: str
    note: str


def form_rows(comp: Comparison) -> list[FormRow]:
    """Each corrected figure of each year with the form line it belongs on and the source."""
    rules = comp.rules
    jur = rules.jurisdiction
    rows: list[FormRow] = []
    for year in comp.years:
        f = comp.corrected.figures.get(year) or YearFigures(year)
        if jur == "DE":
            amounts = {"private_sales_gain": f.taxable_gain, "other_income": f.income}
        else:
            amounts = {
                "current_income": f.income,
                "realized_gain": f.taxable_gains,
                "realized_loss": f.taxable_losses,
                "speculation_gain": f.speculation_gain,
            }
        forms = rules.forms_for(year)
        key = str(year) if str(year) in rules.forms else "default"
        source = f"rules/{jur.lower()}.toml [forms.{key}]; {FORM_SOURCES[jur]}"
        for figure, amount in amounts.items():
            line = forms.get(figure, "")
            note = VERIFY if line else "no mapping in the rule set for this year: " + VERIFY
            rows.append(FormRow(year, figure, amount, line, source if line else "", note))
    return rows


def write_figures_json(comp: Comparison, path: Path) -> None:
    path.write_text(
        json.dumps(comp.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


_TEXT_COLUMNS = {"disposal_id", "wallet", "asset", "lot_id", "corrections"}


def write_disposals_csv(comp: Comparison, path: Path) -> int:
    """Write both passes; returns the number of data rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=DISPOSAL_COLUMNS)
        writer.writeheader()
        for row in iter_disposal_rows(comp):
            writer.writerow({k: safe_cell(v) if k in _TEXT_COLUMNS else v for k, v in row.items()})
            count += 1
    return count


def write_forms_csv(comp: Comparison, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["year", "figure", "amount", "form_line", "source", "note"])
        for r in form_rows(comp):
            writer.writerow([r.year, r.figure, money(r.amount), r.line, r.source, r.note])


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


def write_exports(comp: Comparison, out_dir: Path, corrections: object | None = None) -> list[Path]:
    """Write all advisor exports into ``out_dir`` (created if missing); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / "figures.json",
        out_dir / "disposals.csv",
        out_dir / "forms.csv",
        out_dir / "taxsim-advisor.xlsx",
    ]
    write_figures_json(comp, paths[0])
    write_disposals_csv(comp, paths[1])
    write_forms_csv(comp, paths[2])
    write_workbook(comp, paths[3], corrections)
    return paths
