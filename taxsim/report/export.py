"""Advisor exports: ``figures.json``, ``disposals.csv``, ``forms.csv`` and an ``.xlsx`` workbook.

An adviser re-checks the figures in a spreadsheet, so every export carries the same numbers as
the PDF: amounts rounded once to the cent (``summary.money``), quantities exact. Ledger text
(wallet and asset names, reasons, evidence, audit summaries) goes through
``writers.safe_cell`` so that a comment such as ``=HYPERLINK(…)`` stays text and never becomes
a formula. Numbers taxsim formats itself are written as numbers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..engine.types import Disposal, Match, PassResult
from ..model import ZERO
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
    "origin",
    "realized",
    "corrections",
)


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


def disposal_rows(comp: Comparison) -> list[dict[str, str]]:
    """One row per matched lot of every disposal, raw pass first, then the corrected pass."""
    marks = corrections_by_tx(comp)
    rows: list[dict[str, str]] = []
    passes: list[tuple[str, PassResult]] = [("raw", comp.raw.result)]
    passes.append(("corrected", comp.corrected.result))
    for label, result in passes:
        for d in result.disposals:
            for m in _match_rows(d):
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
                        "wallet": d.wallet,
                        "asset": d.asset,
                        "kind": d.kind.value,
                        "quantity": format(m.quantity if m else d.quantity, "f"),
                        "proceeds": money(m.proceeds if m else d.proceeds),
                        "cost": money(m.cost if m else ZERO),
                        "fee": money(m.fee if m else d.fee),
                        "gain": money(m.gain if m else d.gain),
                        "lot_id": m.lot_id if m else "",
                        "acquired": m.acquired.isoformat() if m else "",
                        "holding_days": str(m.holding_days) if m else "",
                        "taxable": ("yes" if m.taxable else "no") if m else "",
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
            elif col == "holding_days" and v:
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
