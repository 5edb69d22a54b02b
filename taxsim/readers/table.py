"""Tables: CSV and XLSX, as rows of cells with their 1-based row number."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from ..model import InputError

Row = tuple[int, list[object]]


#: Rows read between two calls of a reader's ``progress`` callback.
PROGRESS_EVERY = 10_000
Progress = Callable[[int], None]


class _CellError(InputError):
    """A bad cell found while reading the table (CSV syntax, an XLSX error or formula cell),
    where the header is not known yet: ``field`` is the cell's 0-based position in its row.
    ``read_ledger`` names the column by its header; ``column`` is the fallback (``"J"``,
    ``"column 10"``) for a cell in or above the header or beyond its last column."""

    def __init__(self, file: str, row: int, field: int, column: str, message: str) -> None:
        super().__init__(file, row, column, message)
        self.field, self.message = field, message


def _column(rows: Iterator[Row], header_row: int, index: int) -> Iterator[str]:
    for number, cells in rows:
        if number > header_row and index < len(cells):
            yield str(cells[index])


def _labels(header: list[str]) -> list[str]:
    """Column names for messages; a repeated name (``Cur.``) gets its 1-based position."""
    counts = Counter(header)
    return [h if counts[h] == 1 else f"{h} (column {i + 1})" for i, h in enumerate(header)]
