"""Where a text file stops being UTF-8: the error names the line (a spreadsheet's row when no
cell spans lines), the cell and the bytes, so the user can find them, and says how to fix it."""

from __future__ import annotations

import codecs
import contextlib
from pathlib import Path

from ..model import InputError

_CHUNK = 1 << 20


def not_utf8(path: Path | str, delimiter: str | None = None, what: str = "CSV") -> InputError:
    """The InputError for a file that is not UTF-8, found by decoding it again as a stream
    (only on error). ``delimiter`` names the cell as ``column N`` (counted on the line, quotes
    not considered)."""
    file = str(path)
    if delimiter is None:  # as the readers decide it: from the header line
        try:
            with Path(path).open("rb") as f:
                first = f.readline(1 << 16)
            delimiter = ";" if first.count(b";") > first.count(b",") else ","
        except OSError:
            delimiter = None
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, line_start, offset = 1, b"", 0
    try:
        with Path(path).open("rb") as f:
            while True:
                chunk = f.read(_CHUNK)
                final = not chunk
                try:
                    decoder.decode(chunk, final)
                except UnicodeDecodeError as exc:
                    start = exc.start  # within this chunk (the decoder keeps no bytes back here)
                    before = chunk[:start]
                    line += before.count(b"\n")
                    cut = before.rfind(b"\n")
                    line_bytes = before[cut + 1 :] if cut >= 0 else line_start + before
                    return _error(file, line, line_bytes, chunk[start : start + 4], delimiter,
                                  what, offset + start)  # fmt: skip
                if final:
                    break
                line += chunk.count(b"\n")
                cut = chunk.rfind(b"\n")
                line_start = chunk[cut + 1 :] if cut >= 0 else (line_start + chunk)[-4096:]
                offset += len(chunk)
    except OSError as exc:
        return InputError(file, None, None, f"cannot read the file: {exc.strerror}")
    return InputError(file, None, None, f"expected UTF-8 text ({what} saved as UTF-8)")


def _error(
    file: str, line: int, line_bytes: bytes, bad: bytes, delimiter: str | None, what: str,
    offset: int,
) -> InputError:  # fmt: skip
    column = None
    if delimiter:
        column = f"column {line_bytes.count(delimiter.encode()) + 1}"
    shown = bad[:1].hex()
    guess = ""
    with contextlib.suppress(UnicodeDecodeError):
        guess = f" ('{bad[:1].decode('cp1252')}' in Windows-1252)"
    if offset == 0 and bad[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return InputError(
            file, line, column, f"the file is UTF-16 text; expected a {what} file saved as UTF-8"
        )
    return InputError(
        file,
        line,
        column,
        f"byte 0x{shown}{guess} at byte offset {offset:,} is not UTF-8 text; expected a "
        f"{what} file saved as UTF-8 (in Excel: 'CSV UTF-8'; the file is probably "
        "Windows-1252, as Excel's plain 'CSV' saves it)",
    )
