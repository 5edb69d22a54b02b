"""Read ledgers: CoinTracking exports (V1–V4), CoinTracking's import format, taxsim canonical CSV.

The format is recognised from the header row alone (its "fingerprint"), never from the file
name. Every reader produces the same thing: a ``model.Ledger`` whose transactions are in file
order, with exact ``Decimal`` amounts and UTC times, and a ``Source(file, row)`` on each row.

Row numbers are the ones a spreadsheet program shows: the header is row 1, so the first data
row is row 2 (row 3 behind the two-row header of CoinTracking's XLSX import template). The same
number is used in every ``InputError`` and in ``Source.row``. Blank lines count as rows (so
numbers match the editor) but produce no transaction.

See docs/formats.md for the accepted layouts, the type mapping and the date rules.
"""

from .canonical import CANONICAL_COLUMNS, CANONICAL_TEXT_COLUMNS
from .cells import unsafe_cell
from .dates import MAX_YEAR, MIN_YEAR
from .detect import detect_format
from .layout import (
    FORMAT_CANONICAL,
    FORMAT_CT_IMPORT,
    FORMAT_V1,
    FORMAT_V2,
    FORMAT_V3,
    FORMAT_V4,
    UNKNOWN,
)
from .ledger import read_ledger, read_ledgers
from .table import PROGRESS_EVERY, Progress, Row

__all__ = [
    "CANONICAL_COLUMNS",
    "CANONICAL_TEXT_COLUMNS",
    "FORMAT_CANONICAL",
    "FORMAT_CT_IMPORT",
    "FORMAT_V1",
    "FORMAT_V2",
    "FORMAT_V3",
    "FORMAT_V4",
    "MAX_YEAR",
    "MIN_YEAR",
    "PROGRESS_EVERY",
    "UNKNOWN",
    "Progress",
    "Row",
    "detect_format",
    "read_ledger",
    "read_ledgers",
    "unsafe_cell",
]
