"""Resource limits of every reader: documented defaults, each overridable by an environment
variable (``TAXSIM_LIMIT_<NAME>``, e.g. ``TAXSIM_LIMIT_ROWS=5000000``) or in code with
``override``. Exceeding one is an ``InputError`` naming the file and the limit, raised before
the memory is taken (docs/formats.md, "Input boundary and limits")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from ..model import InputError, TaxsimError

MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    #: Characters in one cell of a CSV/XLSX table (csv's own default field limit).
    cell_chars: int = 131_072
    #: Rows in one table file (a ledger of 1M rows takes about 0.9 GiB in a pass).
    rows: int = 2_000_000
    #: Bytes of an XLSX file's parts once unpacked (all parts together).
    xlsx_unpacked_bytes: int = 256 * MIB
    #: Unpacked size / packed size of one XLSX part (parts under 1 MiB unpacked are exempt).
    #: Sheets of real exports pack 5–30 : 1; zip bombs 1,000 : 1.
    xlsx_ratio: int = 200
    #: Cells calamine lays out for one sheet: its height × width (at least 26 columns
    #: counted), 32 bytes each in memory, whatever the sheet holds.
    xlsx_cells: int = 20_000_000
    #: Parts in one XLSX file.
    xlsx_parts: int = 10_000
    #: Bytes of a CARF XML report.
    xml_bytes: int = 64 * MIB
    #: Characters in one XML text node (element text or attribute value).
    xml_text_chars: int = MIB
    #: Nesting depth of XML elements (CARF reports nest about 8 deep).
    xml_depth: int = 64
    #: Bytes of a file read whole into memory: corrections TOML, on-chain balances CSV,
    #: platform report CSV.
    small_file_bytes: int = 64 * MIB


DEFAULTS = Limits()
_overrides: dict[str, int] = {}


def env_name(field: str) -> str:
    return f"TAXSIM_LIMIT_{field.upper()}"


def current() -> Limits:
    """The limits in force: the defaults, then the environment, then ``override``."""
    values: dict[str, int] = {}
    for f in fields(Limits):
        raw = os.environ.get(env_name(f.name))
        if raw is not None:
            text = raw.strip().replace("_", "")
            if not text.isdigit() or int(text) <= 0:
                raise TaxsimError(
                    f"{env_name(f.name)}={raw!r}: expected a whole number > 0 "
                    f"(default {getattr(DEFAULTS, f.name):,})"
                )
            values[f.name] = int(text)
    values.update(_overrides)
    return replace(DEFAULTS, **values) if values else DEFAULTS


@contextmanager
def override(**values: int) -> Iterator[None]:
    """Change limits for the duration of a block (tests, embedding programs)."""
    unknown = set(values) - {f.name for f in fields(Limits)}
    if unknown:
        raise TypeError(f"unknown limits: {sorted(unknown)}")
    saved = dict(_overrides)
    _overrides.update(values)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(saved)


def exceeded(
    file: str, row: int | None, column: str | None, name: str, what: str, found: str = ""
) -> InputError:
    """The error for an exceeded limit: what it is, its value and how to raise it."""
    limit = getattr(current(), name)
    got = f" ({found})" if found else ""
    return InputError(
        file,
        row,
        column,
        f"{what} exceeds the limit of {limit:,}{got}; expected a smaller input (the limit "
        f"guards against files that would exhaust memory; raise it with "
        f"{env_name(name)}=N if the file is genuine)",
    )


def check_file_size(file: str, size: int, name: str = "small_file_bytes") -> None:
    """Refuse a file read whole into memory when it is larger than the limit ``name``."""
    if size > getattr(current(), name):
        raise exceeded(file, None, None, name, "the file's size in bytes", f"{size:,} bytes")
