"""Reading ledger files: ``read_ledger`` (one file, any accepted format) and ``read_ledgers``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from ..model import InputError, Ledger, Transaction
from .canonical import _read_canonical
from .cells import _cells, _DecimalStyle
from .cointracking import _read_cointracking
from .csv_file import _csv_delimiter, _csv_rows
from .dates import _Clock
from .detect import _layout, detect_format
from .encoding import (
    AUTO,
    FALLBACK,
    UTF8,
    EncodingProblem,
    check_encoding,
    fallback_notice,
    no_fit_error,
)
from .layout import FORMAT_CANONICAL, UNKNOWN, _Layout, _trim
from .table import Progress, Row, _CellError, _column, _labels
from .type_table import TypeEntry, load_type_map
from .xlsx import _xlsx_rows


def read_ledger(
    path: str | Path,
    *,
    timezone: str = "Europe/Berlin",
    sheet: str | None = None,
    progress: Progress | None = None,
    type_map: str | Path | Mapping[str, TypeEntry] | None = None,
    encoding: str = AUTO,
) -> Ledger:
    """Read one ledger file (CSV or XLSX) in any accepted format.

    ``timezone`` is the time zone of dates without an offset (the CoinTracking account's
    setting); ``sheet`` picks an XLSX sheet (default: the first one); ``progress`` is called
    with the number of rows read so far, about every ``PROGRESS_EVERY`` rows. ``type_map``
    (a ``--type-map`` TOML file, or its ``load_type_map`` result) places CoinTracking types
    taxsim does not know. ``encoding`` of a CSV: ``auto`` (UTF-8, else Windows-1252, with a
    finding in ``Ledger.findings``) or a codec name (``utf-8``, ``cp1252``, ``latin-1``).
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        what = "is a folder, not a ledger file" if path.is_dir() else "file not found"
        raise InputError(file, None, None, what)
    chosen = check_encoding(file, encoding)
    types = load_type_map(type_map) if isinstance(type_map, str | Path) else type_map
    first = UTF8 if chosen == AUTO else chosen
    if chosen == AUTO and not _is_xlsx(path):
        with path.open("rb") as f:
            if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                first = "utf-16"  # Excel's "Unicode Text"; the BOM says which byte order
    try:
        return _read_file(path, timezone, sheet, progress, dict(types or {}), first)
    except EncodingProblem:
        delimiter = _csv_delimiter(path)
        if chosen != AUTO or first != UTF8:
            raise no_fit_error(path, delimiter, [first]) from None
    try:
        ledger = _read_file(path, timezone, sheet, progress, dict(types or {}), FALLBACK)
    except EncodingProblem:
        raise no_fit_error(path, delimiter, [UTF8, FALLBACK]) from None
    ledger.findings.append(fallback_notice(path, delimiter, FALLBACK))
    return ledger


#: Rows above the header that may hold a title, a date or nothing (at most 2 cells each).
_TITLE_ROWS = 10


def _read_file(
    path: Path,
    timezone: str,
    sheet: str | None,
    progress: Progress | None,
    type_map: dict[str, TypeEntry],
    encoding: str,
) -> Ledger:
    file = str(path)
    rows, delimiter = _table(path, sheet, encoding)
    header_row, header, fmt = 0, [], UNKNOWN
    labels: list[str] = []  # column names, once the header is recognised
    positions: dict[str, int] | None = None  # id → position: canonical CSVs only
    findings: list[str] = []  # local times at a DST change (inputs.timezones)
    try:
        it = rows(progress)
        first: list[object] = []
        for number, cells in it:
            header_row, header = number, _trim(cells)
            fmt = detect_format(header)
            if fmt != UNKNOWN:
                break
            if number <= _TITLE_ROWS and len([c for c in header if c]) <= 2:
                # title rows above the header: CoinTracking's XLSX import template (one), its
                # XLSX exports (a title, the export date, a blank row)
                first = first or [c for c in header if c]
                continue
            break
        if fmt == UNKNOWN:
            shown = ", ".join(header) if header else "(empty)"
            hint = f" (title row: {first[0]})" if first else ""
            raise InputError(
                file,
                header_row or 1,
                None,
                f"unrecognised header{hint}: {shown}; expected a CoinTracking trade list export "
                "(V1–V4), CoinTracking's import format or the taxsim canonical CSV",
            )
        labels = _labels(header)
        if fmt == FORMAT_CANONICAL:
            numbers = [i for i, h in enumerate(header) if h.endswith(("_amount", "_eur"))]
            decimals = _decimal_style(rows, delimiter, header_row, numbers)
            txs, positions = _read_canonical(file, header, it, header_row, timezone, decimals)
        else:
            layout = _layout(header)
            assert layout is not None
            _check_layout(file, header_row, labels, layout)
            numbers = [
                i
                for i in (layout.buy, layout.sell, layout.fee, layout.buy_value, layout.sell_value)
                if i is not None
            ]
            decimals = _decimal_style(rows, delimiter, header_row, numbers)
            clock = _Clock(file, timezone, lambda: _column(rows(), header_row, layout.date))
            txs = _read_cointracking(file, path.stem, header, layout, it, clock, decimals, type_map)
            findings = clock.dst.findings()
    except _CellError as exc:  # name the column by its header
        below = labels and exc.row > header_row and exc.field < len(labels)
        column = labels[exc.field] if below else exc.column
        raise InputError(file, exc.row, column, exc.message) from None
    return Ledger(
        transactions=txs, files=[file], format=fmt, positions=positions, findings=findings
    )


def _decimal_style(
    rows: Callable[..., Iterator[Row]], delimiter: str, header_row: int, numbers: list[int]
) -> _DecimalStyle | None:
    """The decimal style decider of a ``;``-delimited file (None: decimals are dots only)."""
    if delimiter != ";":
        return None
    return _DecimalStyle(lambda: _cells(rows(), header_row, numbers))


def _check_layout(file: str, header_row: int, labels: list[str], lay: _Layout) -> None:
    """Columns that make no sense without another one (the alias header lets any be left out)."""
    if lay.fee is not None and lay.fee_cur is None:
        raise InputError(
            file,
            header_row,
            labels[lay.fee],
            "a fee column needs its currency column; expected a 'Fee Currency' column too",
        )
    if lay.fee_cur is not None and lay.fee is None:
        raise InputError(
            file,
            header_row,
            labels[lay.fee_cur],
            "a fee currency column needs its amount column; expected a 'Fee Amount' column too",
        )


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def _table(
    path: Path, sheet: str | None, encoding: str = UTF8
) -> tuple[Callable[..., Iterator[Row]], str]:
    """A factory of fresh row iterators, given an optional progress callback (the slash-date
    scan reads the file a second time, without one) and the delimiter (``""`` for XLSX)."""
    if _is_xlsx(path):
        return (lambda progress=None: _xlsx_rows(path, sheet, progress)), ""
    delimiter = _csv_delimiter(path)
    return (lambda progress=None: _csv_rows(path, delimiter, progress, encoding)), delimiter


def read_ledgers(
    paths: Iterable[str | Path],
    *,
    timezone: str = "Europe/Berlin",
    sheet: str | None = None,
    type_map: str | Path | Mapping[str, TypeEntry] | None = None,
    encoding: str = AUTO,
) -> Ledger:
    """Read several files into one ledger (file order, then row order).

    Ids stay unique: an id that an earlier file already used gets the file stem as prefix
    (``<stem>/<id>``; a further number if even that is taken). ``format`` lists the formats
    read, joined with ``+`` (e.g. ``cointracking-trade-list-v2+cointracking-import``).
    """
    txs: list[Transaction] = []
    files: list[str] = []
    formats: list[str] = []
    used: set[str] = set()
    findings: list[str] = []
    for path in paths:
        ledger = read_ledger(
            path, timezone=timezone, sheet=sheet, type_map=type_map, encoding=encoding
        )
        files += ledger.files
        findings += ledger.findings
        if ledger.format not in formats:
            formats.append(ledger.format)
        stem = Path(path).stem
        for tx in ledger.transactions:
            new, n = tx.id, 1
            while new in used:
                new = f"{stem}/{tx.id}" if n == 1 else f"{stem}/{tx.id}~{n}"
                n += 1
            used.add(new)
            txs.append(tx if new == tx.id else tx.with_(id=new))
    return Ledger(transactions=txs, files=files, format="+".join(formats), findings=findings)
