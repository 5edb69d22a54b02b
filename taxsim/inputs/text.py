"""The text boundary: every text cell any reader takes from a file passes through here.

Three roles (docs/formats.md, "Input boundary and limits"):

* **identifiers** — wallet/exchange names, ids, transaction hashes, contracts, addresses,
  chains: Unicode NFC; a control character (NUL included), a bidirectional control (RLO …),
  an invisible character (zero-width space, word joiner, variation selector, soft hyphen …),
  a line/paragraph separator or a space other than U+0020 is refused with the file, row,
  column and the character's code point. Such a character would make a second, different
  name that looks like the first one (a phantom wallet or asset), so it is never accepted
  nor removed silently;
* **tickers** — the same refusal, and compared after NFKC normalisation and upper-casing
  (``ＢＴＣ`` full-width is ``BTC``);
* **free text** — comments and groups: NFC, and any such character is *made visible* as
  ``<U+XXXX>`` (tab and line breaks stay); nothing is dropped.

The cells every other column holds (numbers, dates, type labels) are refused when they hold
such a character, with the same message: no number or date contains one.

The check is written for speed: a row whose joined text is ASCII and printable (the usual
row) passes with two C-level scans; only other rows are looked at cell by cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import Enum

from ..model import InputError

#: Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt): characters that render as
#: nothing. Most are also format characters (category Cf), which ``str.isprintable`` already
#: rejects; this adds the printable ones (variation selectors, Hangul fillers, combining
#: grapheme joiner, Mongolian free variation selectors …).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters free text keeps as they are: tab and line breaks (multi-line comments).
_FREE_KEEP = frozenset("\t\n\r")


class Role(Enum):
    IDENTIFIER = "identifier"
    TICKER = "ticker"
    FREE = "free text"
    OTHER = "value"  # numbers, dates, labels: refused like an identifier, never changed
    IGNORED = "ignored"  # a column the reader does not use


def is_clean(text: str) -> bool:
    """The fast path: plain printable ASCII needs no normalisation and holds no character the
    boundary refuses (``isprintable`` is False for every C0 control and DEL)."""
    return text.isascii() and text.isprintable()


def row_is_clean(cells: Sequence[object], cell_chars: int = 131_072) -> bool:
    """Whether every text cell of a row is plain printable ASCII (non-text cells, like the
    date-times of an XLSX sheet, are not text) and the row is shorter than one cell may be
    (``limits.Limits.cell_chars``): then ``checked_row`` has nothing to do."""
    try:
        joined = "".join(cells)  # type: ignore[arg-type]
    except TypeError:
        joined = "".join(c for c in cells if type(c) is str)
    return joined.isascii() and joined.isprintable() and len(joined) <= cell_chars


def is_hidden(ch: str) -> bool:
    """A character that identifiers refuse and free text shows as ``<U+XXXX>``: every
    non-printable character except the ordinary space (controls, format and bidi characters,
    separators, other spaces, unassigned and private-use code points) and the
    default-ignorable ones."""
    return (not ch.isprintable() and ch != " ") or _IGNORABLE.match(ch) is not None


def describe(ch: str) -> str:
    """``U+200B ZERO WIDTH SPACE (an invisible character)``: the code point, its name and why
    it matters."""
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\x00": "NUL", "\x7f": "DELETE"}.get(ch, "")
    category = unicodedata.category(ch)
    if ch in _BIDI:
        kind = "a bidirectional control character, which reorders how text is shown"
    elif category == "Cc":
        kind = "a control character"
    elif category == "Zs":
        kind = "a space other than the ordinary one"
    elif category in ("Zl", "Zp"):
        kind = "a line separator"
    elif category in ("Co", "Cn", "Cs"):
        kind = "a private-use, unassigned or surrogate code point"
    else:
        kind = "an invisible character"
    return f"{code}{' ' + name if name else ''} ({kind})"


def visible(text: str, keep: frozenset[str] = _FREE_KEEP) -> str:
    """``text`` with every hidden character shown as ``<U+XXXX>`` (``keep`` stays as is)."""
    if is_clean(text):
        return text
    return "".join(f"<U+{ord(c):04X}>" if c not in keep and is_hidden(c) else c for c in text)


def _refuse(file: str, row: int | None, column: str | None, text: str, role: Role) -> None:
    """Raise for the first hidden character inside ``text``. White space around it (what
    ``str.strip`` removes, which every reader does) is not part of the name."""
    inner = text.strip()
    offset = len(text) - len(text.lstrip())
    for position, ch in enumerate(inner, start=offset + 1):
        if is_hidden(ch):
            what = {
                Role.TICKER: "a ticker",
                Role.IDENTIFIER: "a name or id",
                Role.OTHER: "a value",
            }.get(role, "a value")
            consequence = (
                " (it would be a different asset or wallet that looks the same)"
                if role in (Role.TICKER, Role.IDENTIFIER)
                else ""
            )
            raise InputError(
                file,
                row,
                column,
                f"'{visible(text, frozenset())}' holds {describe(ch)} at character {position}; "
                f"expected {what} without control, invisible or bidirectional characters"
                f"{consequence}",
            )


def identifier(text: str, file: str, row: int | None, column: str | None) -> str:
    """An identifier cell: NFC, or InputError naming the cell and the refused code point."""
    if is_clean(text):
        return text
    text = unicodedata.normalize("NFC", text)
    _refuse(file, row, column, text, Role.IDENTIFIER)
    return text


def ticker(text: str, file: str, row: int | None, column: str | None) -> str:
    """A ticker cell: refused like an identifier, then NFKC-normalised (the caller strips
    and upper-cases it as before)."""
    if is_clean(text):
        return text
    text = unicodedata.normalize("NFC", text)
    _refuse(file, row, column, text, Role.TICKER)  # names the character as written
    text = unicodedata.normalize("NFKC", text)
    _refuse(file, row, column, text, Role.TICKER)
    return text


def free_text(text: str) -> str:
    """A free-text cell: NFC with every hidden character made visible."""
    if is_clean(text):
        return text
    return visible(unicodedata.normalize("NFC", text))


def value(text: str, file: str, row: int | None, column: str | None) -> str:
    """A number, date or label cell: refused if it holds a hidden character, else unchanged
    (NFC), so its own parser gives its usual message for anything else."""
    if is_clean(text):
        return text
    text = unicodedata.normalize("NFC", text)
    _refuse(file, row, column, text, Role.OTHER)
    return text


def checked_row(
    cells: list[object],
    roles: Sequence[Role],
    file: str,
    row: int,
    labels: Sequence[str],
    cell_chars: int = 131_072,
) -> list[object]:
    """The slow path for a row that is not plain ASCII: each text cell through its role's rule
    (``roles[i]`` for cell ``i``; cells beyond ``roles`` are values), and no cell longer than
    ``cell_chars``. Returns a new list."""
    out = list(cells)
    for i, cell in enumerate(out):
        if type(cell) is not str:
            continue
        column = labels[i] if i < len(labels) else f"column {i + 1}"
        if len(cell) > cell_chars:
            raise InputError(
                file,
                row,
                column,
                f"a cell of {len(cell):,} characters exceeds the limit of {cell_chars:,}; "
                "expected a shorter cell (raise the limit with TAXSIM_LIMIT_CELL_CHARS=N if "
                "the file is genuine)",
            )
        if is_clean(cell):
            continue
        role = roles[i] if i < len(roles) else Role.OTHER
        if role is Role.IDENTIFIER:
            out[i] = identifier(cell, file, row, column)
        elif role is Role.TICKER:
            out[i] = ticker(cell, file, row, column)
        elif role is Role.FREE or role is Role.IGNORED:
            out[i] = free_text(cell)
        else:
            out[i] = value(cell, file, row, column)
    return out
