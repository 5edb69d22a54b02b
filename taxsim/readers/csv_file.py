"""The CSV container: records (fast split for the usual shapes, the csv module for the rest)
and the csv module's errors named by row and cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import TextIO

from ..inputs import limits
from ..model import InputError
from .encoding import UTF8, EncodingProblem
from .table import PROGRESS_EVERY, Progress, Row, _CellError


def _csv_rows(
    path: Path, delimiter: str, progress: Progress | None = None, encoding: str = UTF8
) -> Iterator[Row]:
    file = str(path)
    cell_chars = limits.current().cell_chars
    previous = None
    if cell_chars != limits.DEFAULTS.cell_chars:  # overridden: the csv module checks it
        previous = csv.field_size_limit(cell_chars)
    try:
        with path.open(encoding=encoding, newline="") as f:
            yield from _csv_records(f, delimiter, progress)
    except UnicodeDecodeError as exc:
        raise EncodingProblem(file, encoding, exc.reason) from None
    except csv.Error as exc:
        raise _csv_error(path, delimiter, exc, encoding) from None
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the file: {exc.strerror}") from None
    finally:
        if previous is not None:
            csv.field_size_limit(previous)


def _csv_error(path: Path, delimiter: str, error: csv.Error, encoding: str = UTF8) -> InputError:
    """The csv module's error as an InputError naming the row and, where it can be told, the
    cell. Only on error: the file is read again by the csv module alone, keeping the lines of
    the record being read, so the row number is exactly the failing record's."""
    file = str(path)
    lines: list[str] = []

    def keep(f: TextIO) -> Iterator[str]:
        for line in f:
            lines.append(line)
            yield line

    number = 0  # records read without error
    try:
        with path.open(encoding=encoding, newline="") as f:
            for _ in csv.reader(keep(f), delimiter=delimiter, strict=True):
                number += 1
                lines.clear()
    except csv.Error as again:
        limit = csv.field_size_limit()
        message = _csv_message(str(again), delimiter, limit)
        field = _bad_field("".join(lines), delimiter, limit)
        return _CellError(file, number + 1, field, f"column {field + 1}", message)
    except (OSError, UnicodeDecodeError):
        pass
    return InputError(file, None, None, _csv_message(str(error), delimiter, csv.field_size_limit()))


def _csv_message(text: str, delimiter: str, limit: int) -> str:
    """A clearer text for the csv module's (strict mode) messages."""
    if text.startswith("field larger than field limit"):
        return (
            f"malformed CSV: a cell longer than {limit:,} characters (often a quote that is "
            "never closed); expected a shorter cell"
        )
    if "expected after" in text:
        return (
            'malformed CSV: a quote inside a quoted cell must be doubled (""); expected '
            f"'{delimiter}' or the end of the line after a cell's closing quote"
        )
    if "unexpected end of data" in text:
        return "malformed CSV: a quoted cell is not closed (its closing quote is missing)"
    if "NUL" in text:
        return "malformed CSV: the text holds a NUL character; expected a text file"
    return f"malformed CSV: {text}"


def _bad_field(text: str, delimiter: str, limit: int) -> int:
    """0-based position of the cell where the csv module stops in ``text`` (one record, up to
    the line where reading failed): a stray quote after a closing quote, a NUL, a cell over
    ``limit`` characters, else the cell open at the end (an unclosed quote)."""
    field = length = 0
    quoted, start = False, True
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\x00":
            return field
        if quoted:
            if c == '"':
                after = text[i + 1 : i + 2]
                if after == '"':
                    i += 1
                elif after in (delimiter, "\r", "\n", ""):
                    quoted = False
                else:
                    return field
        elif start and c == '"':
            quoted = True
            length -= 1
        elif c == delimiter:
            field, length, start = field + 1, 0, True
            i += 1
            continue
        elif c in "\r\n":
            break
        start = False
        length += 1
        if length > limit:
            return field
        i += 1
    return field


#: Characters of text read at a time by ``_csv_records`` (then completed to a line end).
_CHUNK = 1 << 16


def _csv_records(f: TextIO, delimiter: str, progress: Progress | None = None) -> Iterator[Row]:
    """The records of a CSV file with their 1-based numbers, exactly as ``csv.reader(f,
    delimiter=delimiter, strict=True)`` gives them, only faster for the usual files.

    The file is read in chunks of whole lines. A chunk in one of the two shapes exports have
    (no quote character at all, or every field of every line quoted and no quote inside a
    field) is split with ``str.split``, which gives the same cells as the csv module for
    these shapes at half the cost. The first chunk that is anything else (blank lines among
    quoted ones, quotes inside fields, fields over several lines, lone CR line ends, NUL,
    fields over csv's size limit, ...) goes to the csv module, which then reads the rest of
    the file, so every unusual case keeps the csv module's behaviour and error messages.
    """
    number = 0
    limit, max_rows = csv.field_size_limit(), limits.current().rows
    file = getattr(f, "name", "<csv>")
    report = PROGRESS_EVERY
    while True:
        if progress is not None and number >= report:  # per chunk: nothing added per row
            progress(number)
            report = number + PROGRESS_EVERY
        chunk = f.read(_CHUNK)
        if not chunk:
            return
        if chunk[-1] != "\n":  # complete the last line (also a CRLF cut after its CR)
            chunk += f.readline()
        records = _split_chunk(chunk, delimiter, limit)
        if records is None:
            reader = csv.reader(
                chain(io.StringIO(chunk, newline=""), f), delimiter=delimiter, strict=True
            )
            n = number
            for n, record in enumerate(reader, start=number + 1):
                if n % PROGRESS_EVERY == 0:
                    if progress is not None:
                        progress(n)
                    if n > max_rows:
                        raise limits.exceeded(file, None, None, "rows", "the number of rows")
                yield n, record  # type: ignore[misc]
            if n > max_rows:
                raise limits.exceeded(file, None, None, "rows", "the number of rows")
            return
        if number + len(records) > max_rows:
            raise limits.exceeded(file, None, None, "rows", "the number of rows")
        yield from enumerate(records, start=number + 1)  # type: ignore[misc]
        number += len(records)


def _split_chunk(chunk: str, delimiter: str, limit: int) -> list[list[str]] | None:
    """The records of a chunk of whole CSV lines if it has one of the two simple shapes
    (see ``_csv_records``), else None."""
    if "\x00" in chunk:
        return None
    if "\r" in chunk:
        if chunk.count("\r") != chunk.count("\r\n"):
            return None  # a lone CR ends a line for the csv module
        chunk = chunk.replace("\r\n", "\n")
    lines = chunk.split("\n")
    if chunk[-1] == "\n":
        lines.pop()  # the empty text after the last line end
    if max(map(len, lines)) > limit:
        return None
    if '"' not in chunk:
        return [line.split(delimiter) if line else [] for line in lines]
    # Every line "a","b",...,"z": it starts and ends with a quote (and is at least 2 long, so
    # these are different quotes), and the chunk has no other quotes than the 2 per field.
    if (
        min(map(len, lines)) < 2
        or chunk[0] != '"'
        or lines[-1][-1] != '"'
        or chunk.count('\n"') != len(lines) - 1
        or chunk.count('"\n') != chunk.count("\n")
    ):
        return None
    separator = f'"{delimiter}"'
    records = [line[1:-1].split(separator) for line in lines]
    if chunk.count('"') != 2 * sum(map(len, records)):
        return None  # a quote inside a field: each line has at least 2 per field
    return records


def _csv_delimiter(path: Path) -> str:
    """``;`` or ``,``: whichever the first line has more of (a byte of any encoding will do)."""
    try:
        with path.open(encoding=UTF8, errors="replace", newline="") as f:
            first = f.readline()
    except OSError as exc:
        raise InputError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
    return ";" if first.count(";") > first.count(",") else ","
