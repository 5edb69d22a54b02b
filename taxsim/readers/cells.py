"""Cells: numbers (strict plain decimals, the decimal style of ';' files) and text escapes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation

from .table import Row

# --------------------------------------------------------------------------------------------
# Numbers

_SYMBOLS = "€ \u00a0"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: A number that means different things with a decimal point and with a thousands dot
#: (``30.000``: thirty or thirty thousand), checked in ``;``-delimited files only.
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}").fullmatch


def unsafe_cell(text: str) -> str:
    """Undo ``writers.safe_cell``: drop the ``'`` it put before a formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _number(text: str, comma_decimal: bool) -> Decimal | None | str:
    """A plain decimal number, None for an empty cell, or an error message.

    Strict on purpose: ``1234.5678`` (and ``1234,5678`` in ``;``-delimited files) only.
    Thousands separators, exponents, NaN and the like are rejected, since a wrongly guessed
    number would silently change a tax figure.
    """
    s = text.strip()
    if not s or s == "-":
        return None
    if s[0] in _SYMBOLS or s[-1] in _SYMBOLS:
        s = s.strip(_SYMBOLS)
    sign = next((c for c in s if c != "€" and unicodedata.category(c) == "Sc"), None)
    if sign is not None:
        return (
            f"expected a plain number (values are read as EUR), got '{text}': "
            f"'{sign}' is a currency sign other than €"
        )
    if comma_decimal and "," in s:
        if "." in s:
            return f"expected a number like 1234,5678 (no thousands separator), got '{text}'"
        s = s.replace(",", ".")
    body = s[1:] if s[:1] == "-" else s
    if (
        not body.isascii()
        or not body.replace(".", "", 1).isdigit()
        or body[0] == "."
        or body[-1] == "."
    ):
        example = "1234,5678" if comma_decimal else "1234.5678"
        return f"expected a plain decimal number like {example}, got '{text}'"
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - excluded by the checks above
        return f"expected a number, got '{text}'"


class _DecimalStyle:
    """Whether a ``;``-delimited file (German Excel: decimal comma) writes ``1.500`` as one and
    a half. Decided like the order of slash dates: from all the number cells of the file, and
    only once such an ambiguous number (``_AMBIGUOUS``) turns up. A comma decimal anywhere in
    the file (``2,50``) means the dot is a thousands separator there, and a file without any
    other dot decimal gives no answer: both are errors, never a guess. Only when the file's
    other numbers use a decimal point (``0.25``, ``1234.5678``) and none a comma is
    ``1.500`` read as 1.500."""

    def __init__(self, scan: Callable[[], Iterable[tuple[int, object]]]) -> None:
        self._scan = scan
        self._decided = False
        self._comma: tuple[int, str] | None = None  # (row, text) of a comma decimal
        self._dot = False  # a dot decimal that is not ambiguous was seen

    def problem(self, text: str) -> str:
        """'' if ``text`` (a plain number) is no ambiguous number in this file, else the error."""
        s = text.strip().strip(_SYMBOLS)
        if not _AMBIGUOUS(s):
            return ""
        if not self._decided:
            for row, cell in self._scan():
                value = str(cell).strip().strip(_SYMBOLS)
                if "," in value and _is_plain(value.replace(",", ".", 1)):
                    self._comma = (row, value)
                    break
                if not self._dot and "." in value and _is_plain(value):
                    self._dot = not _AMBIGUOUS(value)
            self._decided = True
        if self._dot and self._comma is None:
            return ""
        thousands, decimal = s.replace(".", ""), s.replace(".", ",")
        if self._comma is not None:
            row, example = self._comma
            why = (
                f"this file writes decimals with a comma ('{example}' in row {row}), so the "
                "dot may be a thousands separator"
            )
        else:
            why = "in a ';'-delimited file it may be a thousands dot or a decimal point"
        return (
            f"'{text.strip()}' is ambiguous: {why}; expected {thousands} (no thousands "
            f"separator) or {decimal} (decimal comma)"
        )


def _cells(
    rows: Iterator[Row], header_row: int, indices: Sequence[int]
) -> Iterator[tuple[int, object]]:
    """(row, cell) for the cells at ``indices`` of every row below the header."""
    for number, cells in rows:
        if number > header_row:
            for i in indices:
                if i < len(cells):
                    yield number, cells[i]


def _blank(cells: list[object]) -> bool:
    return all(c == "" or c is None or (isinstance(c, str) and not c.strip()) for c in cells)


#: The rule for a plain number, as a regular expression; ``_is_plain`` checks it faster.
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?").fullmatch
_DIGITS = "0123456789"
#: Most legs kept for reuse while reading (a bound on the memory this takes).
_LEG_CACHE = 1 << 16


def _is_plain(text: str) -> bool:
    r"""Whether ``text`` is a plain number, ``[0-9]+(\.[0-9]+)?``: the common case, which
    ``Decimal(text)`` reads exactly. Same answer as ``_PLAIN_NUMBER`` (a test checks) at a
    third of the cost: stripping the ASCII digits off both ends must leave nothing, or a
    single dot that was neither the first nor the last character. Anything else (signs,
    exponents, NaN, spaces, other digits) leaves more, and goes through ``_number``."""
    rest = text.strip(_DIGITS)
    return (not rest and text != "") or (rest == "." and text[0] != "." and text[-1] != ".")
