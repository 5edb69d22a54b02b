"""``taxsim apply``: write the corrected ledger and the audit trail of every change.

The corrected ledger is written in CoinTracking's import format by default so the adviser can
re-import it; the audit CSV lists each row added, removed or changed and by which correction.
The input files are only read: ``-o`` and ``--audit`` may not be the ledger, the corrections file
or a file a correction reads (restore, merge_export), whatever link leads to it; an existing
output is only replaced with ``--force``, as in ``diagnose``.
"""

from __future__ import annotations

import csv
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..corrections import Applied, apply_corrections, load_corrections
from ..model import TaxsimError
from . import (
    Encoding,
    TypeMap,
    app,
    check_output,
    options,
    read_ledger_with_progress,
    same_file,
    writing,
)

AUDIT_COLUMNS = ("correction", "kind", "action", "tx_id", "before", "after", "reason")


class OutputFormat(StrEnum):
    COINTRACKING = "cointracking"
    CANONICAL = "canonical"


@app.command()
def apply(
    ledger: Annotated[Path, typer.Argument(help="The ledger export (CoinTracking or canonical).")],
    corrections: Annotated[Path, typer.Option("--corrections", "-c", help="corrections.toml")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The corrected ledger to write.")],
    audit: Annotated[
        Path | None, typer.Option(help="Audit trail CSV (default: <output stem>.audit.csv).")
    ] = None,
    only: Annotated[str | None, typer.Option(help="Apply only these ids, e.g. C1,C3.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="cointracking (import format) or canonical.")
    ] = OutputFormat.COINTRACKING,
    timezone: Annotated[
        str,
        typer.Option(
            help="CoinTracking account time zone: for times without offset, and the import file."
        ),
    ] = "Europe/Berlin",
    force: Annotated[bool, typer.Option(help="Overwrite an existing -o/--audit file.")] = False,
    type_map: TypeMap = None,
    encoding: Encoding = "auto",
) -> None:
    """Apply a corrections file to a copy of LEDGER and write it with an audit trail."""
    options.output_format(output, "-o", "csv")
    audit = audit or output.with_name(f"{output.stem}.audit.csv")
    options.output_format(audit, "--audit", "csv")
    options.input_file(corrections, "--corrections")
    _refuse_overwrite(ledger, corrections, output, audit)
    from ..writers import write_canonical_csv, write_cointracking_import

    correction_set = load_corrections(corrections)
    chosen = {part.strip() for part in only.split(",") if part.strip()} if only else None
    applied = apply_corrections(
        read_ledger_with_progress(ledger, timezone, type_map=type_map, encoding=encoding),
        correction_set,
        only=chosen,
        base_dir=corrections.resolve().parent,
        timezone=timezone,
    )
    # Every file read (the ledger, the corrections, the files corrections restore from) is now
    # known; nothing has been written yet.
    inputs = [ledger, corrections, *applied.ledger.files]
    check_output(output, "-o", inputs, force=force)
    check_output(audit, "--audit", inputs, force=force)
    rows = applied.ledger.sorted()
    with writing(output, "-o"):
        if fmt is OutputFormat.CANONICAL:
            write_canonical_csv(rows, output)
        else:
            write_cointracking_import(rows, output, timezone=timezone)
    with writing(audit, "--audit"):
        write_audit(applied, audit)
    for line in summary_lines(applied):
        typer.echo(line)
    typer.echo(f"corrected ledger: {output} ({len(rows)} rows)")
    typer.echo(f"audit trail: {audit} ({len(applied.audit)} entries)")


def _refuse_overwrite(ledger: Path, corrections: Path, output: Path, audit: Path) -> None:
    """Early checks, before any work: the outputs are no input file and not the same file."""
    check_output(output, "-o", [ledger, corrections])
    check_output(audit, "--audit", [ledger, corrections])
    if same_file(output, audit):
        raise TaxsimError(f"-o and --audit are the same file: {output}")


def write_audit(applied: Applied, path: Path) -> None:
    """Audit trail CSV; every cell passes ``safe_cell`` (ledger text may start with = or @)."""
    from ..writers import safe_cell

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(AUDIT_COLUMNS)
        for entry in applied.audit:
            writer.writerow([safe_cell(getattr(entry, column)) for column in AUDIT_COLUMNS])


def summary_lines(applied: Applied) -> list[str]:
    """One line per correction: how many rows it added, removed and changed."""
    lines = []
    for cid, entries in applied.by_correction.items():
        counts = Counter(entry.action for entry in entries)
        kind = entries[0].kind if entries else ""
        parts = [f"{counts[a]} {a}" for a in ("added", "removed", "changed") if counts[a]]
        lines.append(f"{cid} {kind}: {', '.join(parts) or 'no change'}")
    return lines
