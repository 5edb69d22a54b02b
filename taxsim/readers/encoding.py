"""Text encodings of CSV ledgers: UTF-8 (with or without BOM) first, then Windows-1252 as
German Excel saves "CSV (Trennzeichen-getrennt)", or the encoding the user names.

Reading is optimistic: a file is read as UTF-8, and only when a byte does not fit is it read
again from the start as cp1252, with a finding saying so (``Ledger.findings``). The guess can
not change a figure: amounts, dates and the format's own words are ASCII, identical in all
these encodings; only texts (wallet names, comments, tickers) could differ, and they differ
the same way in every row, so wallets and assets group as before.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from ..model import InputError

AUTO = "auto"
UTF8 = "utf-8-sig"  # UTF-8, a BOM dropped if there is one
FALLBACK = "cp1252"
_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1"}


class EncodingProblem(InputError):
    """A byte that does not fit the encoding the file is being read with."""

    def __init__(self, file: str, encoding: str, reason: str) -> None:
        super().__init__(file, None, None, f"not {describe(encoding)} text: {reason}")
        self.encoding = encoding


def describe(encoding: str) -> str:
    return _NAMES.get(codec_name(encoding), encoding)


def codec_name(encoding: str) -> str:
    """The codec's canonical name (``utf8`` → ``utf-8``; ``utf-8`` is read as ``utf-8-sig``)."""
    name = codecs.lookup(encoding).name
    return {"utf-8": UTF8, "iso8859-1": "latin-1", "latin_1": "latin-1"}.get(name, name)


def check_encoding(file: str, encoding: str) -> str:
    """The codec for ``--encoding`` (``auto`` stays ``auto``), or an error naming the option."""
    if encoding.lower() == AUTO:
        return AUTO
    try:
        return codec_name(encoding)
    except LookupError:
        raise InputError(
            file,
            None,
            None,
            f"--encoding: unknown encoding '{encoding}'; expected auto, utf-8, cp1252 or latin-1",
        ) from None


def first_bad_byte(path: Path, encoding: str) -> tuple[int, int] | None:
    """(offset, byte) of the first byte of the file that ``encoding`` cannot decode, or None."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start, data[exc.start]
    return None


def locate(path: Path, offset: int, delimiter: str) -> tuple[int, str]:
    """Row (1-based, the header is row 1) and column name of the byte at ``offset``. Rows are
    counted by line ends, columns by the delimiters before it on its line (a cell spanning
    several lines would shift the row; such cells do not occur in CoinTracking exports)."""
    with path.open("rb") as f:
        data = f.read(offset + 1)
    before = data[:offset]
    row = before.count(b"\n") + 1
    line = before[before.rfind(b"\n") + 1 :].decode("latin-1")
    header_line = data.split(b"\n", 1)[0].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
    try:
        field = len(next(csv.reader([line], delimiter=delimiter), [""])) - 1
        header = next(csv.reader([header_line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:  # a lone CR in a binary file: count the delimiters instead
        field, header = line.count(delimiter), []
    if row > 1 and field < len(header) and header[field].strip():
        column = header[field].strip()
    else:
        column = f"column {field + 1}"
    return row, column


def fallback_notice(path: Path, delimiter: str, chosen: str) -> str:
    """Why the file is read as ``chosen``: the first byte that is not UTF-8, with its place."""
    bad = first_bad_byte(path, UTF8)
    where = ""
    if bad is not None:
        row, column = locate(path, bad[0], delimiter)
        where = f" (byte 0x{bad[1]:02X} in row {row}, column '{column}')"
    return (
        f"{path}: not UTF-8{where}; read as {describe(chosen)}, the encoding German Excel "
        "saves CSV in. Texts only depend on it, never a figure; give --encoding to choose"
    )


def no_fit_error(path: Path, delimiter: str, tried: list[str]) -> InputError:
    """A byte that fits none of the encodings tried: named with its row and column."""
    bad = first_bad_byte(path, tried[-1])
    names = " nor ".join(describe(e) for e in tried)
    fits = f"fits neither {names}" if len(tried) > 1 else f"does not fit {names}"
    if bad is None:  # pragma: no cover - only called after a decoding error
        return InputError(str(path), None, None, f"the text {fits}")
    row, column = locate(path, bad[0], delimiter)
    return InputError(
        str(path),
        row,
        column,
        f"byte 0x{bad[1]:02X} {fits}; expected a text file (a spreadsheet saved as "
        "'CSV UTF-8'), or give the file's encoding with --encoding (e.g. cp1252, latin-1)",
    )
