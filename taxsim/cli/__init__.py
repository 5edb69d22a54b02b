"""The ``taxsim`` command line. Each command lives in its own module of this package."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
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
            typer.echo(f"error: {one_line(str(exc))}", err=True)
            raise typer.Exit(2) from None
        except _PASS_THROUGH:
            raise
        except BaseException as exc:  # noqa: BLE001 - the last line of defence
            typer.echo(unexpected(exc), err=True)
            raise typer.Exit(2) from None


#: What the last line of defence lets through: the user's interrupt, exits, and click's own
#: usage errors (which print their help and exit 2 themselves).
_PASS_THROUGH: tuple[type[BaseException], ...] = (
    KeyboardInterrupt,
    SystemExit,
    GeneratorExit,
    click.exceptions.Exit,
    click.exceptions.Abort,
    click.ClickException,
    typer.Exit,
    typer.Abort,
    BrokenPipeError,  # `taxsim … | head`: click ends quietly with exit code 1, as it documents
)
try:  # typer >= 0.24 carries its own copy of click: its usage errors are not click's classes
    from typer._click.exceptions import ClickException as _TyperClickException  # type: ignore

    _PASS_THROUGH += (_TyperClickException,)
except ImportError:  # an older typer uses click itself
    pass


def closed_pipe() -> None:
    """The reader of our output went away (`taxsim … | head`): stop quietly with exit code 1,
    as click does inside a command. Stdout goes to devnull so that the exit's flush cannot
    fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)


def one_line(text: str, limit: int = 2000) -> str:
    """A message on one line: line breaks become spaces, overlong text is cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def unexpected(exc: BaseException) -> str:
    """The one line printed for an error taxsim did not foresee (a bug, or a dependency
    failing on input no check caught): never a traceback, also for a ``BaseException`` such
    as calamine's ``PanicException``."""
    if isinstance(exc, MemoryError):
        what = "out of memory"
    elif isinstance(exc, RecursionError):
        what = "input nested too deeply"
    else:
        what = f"{type(exc).__name__}: {one_line(str(exc), 300) or 'no details'}"
    return (
        f"error: unexpected failure ({what}); the input could not be processed. This is a "
        "bug in taxsim's checks: please report it with the command and the input file"
    )


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
        help="TOML file whose 'types' table names a known CoinTracking type for each type "
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


def check_timezone(name: str) -> ZoneInfo:
    """``--timezone``: the zone, or refused the same way by every command (before any file is
    read)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TaxsimError(f"--timezone: unknown time zone '{name}'") from exc


def read_ledger_with_progress(
    path: Path,
    timezone: str,
    label: str = "reading ledger",
    *,
    type_map: Path | None = None,
    encoding: str = "auto",
) -> Ledger:
    """``readers.read_ledger`` with a spinner and the rows read so far on stderr (shown on a
    terminal only); the reader's findings (e.g. the encoding it chose) follow on stderr."""
    from rich.console import Console

    from ..readers import read_ledger

    check_timezone(timezone)
    with Console(stderr=True).status(f"{label} …") as spinner:
        ledger = read_ledger(
            path,
            timezone=timezone,
            progress=lambda n: spinner.update(f"{label}: {n:,} rows …"),
            type_map=type_map,
            encoding=encoding,
        )
    if not ledger.transactions:
        typer.echo(f"warning: {path}: no transactions read (only a header)", err=True)
    for finding in ledger.findings:
        typer.echo(f"warning: {finding}", err=True)
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


def reflow(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, so that the terminal wraps it
    (typer keeps a docstring's line breaks, which at 80 columns leaves half-empty lines).
    A paragraph starting with ``\\b`` keeps its lines, as click documents."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from . import simulate  # noqa: F401

    for optional in ("diagnose", "apply", "report", "dac8", "batch"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise
    for command in app.registered_commands:
        doc = command.help or (command.callback.__doc__ if command.callback else None)
        if doc:
            command.help = reflow(doc)


def main() -> None:
    _register()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError:  # also while printing --help
        closed_pipe()
    except TaxsimError as exc:  # raised outside a command (e.g. while parsing options)
        typer.echo(f"error: {one_line(str(exc))}", err=True)
        sys.exit(2)
    except BaseException as exc:  # noqa: BLE001 - the last line of defence
        typer.echo(unexpected(exc), err=True)
        sys.exit(2)
