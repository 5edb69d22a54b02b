"""Opening an XLSX file safely, before calamine (Rust) sees it.

calamine unpacks a workbook's parts in full and lays a sheet out as a dense rectangle of
``height × width`` cells: a 1 MB zip bomb (1 GiB unpacked) or one cell at ``ZZ1000000`` takes
gigabytes or aborts the process, and a damaged file can make it panic (``PanicException``, a
``BaseException`` that ``except Exception`` lets through). So the zip directory is checked
first (parts, unpacked size, compression ratio, encryption), the parts are then unpacked once
as a stream with the actual sizes counted (a directory can lie), the sheet's extent is
measured from its cell references, and calamine's errors of every kind become ``InputError``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..model import InputError
from . import limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls files
_ROW_ELEMENT = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=[\"']([0-9]+)[\"']")
_WIDE_COLUMN = re.compile(rb"\br=[\"']([A-Z]{2,})[0-9]")
_CHUNK = 1 << 20
_RATIO_EXEMPT = 1 << 20  # parts smaller than this unpacked are never bombs

T = TypeVar("T")


def check(path: Path) -> None:
    """Refuse an XLSX file calamine should not open; InputError names the reason."""
    file = str(path)
    lim = limits.current()
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the file: {exc.strerror}") from None
    if magic == _OLE_MAGIC:
        raise InputError(
            file,
            None,
            None,
            "the file is password-protected (encrypted) or an old .xls workbook; expected an "
            "unencrypted .xlsx (open it in Excel, remove the password, save as .xlsx)",
        )
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_directory(file, infos, lim)
            for info in infos:
                _check_part(file, z, info, lim)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise InputError(
            file,
            None,
            None,
            f"cannot read the XLSX file: a damaged or truncated zip package ({exc}); expected "
            "an .xlsx file as Excel or LibreOffice saves it",
        ) from None
    except Exception as exc:  # zlib.error, NotImplementedError (compression method) …
        raise InputError(
            file, None, None, f"cannot read the XLSX file: {type(exc).__name__}: {exc}"
        ) from None


def _check_directory(file: str, infos: list[zipfile.ZipInfo], lim: limits.Limits) -> None:
    if len(infos) > lim.xlsx_parts:
        raise limits.exceeded(file, None, None, "xlsx_parts", "the number of parts in the XLSX")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(
                file,
                None,
                None,
                f"part {info.filename} is encrypted; expected an unencrypted .xlsx",
            )
        total += info.file_size
        _check_ratio(file, info.filename, info.file_size, info.compress_size, lim)
    if total > lim.xlsx_unpacked_bytes:
        raise limits.exceeded(
            file, None, None, "xlsx_unpacked_bytes", "the XLSX's unpacked size in bytes",
            f"{total:,} bytes",
        )  # fmt: skip


def _check_ratio(file: str, name: str, size: int, packed: int, lim: limits.Limits) -> None:
    if size > _RATIO_EXEMPT and size > lim.xlsx_ratio * max(packed, 1):
        raise limits.exceeded(
            file, None, None, "xlsx_ratio", f"the compression ratio of part {name}",
            f"{size:,} bytes from {packed:,}: {size // max(packed, 1):,} : 1",
        )  # fmt: skip


def _check_part(file: str, z: zipfile.ZipFile, info: zipfile.ZipInfo, lim: limits.Limits) -> None:
    """Unpack one part as a stream: its real size and ratio (the directory may lie; zipfile
    also checks the CRC) and, for a worksheet, the extent of its cells."""
    sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    size = 0
    rows = width = 0
    tail = b""
    with z.open(info) as part:
        while True:
            chunk = part.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > lim.xlsx_unpacked_bytes:
                raise limits.exceeded(
                    file, None, None, "xlsx_unpacked_bytes",
                    f"the unpacked size of part {info.filename}",
                )  # fmt: skip
            _check_ratio(file, info.filename, size, info.compress_size, lim)
            if sheet:
                text = tail + chunk
                found = _ROW_ELEMENT.findall(text)
                if found:
                    rows = max(rows, max(map(int, found)))
                for ref in _higher_rows(rows).findall(text):
                    rows = max(rows, int(ref))
                for letters in _WIDE_COLUMN.findall(text):
                    width = max(width, _column_number(letters))
                tail = text[-64:]
    if sheet:
        _check_extent(file, info.filename, rows, max(width, 26), lim)


def _higher_rows(rows: int) -> re.Pattern[bytes]:
    """Cell references whose row is above ``rows`` by its digits: more digits, or as many and
    a higher first digit (so a reference it misses is below ``2 × rows``). calamine places a
    cell by its own reference, whatever its ``<row>`` says."""
    text = str(rows) if rows else "0"
    digits, lead = len(text), int(text[0])
    same = f"|[{lead + 1}-9][0-9]{{{digits - 1}}}" if lead < 9 else ""
    return re.compile(rf"\br=[\"'][A-Z]{{1,3}}([0-9]{{{digits + 1},}}{same})[\"']".encode())


def _check_extent(file: str, name: str, rows: int, width: int, lim: limits.Limits) -> None:
    """Refuse a sheet whose cells reach beyond the rows or cells calamine may lay out."""
    if rows > lim.rows:
        raise limits.exceeded(
            file, None, None, "rows", f"the rows of sheet {name}", f"its cells reach row {rows:,}"
        )
    if rows * width > lim.xlsx_cells:
        raise limits.exceeded(
            file, None, None, "xlsx_cells",
            f"the cells of sheet {name} ({rows:,} rows × {width:,} columns; delete stray cells "
            "far below or to the right of the data)", f"{rows * width:,} cells",
        )  # fmt: skip


def _column_number(letters: bytes) -> int:
    n = 0
    for b in letters:
        n = n * 26 + b - 64
    return n


def calamine_call(file: str, call: Callable[..., T], *args: Any) -> T:
    """Run a calamine call; any error it raises — its own, or a Rust panic
    (``pyo3_runtime.PanicException``, a ``BaseException``) — becomes an InputError."""
    try:
        return call(*args)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except InputError:
        raise
    except BaseException as exc:  # noqa: BLE001 - the panic is a BaseException
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "password" in text.lower() or type(exc).__name__ == "PasswordError":
            text = "the file is password-protected; expected an unencrypted .xlsx"
        raise InputError(file, None, None, f"cannot read the XLSX file: {text[:300]}") from None
