"""``taxsim batch``: every client of a folder — diagnose, simulate, DAC8 check (and reports) —
in parallel, and one triage table that says which clients to open first."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..model import TaxsimError
from . import app

_HELP = (
    "Run every client of CLIENTS_DIR and write a triage table sorted by the tax at stake."
    "\n\n"
    "Per client: diagnose the ledger, compute the taxes raw and corrected, run the DAC8 "
    "checklist, and with --reports write the PDF and the advisor exports. A client whose files "
    "are bad gets its error (file, row, column) in the triage and the batch goes on. A rerun "
    "skips clients whose files (by SHA-256) and settings are unchanged."
    "\n\n"
    "Exit code 0, or 3 when some clients failed (the triage is written all the same)."
)


@app.command(help=_HELP)
def batch(
    clients_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder with one folder per client: the ledger, optionally corrections.toml, "
            "previous export, on-chain balances, platform reports and client.toml "
            "(docs/batch.md).",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Output folder: triage.xlsx/.csv/.parquet, batch.log, clients/."
        ),
    ],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: the number of CPUs)."),
    ] = None,
    reports: Annotated[
        bool,
        typer.Option(
            "--reports",
            help="Also write each client's PDF and advisor exports into OUT_DIR/clients/<client>/.",
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Report language for every client (default: client.toml's)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Redo every client, also those unchanged since the last run."),
    ] = False,
    client: Annotated[
        list[str] | None,
        typer.Option("--client", help="Only this client folder (repeatable)."),
    ] = None,
    use_dask: Annotated[
        bool,
        typer.Option("--dask", help="Run on a local Dask cluster of --jobs worker processes."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on this Dask cluster, e.g. tcp://10.0.0.5:8786 (its workers need taxsim; "
            "the files travel to them).",
        ),
    ] = None,
    csv_format: Annotated[
        str,
        typer.Option(
            "--csv-format",
            help="triage.csv as 'excel-de' (; and decimal comma, for German Excel) or 'plain'.",
        ),
    ] = "excel-de",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    if lang is not None and lang not in ("de", "en"):
        raise TaxsimError(f"--lang: expected 'de' or 'en', got '{lang}'")
    if csv_format not in ("excel-de", "plain"):
        raise TaxsimError(f"--csv-format: expected 'excel-de' or 'plain', got '{csv_format}'")
    if output.exists() and not output.is_dir():
        raise TaxsimError(f"-o {output} is a file; expected a folder")
    if output.resolve().is_relative_to(clients_dir.resolve()):
        raise TaxsimError(f"-o {output} is inside {clients_dir}; write the results elsewhere")
    from ..batch import Options, run_batch

    workers = jobs or os.cpu_count() or 1
    console = Console(stderr=True, quiet=quiet)
    show = _Progress(console, quiet)
    try:
        result = run_batch(
            clients_dir,
            output,
            options=Options(reports=reports, lang=lang),
            jobs=workers,
            backend="dask" if use_dask or scheduler else "local",
            scheduler=scheduler,
            force=force,
            only=client,
            csv_dialect=csv_format,
            progress=show.update,
            announce=show.say,
        )
    finally:
        show.close()
    failed = result.failed
    for path in result.outputs:
        console.print(f"wrote {path}", markup=False, highlight=False)
    console.print(
        f"{len(result.outcomes)} clients, {result.skipped} unchanged since the last run, "
        f"{len(failed)} failed"
        + (f": {', '.join(failed)}" if failed else "")
        + f"; log {result.log}",
        markup=False,
        highlight=False,
    )
    if failed:
        raise typer.Exit(3)


class _Progress:
    """One progress bar for the whole batch on a terminal; plain lines otherwise."""

    def __init__(self, console: Console, quiet: bool) -> None:
        self.console = console
        self.quiet = quiet
        self.live = console.is_terminal and not quiet
        self.bar = None
        self.task = None

    def say(self, text: str) -> None:
        if not self.quiet:
            self.console.print(text, markup=False, highlight=False)

    def update(self, done: int, total: int, outcome) -> None:  # type: ignore[no-untyped-def]
        if self.quiet:
            return
        status = outcome.row.get("status")
        if self.live:
            if self.bar is None:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                self.bar = Progress(
                    TextColumn("clients"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), TextColumn("{task.description}"),
                    console=self.console, transient=True,
                )  # fmt: skip
                self.bar.start()
                self.task = self.bar.add_task("", total=total)
            self.bar.update(self.task, completed=done, description=f"{outcome.client}: {status}")
            return
        print(
            f"[{done}/{total}] {outcome.client}: {status} ({outcome.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
