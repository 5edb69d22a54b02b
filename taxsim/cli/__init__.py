"""The ``taxsim`` command line. Each command lives in its own module of this package."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
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


def keep_numbers_whole(table: Table) -> Table:
    """Nothing is cut to "…" on a narrow terminal: right-aligned (number) columns never shrink
    below their longest cell, and text columns wrap (long words fold onto the next line).
    Print the table with ``crop=False``: if even that is wider than the terminal, its lines
    wrap rather than lose their right end."""
    for column in table.columns:
        if column.justify == "right":
            # at least the longest cell and the header's longest word (it wraps between words)
            header = column.header
            words = (header.plain if isinstance(header, Text) else str(header)).split()
            column.min_width = max(
                [Text(c).cell_len if isinstance(c, str) else c.cell_len
                 for c in column.cells if isinstance(c, str | Text)]
                + [len(w) for w in words],
                default=0,
            )  # fmt: skip
        else:
            column.overflow = "fold"
    return table


#: ``--type-map`` of every command that reads a ledger (readers.type_table.load_type_map).
TypeMap = Annotated[
    Path | None,
    typer.Option(
        "--type-map",
        help="TOML file with a [types] table naming a known CoinTracking type for each type "
        'taxsim does not know, e.g. "LP Add" = "Trade" (docs/formats.md).',
    ),
]
#: ``--encoding`` of every command that reads a ledger.
Encoding = Annotated[
    str,
    typer.Option(
        "--encoding",
        help="Text encoding of CSV ledgers: auto (UTF-8, else Windows-1252 as German Excel "
        "saves CSV; stderr says which was used), utf-8, cp1252 or latin-1.",
    ),
]


def show_notices(ledger: Ledger) -> None:
    """What the reader decided without being told (e.g. the encoding), on stderr."""
    for notice in ledger.notices:
        typer.echo(f"note: {notice}", err=True)


def read_ledger_with_progress(
    path: Path,
    timezone: str,
    label: str = "reading ledger",
    *,
    type_map: Path | None = None,
    encoding: str = "auto",
) -> Ledger:
    """``readers.read_ledger`` with a spinner and the rows read so far on stderr (shown on a
    terminal only); the reader's notices follow on stderr."""
    from rich.console import Console

    from ..readers import read_ledger

    with Console(stderr=True).status(f"{label} …") as spinner:
        ledger = read_ledger(
            path,
            timezone=timezone,
            progress=lambda n: spinner.update(f"{label}: {n:,} rows …"),
            type_map=type_map,
            encoding=encoding,
        )
    show_notices(ledger)
    if not ledger.transactions:
        typer.echo(f"warning: {path}: no transactions read (only a header)", err=True)
    return ledger


def require_transactions(ledger: Ledger, path: Path) -> None:
    """Figures of an empty ledger would read as a clean result: refuse them."""
    if not ledger.transactions:
        raise TaxsimError(
            f"{path}: no transactions read (the file has a header but no data rows); "
            "expected a ledger with at least one transaction"
        )


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (existing or not), also through a symbolic or hard
    link."""
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def check_output(
    path: Path, option: str, inputs: Iterable[Path | str | None] = (), *, force: bool = True
) -> None:
    """Refuse an output path before anything is written: a folder, one of the ``inputs`` (input
    files are never overwritten, whatever link leads to them), a path below a file, or —
    without ``force`` — an existing file."""
    if path.is_dir():
        raise TaxsimError(f"{option} {path} is a folder; expected a file name")
    for given in inputs:
        if given is not None and same_file(path, Path(given)):
            raise TaxsimError(
                f"{option} {path} is the input file {given}; input is never overwritten, "
                "choose another name"
            )
    _check_parent(path.parent, option, path)
    if not force and path.exists():
        raise TaxsimError(f"{option} {path} exists; use --force to overwrite it")


def _check_parent(folder: Path, option: str, path: Path) -> None:
    """The first existing folder above ``path`` must be a folder (missing ones are created)."""
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise TaxsimError(f"{option} {path}: {parent} is a file, not a folder")
            return


@contextmanager
def writing(path: Path, option: str) -> Iterator[None]:
    """Create the missing folders of ``path`` (as ``report -o`` does) and turn an error while
    writing it into one clear line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        raise TaxsimError(f"{option} {path}: cannot write it: {exc.strerror or exc}") from None


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
