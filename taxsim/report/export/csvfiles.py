"""``disposals.csv`` and ``forms.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

from ...summary import money
from ...whatif import Comparison
from ...writers import safe_cell
from .forms import form_rows
from .rows import DISPOSAL_COLUMNS, iter_disposal_rows

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
