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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from ..engine.holding import LocalCalendar
from ..engine.types import Disposal, Match, PassResult
from ..model import CENT, ZERO
from ..rules import RuleSet
from ..summary import YearFigures, cents, money
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
        within = m.short or sold <= calendar.last_taxable(calendar.day(m.acquired))
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
    marks = corrections_by_tx(comp)
    rows: list[dict[str, str]] = []
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
                rows.append(
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
    return rows


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
    rows = disposal_rows(comp)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=DISPOSAL_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) if k in _TEXT_COLUMNS else v for k, v in row.items()})
    return len(rows)


def write_forms_csv(comp: Comparison, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["year", "figure", "amount", "form_line", "source", "note"])
        for r in form_rows(comp):
            writer.writerow([r.year, r.figure, money(r.amount), r.line, r.source, r.note])


MONEY_FORMAT = "#,##0.00"


def write_workbook(comp: Comparison, path: Path, corrections: object | None = None) -> None:
    """The advisor workbook: Summary, Disposals, Income, Corrections, Audit trail, Forms mapping.

    Amounts are numeric cells (rounded to the cent, 2-decimal format) so the adviser can sum
    them; every ledger text is neutralised with ``safe_cell``.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], first: bool = False):  # type: ignore[no-untyped-def]
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        return ws

    def num(value: Decimal) -> Decimal:
        return cents(value) + 0

    def put(ws, values: list[object], money_cols: set[int]) -> None:  # type: ignore[no-untyped-def]
        """Append a row, the money columns formatted. The cells are made before appending:
        looking the row up afterwards (``ws.max_row``) scans every cell of the sheet."""
        row = list(values)
        for i in money_cols:
            cell = Cell(ws, value=row[i])
            cell.number_format = MONEY_FORMAT
            row[i] = cell
        ws.append(row)

    ws = sheet(
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
        first=True,
    )
    for y in comp.years:
        raw = comp.raw.figures.get(y) or YearFigures(y)
        cor = comp.corrected.figures.get(y) or YearFigures(y)
        put(
            ws,
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
            ],
            {1, 2, 3, 4, 5, 6, 7, 8, 11},
        )
    ws.append([])
    ws.append(["setting", "value"])
    for key, value in comp.as_json()["settings"].items():  # type: ignore[union-attr]
        ws.append([key, safe_cell(str(value))])

    ws = sheet("Disposals", list(DISPOSAL_COLUMNS))
    money_cols = {DISPOSAL_COLUMNS.index(c) for c in ("proceeds", "cost", "fee", "gain")}
    for row in disposal_rows(comp):
        values: list[object] = []
        for i, col in enumerate(DISPOSAL_COLUMNS):
            v = row[col]
            if i in money_cols or col == "quantity":
                values.append(Decimal(v))
            elif col in ("holding_days", "year") and v:
                values.append(int(v))
            else:
                values.append(safe_cell(v) if col in _TEXT_COLUMNS else v)
        put(ws, values, money_cols)

    ws = sheet(
        "Income",
        ["pass", "tx_id", "time", "wallet", "asset", "quantity", "value", "income_type", "taxable"],
    )
    for label, result in (("raw", comp.raw.result), ("corrected", comp.corrected.result)):
        for e in result.income:
            put(
                ws,
                [
                    label,
                    safe_cell(e.tx_id),
                    e.time.isoformat(),
                    safe_cell(e.wallet),
                    safe_cell(e.asset),
                    e.quantity,
                    num(e.value),
                    e.income_type.value,
                    "yes" if e.taxable else "no",
                ],
                {6},
            )

    ws = sheet(
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
        put(
            ws,
            [
                safe_cell(w.id),
                w.kind,
                safe_cell(w.reason),
                safe_cell(evidence.get(w.id, "")),
                num(w.total("alone")),
                num(w.total("left_out")),
                num(w.total("alone_income")),
                num(w.total("left_out_income")),
                by_year,
                safe_cell(w.error),
            ],
            {4, 5, 6, 7},
        )

    ws = sheet(
        "Audit trail", ["correction", "kind", "action", "tx_id", "before", "after", "reason"]
    )
    for a in getattr(comp.applied, "audit", None) or []:
        ws.append(
            [
                safe_cell(a.correction),
                a.kind,
                a.action,
                safe_cell(a.tx_id),
                safe_cell(a.before),
                safe_cell(a.after),
                safe_cell(a.reason),
            ]
        )

    ws = sheet("Forms mapping", ["year", "figure", "amount", "form_line", "source", "note"])
    for r in form_rows(comp):
        put(ws, [r.year, r.figure, num(r.amount), r.line, r.source, r.note], {2})

    for ws in wb.worksheets:
        for column in ws.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    wb.save(path)


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
