"""Advisor exports: ``figures.json``, ``disposals.csv``, ``forms.csv`` and an ``.xlsx`` workbook.

An adviser re-checks the figures in a spreadsheet, so every export carries the same numbers as
the PDF: amounts rounded once to the cent (``summary.money``), quantities exact. The per-lot
rows are rounded so that they add up (``row_money``: per pass, tax year and category the gains
sum to the yearly figure, and each row's gain = proceeds − cost − fee; docs/report.md). Ledger text
(wallet and asset names, reasons, evidence, audit summaries) goes through
``writers.safe_cell`` so that a comment such as ``=HYPERLINK(…)`` stays text and never becomes
a formula. Numbers taxsim formats itself are written as numbers.

One module per export: ``figures`` (figures.json), ``csvfiles`` (disposals.csv, forms.csv),
``workbook`` (the .xlsx); ``rows`` holds the per-lot rows and their cents, ``forms`` the form
mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...forked import SideJobs
from ...whatif import PARALLEL_MIN_ROWS, Comparison
from ..model import report_figures, scam_tokens
from .csvfiles import (
    DIALECTS,
    Dialect,
    write_disposals_csv,
    write_forms_csv,
)
from .figures import write_figures_json
from .forms import FORM_SOURCES, VERIFY, FormRow, form_rows
from .rows import (
    CATEGORIES,
    DISPOSAL_COLUMNS,
    PassCents,
    RowMoney,
    allocate_cents,
    category,
    corrections_by_tx,
    disposal_rows,
    iter_disposal_rows,
    iter_disposal_values,
    pass_money,
    row_money,
)
from .workbook import MAX_SHEET_ROWS, MONEY_FORMAT, WIDTH_SAMPLE_ROWS, write_workbook, xl_text

__all__ = [
    "CATEGORIES",
    "DIALECTS",
    "DISPOSAL_COLUMNS",
    "FORM_SOURCES",
    "MAX_SHEET_ROWS",
    "MONEY_FORMAT",
    "VERIFY",
    "WIDTH_SAMPLE_ROWS",
    "FormRow",
    "RowMoney",
    "allocate_cents",
    "category",
    "corrections_by_tx",
    "disposal_rows",
    "form_rows",
    "iter_disposal_rows",
    "iter_disposal_values",
    "PassCents",
    "pass_money",
    "row_money",
    "write_disposals_csv",
    "write_exports",
    "write_figures_json",
    "write_forms_csv",
    "write_workbook",
    "xl_text",
]


def write_exports(
    comp: Comparison,
    out_dir: Path,
    corrections: object | None = None,
    *,
    data: object | None = None,
    dialect: Dialect = "plain",
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write all advisor exports into ``out_dir`` (created if missing); returns the paths.
    ``data``: the report's ``pdf.ReportInput`` (language, zone, inputs, checklist);
    ``dialect``: of the CSVs (``csvfiles``)."""
    from zoneinfo import ZoneInfo

    step = progress or (lambda _label: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / "figures.json",
        out_dir / "disposals.csv",
        out_dir / "forms.csv",
        out_dir / "taxsim-advisor.xlsx",
    ]
    zone = ZoneInfo(getattr(data, "timezone", "") or comp.rules.local_timezone)
    figures = report_figures(
        comp,
        scam_tokens=scam_tokens(getattr(data, "diagnosis", None)),
        years=getattr(data, "years", None),
    )
    step("exports: figures.json")
    write_figures_json(comp, paths[0], data, figures)
    write_forms_csv(comp, paths[2], dialect)
    step("exports: disposals.csv and workbook")
    # the cents once for the PDF, the CSV and the workbook
    cents_by_pass = getattr(data, "cents", None)
    if cents_by_pass is None:
        cents_by_pass = pass_money(comp)
    for label in ("raw", "corrected"):  # before a fork, so that the worker inherits them
        cents_by_pass[label]  # noqa: B018
    # A long ledger: the CSV in a forked worker while this process writes the workbook
    rows = sum(len(d.matches) or 1 for p in (comp.raw, comp.corrected) for d in p.result.disposals)
    with SideJobs(parallel=rows >= PARALLEL_MIN_ROWS, workers=1) as jobs:
        csv_done = jobs.submit(write_disposals_csv, comp, paths[1], dialect, zone, cents_by_pass)
        write_workbook(comp, paths[3], corrections, data, figures, cents_by_pass)
        csv_done.result()
    return paths
    # A long ledger: the CSV in a forked worker while this process writes the workbook (the
    # cents worked out first, so that the worker inherits them)
    for label in ("raw", "corrected"):
        cents_by_pass[label]  # noqa: B018
    with SideJobs(parallel=True, workers=1) as jobs:
        csv_done = jobs.submit(write_disposals_csv, comp, paths[1], dialect, zone, cents_by_pass)
        write_workbook(comp, paths[3], corrections, data, figures, cents_by_pass)
        csv_done.result()
    return paths
