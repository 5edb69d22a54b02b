"""The text boundary for parsed structured files (corrections TOML, rule and platform files):
every string goes through ``text`` by its key — free text (reasons, evidence, comments) made
visible, every other string (ids, wallets, tickers, contracts, times, amounts, kinds) refused
when it holds a control, bidi or invisible character, named by its place in the file."""

from __future__ import annotations

from typing import Any

from .text import free_text, identifier, ticker

#: Keys whose strings are free text: shown, never compared or matched.
FREE_KEYS = frozenset(
    {"reason", "evidence", "comment", "group", "client", "author", "note", "notes",
     "description", "title", "source"}
)  # fmt: skip


def checked(data: Any, file: str, free_keys: frozenset[str] = FREE_KEYS) -> Any:
    """``data`` (parsed TOML/JSON: dicts, lists, scalars) with every string checked or made
    visible; raises InputError naming the key path (``correction[3].asset``)."""
    return _walk(data, file, "", False, free_keys)


def _walk(value: Any, file: str, where: str, free: bool, free_keys: frozenset[str]) -> Any:
    # Iterative depth is bounded by the parser (tomllib raises RecursionError far earlier,
    # which the loaders turn into InputError); recursion here mirrors the document.
    if isinstance(value, str):
        if free:
            return free_text(value)
        key = where.rsplit(".", 1)[-1]
        if key.endswith("asset"):
            return ticker(value, file, None, where or None)
        return identifier(value, file, None, where or None)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            name = str(k)
            identifier(name, file, None, f"{where}.{name}" if where else name)
            path = f"{where}.{name}" if where else name
            out[k] = _walk(v, file, path, free or name in free_keys or name == "meta",
                           free_keys)  # fmt: skip
        return out
    if isinstance(value, list):
        return [
            _walk(v, file, f"{where}[{i}]", free, free_keys) for i, v in enumerate(value, start=1)
        ]
    return value
