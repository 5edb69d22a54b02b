"""The triage table: one row per client, sorted by the money at stake, and every finding of
every client — as ``triage.xlsx`` (sheets Triage, Findings, Open shorts), ``triage.csv`` and
``triage.parquet``, plus ``findings.csv`` / ``findings.parquet``.

Money is summed at full precision per client and rounded once to the cent (``summary.cents``).
In the workbook amounts are numeric cells with a two-decimal format; in the CSV (German Excel:
``;``, decimal comma, UTF-8 with BOM) text with a decimal comma; in Parquet ``decimal128(18, 2)``
— exact. Every text cell passes ``writers.safe_cell`` (ledger text never becomes a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..writers import safe_cell
from .job import STATUS_ERROR, Outcome


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | int | money


#: The triage sheet's columns; the finding counts per cause follow ``priority_low``.
COLUMNS: tuple[Column, ...] = (
    Column("client", "client"),
    Column("name", "name"),
    Column("jurisdiction", "jurisdiction"),
    Column("status", "status"),
    Column("tax_at_stake", "tax at stake € (raw − corrected)", "money"),
    Column("fictitious_gain", "fictitious gains €", "money"),
    Column("fictitious_income", "fictitious income €", "money"),
    Column("raw_tax", "tax raw €", "money"),
    Column("corrected_tax", "tax corrected €", "money"),
    Column("raw_short_proceeds", "proceeds booked at cost 0 (raw) €", "money"),
    Column("raw_shorts", "shorts raw", "int"),
    Column("open_shorts", "open shorts", "int"),
    Column("open_short_proceeds", "open short proceeds €", "money"),
    Column("findings", "findings", "int"),
    Column("gap_eur", "gaps € (diagnosis)", "money"),
    Column("priority_high", "priority high", "int"),
    Column("priority_medium", "priority medium", "int"),
    Column("priority_low", "priority low", "int"),
)
TAIL: tuple[Column, ...] = (
    Column("corrections", "corrections", "int"),
    Column("dac8_fail", "DAC8 fails", "int"),
    Column("dac8_warn", "DAC8 warnings", "int"),
    Column("first_action", "first thing to do"),
    Column("years", "years"),
    Column("transactions", "transactions", "int"),
    Column("input_notes", "input notes (see batch.log)", "int"),
    Column("ledger_format", "ledger format"),
    Column("error", "error"),
    Column("error_file", "error file"),
    Column("error_row", "error row", "int"),
    Column("error_column", "error column"),
)

#: The known causes in the diagnosis' order; any other a client's findings name follows.
KNOWN_CAUSES = (
    "scam_token", "deleted_inflow", "aggregator_swap", "one_sided_bridge", "incomplete_history",
    "unknown",
)  # fmt: skip

FINDING_COLUMNS: tuple[Column, ...] = (
    Column("client", "client"),
    Column("name", "name"),
    Column("number", "#", "int"),
    Column("kind", "kind"),
    Column("priority", "priority"),
    Column("cause", "cause"),
    Column("confidence", "confidence"),
    Column("wallet", "wallet"),
    Column("asset", "asset"),
    Column("chain", "chain"),
    Column("gap_eur", "gap €", "money"),
    Column("tipping_id", "tipping point"),
    Column("tipping_time", "tipping time (UTC)"),
    Column("before_id", "before"),
    Column("rows", "rows"),
    Column("lowest_balance", "lowest balance", "quantity"),
    Column("balance_today", "balance today", "quantity"),
    Column("pattern", "pattern"),
    Column("proposed_correction", "proposed correction"),
    Column("evidence", "evidence"),
)

SHORT_COLUMNS: tuple[Column, ...] = (
    Column("client", "client"),
    Column("name", "name"),
    Column("tx_id", "sale"),
    Column("time", "time (UTC)"),
    Column("wallet", "wallet"),
    Column("asset", "asset"),
    Column("uncovered", "units uncovered", "quantity"),
    Column("proceeds", "proceeds €", "money"),
    Column("resolve", "what resolves it"),
)


def columns_for(outcomes: Iterable[Outcome]) -> list[Column]:
    """The triage columns: fixed ones, one per cause (known ones always), then the rest."""
    seen = {k.removeprefix("cause:") for o in outcomes for k in o.row if k.startswith("cause:")}
    causes = list(KNOWN_CAUSES) + sorted(seen - set(KNOWN_CAUSES))
    per_cause = tuple(Column(f"cause:{c}", f"cause {c.replace('_', ' ')}", "int") for c in causes)
    return [*COLUMNS, *per_cause, *TAIL]


def sort_key(outcome: Outcome) -> tuple[object, ...]:
    """Clients that failed first (their stake is unknown), then by tax at stake, proceeds
    booked at cost 0 and fictitious gains, each largest first; then by folder name."""
    row = outcome.row

    def money(key: str) -> Decimal:
        value = row.get(key)
        return value if isinstance(value, Decimal) else Decimal(0)

    return (
        row.get("status") != STATUS_ERROR,
        -money("tax_at_stake"),
        -money("raw_short_proceeds"),
        -money("fictitious_gain"),
        outcome.client,
    )


def ordered(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=sort_key)


def table(outcomes: Sequence[Outcome]) -> tuple[list[Column], list[list[object]]]:
    """The triage rows in order, with counts 0 where a client has none (not where it failed)."""
    cols = columns_for(outcomes)
    rows = []
    for o in ordered(outcomes):
        failed = o.failed
        values = []
        for c in cols:
            value = o.row.get(c.key)
            if value is None and c.kind == "int" and not failed and c.key.startswith("cause:"):
                value = 0
            values.append(value)
        rows.append(values)
    return cols, rows


def finding_table(outcomes: Sequence[Outcome]) -> list[list[object]]:
    return [
        [_typed(c, f.get(c.key)) for c in FINDING_COLUMNS]
        for o in ordered(outcomes)
        for f in o.findings
    ]


def short_table(outcomes: Sequence[Outcome]) -> list[list[object]]:
    return [
        [_typed(c, s.get(c.key)) for c in SHORT_COLUMNS]
        for o in ordered(outcomes)
        for s in o.shorts
    ]


def _typed(column: Column, value: object) -> object:
    if (
        value is not None
        and column.kind in ("money", "quantity")
        and not isinstance(value, Decimal)
    ):
        return Decimal(str(value))
    return value


# --- writers ------------------------------------------------------------------------------------


def write_all(
    outcomes: Sequence[Outcome], out_dir: Path, csv_dialect: str = "excel-de"
) -> list[Path]:
    """Write every triage file into ``out_dir``; returns the paths."""
    cols, rows = table(outcomes)
    findings, shorts = finding_table(outcomes), short_table(outcomes)
    paths = {
        "xlsx": out_dir / "triage.xlsx",
        "csv": out_dir / "triage.csv",
        "parquet": out_dir / "triage.parquet",
        "findings_csv": out_dir / "findings.csv",
        "findings_parquet": out_dir / "findings.parquet",
    }
    write_xlsx(
        paths["xlsx"],
        [("Triage", cols, rows), ("Findings", list(FINDING_COLUMNS), findings),
         ("Open shorts", list(SHORT_COLUMNS), shorts)],
    )  # fmt: skip
    write_csv(paths["csv"], cols, rows, csv_dialect)
    write_csv(paths["findings_csv"], list(FINDING_COLUMNS), findings, csv_dialect)
    write_parquet(paths["parquet"], cols, rows)
    write_parquet(paths["findings_parquet"], list(FINDING_COLUMNS), findings)
    return list(paths.values())


MONEY_FORMAT = "#,##0.00"


def write_xlsx(path: Path, sheets: list[tuple[str, list[Column], list[list[object]]]]) -> None:
    """The triage workbook (XlsxWriter, as the report's): bold frozen header, autofilter,
    numbers as numeric cells (money with two decimals), text neutralised and written as text."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    money = wb.add_format({"num_format": MONEY_FORMAT})
    for title, cols, rows in sheets:
        ws = wb.add_worksheet(title)
        ws.freeze_panes(1, 1)
        for i, c in enumerate(cols):
            ws.write_string(0, i, c.header, bold)
            width = max(
                [len(c.header) // 2 + 2, 8] + [len(str(r[i] or "")) + 2 for r in rows[:200]]
            )
            ws.set_column(i, i, min(width, 60), money if c.kind == "money" else None)
        for r, values in enumerate(rows, start=1):
            for i, (c, value) in enumerate(zip(cols, values, strict=True)):
                _cell(ws, r, i, c, value, money)
        if rows:
            ws.autofilter(0, 0, len(rows), len(cols) - 1)
    wb.close()


def _cell(ws: Any, r: int, i: int, column: Column, value: object, money: Any) -> None:
    if value is None or value == "":
        return
    if column.kind == "money":
        # Excel holds binary doubles: the cent amount is converted consciously (as the report)
        ws.write_number(r, i, float(value), money)  # type: ignore[arg-type]
    elif column.kind == "int" and isinstance(value, int):
        ws.write_number(r, i, value)
    else:  # quantities too: exact text, never rounded to a double
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        ws.write_string(r, i, safe_cell(text))


def _csv_text(column: Column, value: object, german: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", ",") if german else text
    if isinstance(value, int):
        return str(value)
    return safe_cell(str(value))


def write_csv(path: Path, cols: list[Column], rows: list[list[object]], dialect: str) -> None:
    """``excel-de``: ``;``, decimal comma, UTF-8 with BOM (German Excel opens it as a table);
    ``plain``: ``,``, decimal point, UTF-8."""
    german = dialect == "excel-de"
    with path.open("w", newline="", encoding="utf-8-sig" if german else "utf-8") as fh:
        writer = csv.writer(fh, delimiter=";" if german else ",")
        writer.writerow([c.header if german else c.key for c in cols])
        for values in rows:
            writer.writerow([_csv_text(c, v, german) for c, v in zip(cols, values, strict=True)])


def write_parquet(path: Path, cols: list[Column], rows: list[list[object]]) -> None:
    """Parquet with typed columns: money ``decimal128(18, 2)`` (exact cents), counts
    ``int64``, quantities and text as strings; column names are the keys."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"money": pa.decimal128(18, 2), "int": pa.int64()}
    arrays = []
    for i, c in enumerate(cols):
        values = [r[i] for r in rows]
        if c.kind == "quantity":
            values = [None if v is None else format(v, "f") for v in values]
        elif c.kind == "text":
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=types.get(c.kind, pa.string())))
    pq.write_table(pa.Table.from_arrays(arrays, names=[c.key for c in cols]), path)
