"""Option validation shared by every command, so one option means and refuses the same thing
everywhere: tax years, rates, input files and output files by their extension."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..model import TaxsimError

#: Tax years a command accepts: the years ledger dates may have (``readers.MIN_YEAR`` …
#: ``MAX_YEAR``; kept equal by a test).
MIN_YEAR, MAX_YEAR = 2008, 2100


def check_year(year: int | None, option: str = "--year") -> int | None:
    """A tax year given on the command line, or None when it was left out."""
    if year is None:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise TaxsimError(
            f"{option}: expected a tax year from {MIN_YEAR} to {MAX_YEAR}, got {year}"
        )
    return year


def parse_rate(value: str | None, option: str) -> Decimal | None:
    """A rate such as ``42%``, ``42`` or ``0.42`` → 0.42; None when left out."""
    if value is None:
        return None
    text = value.strip()
    try:
        rate = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite():
        raise TaxsimError(f"{option}: expected a rate like 0.42 or 42%, got '{value}'")
    if text.endswith("%") or rate > 1:
        rate /= 100
    if not 0 <= rate <= 1:
        raise TaxsimError(f"{option}: a rate between 0 and 100 % was expected, got '{value}'")
    return rate


def parse_positive(value: str, option: str, example: str) -> Decimal:
    """A positive finite decimal such as an exchange rate."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise TaxsimError(f"{option}: expected a positive number like {example}, got '{value}'")
    return number


def input_file(path: Path | None, option: str) -> Path | None:
    """An input file that must exist and be a file (not a folder)."""
    if path is None:
        return None
    if not path.exists():
        raise TaxsimError(f"{option} {path}: file not found")
    if not path.is_file():
        raise TaxsimError(f"{option} {path}: is a folder, expected a file")
    return path


#: What each kind of output is written as, by extension.
OUTPUT_FORMATS = {
    "csv": (".csv",),
    "pdf": (".pdf",),
    "toml": (".toml",),
    "json": (".json",),
    "xlsx": (".xlsx",),
}


def output_format(path: Path, option: str, writes: str) -> Path:
    """Refuse an output path whose extension names another format than the one written
    (``apply -o corrected.xlsx`` would otherwise get CSV text under an Excel name)."""
    allowed = OUTPUT_FORMATS[writes]
    if path.is_dir():
        return path  # the output checks refuse a folder with their own message
    suffix = path.suffix.lower()
    if suffix not in allowed:
        got = f"'{path.suffix}'" if path.suffix else "no extension"
        raise TaxsimError(
            f"{option} {path}: this option writes {writes.upper()}, but the name has {got}; "
            f"expected a name ending in {' or '.join(allowed)}"
        )
    return path
