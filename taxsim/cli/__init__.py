"""The ``taxsim`` command line. Each command lives in its own module of this package."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from ..model import Ledger, TaxsimError


class _Group(TyperGroup):
    """Every command: a TaxsimError (bad input, unknown id …) is one clear line and exit code 2,
    never a traceback — the same under the console script and under test runners."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TaxsimError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Group,
    name="taxsim",
    help=(
        "Crypto tax-impact simulator. Diagnose the gaps in a ledger (negative balances), "
        "propose corrections, and compute German (FIFO, § 23 EStG) or Austrian (moving average, "
        "§ 27b EStG) taxes twice — on the raw ledger and on the corrected one — to show the "
        "fictitious profit. Everything runs locally; nothing leaves the machine."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def read_ledger_with_progress(path: Path, timezone: str, label: str = "reading ledger") -> Ledger:
    """``readers.read_ledger`` with a spinner and the rows read so far on stderr (shown on a
    terminal only)."""
    from rich.console import Console

    from ..readers import read_ledger

    with Console(stderr=True).status(f"{label} …") as spinner:
        return read_ledger(
            path, timezone=timezone, progress=lambda n: spinner.update(f"{label}: {n:,} rows …")
        )


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from . import simulate  # noqa: F401

    for optional in ("diagnose", "apply", "report", "dac8"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise


def main() -> None:
    _register()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
