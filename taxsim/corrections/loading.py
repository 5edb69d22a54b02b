"""Reading and validating a corrections file into a ``CorrectionSet``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from ..inputs import limits, structured
from ..model import (
    InputError,
)
from .schema import (
    _CORRECTION,
    KINDS,
    Correction,
    CorrectionSet,
    InlineTransaction,
    Meta,
    _KeyedError,
)

# --------------------------------------------------------------------------------------------
# Loading


def load_corrections(path: Path | str) -> CorrectionSet:
    """Read and validate a corrections file; any problem is an InputError naming the spot."""
    path = Path(path)
    try:
        limits.check_file_size(str(path), path.stat().st_size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), None, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), None, None, "is a folder; expected a file") from None
    except OSError as exc:
        raise InputError(
            str(path), None, None, f"cannot read corrections file: {exc.strerror or exc}"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(str(path), data, exc) from None
    return loads_corrections(text, str(path))


def _not_utf8(file: str, data: bytes, exc: UnicodeDecodeError) -> InputError:
    """Where a file stops being UTF-8: line, character in the line, byte offset, the bytes."""
    start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)  # offsets after a BOM
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    bad = data[start : start + max(exc.end - exc.start, 1)].hex(" ")
    return InputError(
        file,
        line,
        None,
        f"the file is not UTF-8: byte {bad} at line {line}, character {column} (byte offset "
        f"{start}) cannot be read as UTF-8; expected a corrections file saved as UTF-8 (this "
        "happens with umlauts saved as Windows-1252 or Latin-1)",
    )


def loads_corrections(text: str, file: str = "<corrections>") -> CorrectionSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise InputError(file, line, None, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(file, None, None, "not valid TOML: nested too deeply") from None
    return parse_corrections(structured.checked(data, file), file)


def parse_corrections(data: dict[str, Any], file: str = "<corrections>") -> CorrectionSet:
    """Validate already-parsed TOML data (also handy for building corrections in code)."""
    unknown = sorted(set(data) - {"meta", "correction"})
    if unknown:
        raise InputError(
            file, None, unknown[0], "unknown top-level key; expected [meta] and [[correction]]"
        )
    try:
        meta = Meta.model_validate(data.get("meta", {}))
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"]) or None
        raise InputError(file, None, f"meta.{key}", _message(error)) from None
    raw = data.get("correction", [])
    if not isinstance(raw, list):
        raise InputError(file, None, "correction", "expected [[correction]] tables")
    corrections: list[Correction] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(raw, start=1):
        corrections.append(_parse_one(item, number, file))
        cid = corrections[-1].id
        if cid in seen:
            raise InputError(
                file,
                None,
                "id",
                f"correction id '{cid}' is used twice (#{seen[cid]} and #{number})",
            )
        seen[cid] = number
    return CorrectionSet(tuple(corrections), meta, file)


def _parse_one(item: object, number: int, file: str) -> Correction:
    if not isinstance(item, dict):
        raise InputError(file, None, None, f"[[correction]] #{number}: expected a table")
    cid = item.get("id")
    label = f"correction '{cid}' (#{number})" if isinstance(cid, str) and cid else f"#{number}"
    kind = item.get("kind")
    if kind not in KINDS:
        raise InputError(
            file,
            None,
            "kind",
            f"{label}: expected kind to be one of {', '.join(KINDS)}, got {kind!r}",
        )
    label = f"correction '{cid}' (#{number}, {kind})" if isinstance(cid, str) else label
    try:
        return _CORRECTION.validate_python(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(p) for p in error["loc"][1:]]  # first element is the kind tag
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _KeyedError):
            loc.append(cause.key)
        key = ".".join(loc) or None
        message = _message(error)
        if error["type"] == "extra_forbidden":
            known = _keys(KINDS[kind]) if len(loc) == 1 else _keys(InlineTransaction)
            message = f"unknown key; expected one of {', '.join(known)}"
        raise InputError(file, None, key, f"{label}: {message}") from None


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
