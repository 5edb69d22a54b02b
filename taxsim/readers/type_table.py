"""CoinTracking transaction types → taxsim kinds, from the data file
``rules/cointracking_types.toml`` (every label, its spellings, its legs and its treatment per
jurisdiction; docs/formats.md explains it). Also the user's type map (``--type-map``), which
names a known type for each label taxsim cannot place."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model import IncomeType, InputError, Kind
from ..rules import rules_file

# Which legs a row of a type has (the ``legs`` field of the data file).
_IN, _OUT, _ANY, _OTHER_FEE = "in", "out", "any", "other_fee"
_PROFIT, _LOSS, _FEE, _OPEN = "profit", "loss", "fee", "open"
ROLES = frozenset({_IN, _OUT, _ANY, _OTHER_FEE, _PROFIT, _LOSS, _FEE, _OPEN})
TREATMENTS = frozenset({"", "swap_non_taxable", "derivative_fee", "open_position"})
FAMILIES = ("base", "income", "outgoing", "swap", "derivatives")
TYPE_FILE = "cointracking_types.toml"


@dataclass(frozen=True, slots=True)
class TypeEntry:
    """One CoinTracking type of the data file."""

    label: str
    spellings: tuple[str, ...]
    family: str
    kind: Kind
    income_type: IncomeType | None
    legs: str
    treatment: str
    de: str
    at: str
    source: str


def type_key(label: str) -> str:
    """The matching key of a type label: lower case, no white space ("Gift / Tip" → "gift/tip")."""
    return re.sub(r"\s+", "", label.lower())


@dataclass(frozen=True, slots=True)
class TypeTable:
    entries: tuple[TypeEntry, ...]
    by_key: Mapping[str, TypeEntry]
    #: 1:1 migration/wrap pairs (both directions), for "Swap (non taxable)" rows
    carry_over: frozenset[tuple[str, str]]

    def accepted(self) -> str:
        return ", ".join(e.label for e in self.entries)


def _entry(raw: dict[str, object], where: str) -> TypeEntry:
    try:
        kind = Kind(str(raw["kind"]))
        income = str(raw.get("income_type", ""))
        entry = TypeEntry(
            label=str(raw["label"]),
            spellings=tuple(str(s) for s in raw.get("spellings", ())),  # type: ignore[attr-defined]
            family=str(raw["family"]),
            kind=kind,
            income_type=IncomeType(income) if income else None,
            legs=str(raw["legs"]),
            treatment=str(raw.get("treatment", "")),
            de=str(raw["de"]),
            at=str(raw["at"]),
            source=str(raw["source"]),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    if entry.legs not in ROLES or entry.treatment not in TREATMENTS:
        raise ValueError(f"{where}: legs '{entry.legs}' / treatment '{entry.treatment}'")
    if entry.family not in FAMILIES or (entry.kind is Kind.INCOME) != bool(entry.income_type):
        raise ValueError(f"{where}: family '{entry.family}' or income_type")
    return entry


def parse_type_table(text: str) -> TypeTable:
    data = tomllib.loads(text)
    entries = tuple(_entry(raw, f"type {i + 1}") for i, raw in enumerate(data["type"]))
    by_key: dict[str, TypeEntry] = {}
    for e in entries:
        for label in (e.label, *e.spellings):
            key = type_key(label)
            if key in by_key:
                raise ValueError(f"type label '{label}' appears twice")
            by_key[key] = e
    pairs = {(a.upper(), b.upper()) for a, b in data["carry_over"]["pairs"]}
    pairs |= {(b, a) for a, b in pairs}
    return TypeTable(entries, by_key, frozenset(pairs))


@cache
def type_table() -> TypeTable:
    """The shipped type table (read once)."""
    return parse_type_table(rules_file(TYPE_FILE).read_text(encoding="utf-8"))


def load_type_map(path: str | Path) -> dict[str, TypeEntry]:
    """A user's type map: a TOML file with a ``[types]`` table, each key a type label as it
    appears in the ledger and each value the CoinTracking type it stands for, e.g.
    ``"Liquidity Pool Add" = "Trade"`` (docs/formats.md). Returns matching key → entry."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(file, None, None, f"cannot read the type map: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(file, None, None, "expected a UTF-8 TOML file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, None, None, f"not valid TOML: {exc}") from None
    types = data.get("types")
    extra = [k for k in data if k != "types"]
    if not isinstance(types, dict) or extra:
        raise InputError(
            file,
            None,
            None,
            'expected one table [types] of lines like "Liquidity Pool Add" = "Trade"'
            + (f"; found {', '.join(extra)}" if extra else ""),
        )
    table = type_table()
    mapping: dict[str, TypeEntry] = {}
    for label, target in types.items():
        entry = table.by_key.get(type_key(str(target))) if isinstance(target, str) else None
        if entry is None:
            raise InputError(
                file,
                None,
                f"types.{label}",
                f"'{target}' is no CoinTracking type taxsim knows; expected one of: "
                f"{table.accepted()}",
            )
        mapping[type_key(label)] = entry
    return mapping


_LEGS_TEXT = {
    _IN: "Buy",
    _OUT: "Sell",
    _ANY: "Buy and/or Sell",
    _OTHER_FEE: "Sell (or the Fee alone)",
    _PROFIT: "Buy = profit",
    _LOSS: "Sell = loss",
    _FEE: "Sell and/or Fee = fee",
    _OPEN: "any (ignored)",
}


def markdown_table(table: TypeTable | None = None) -> str:
    """The type table as docs/formats.md shows it (a test keeps the two the same)."""
    table = table or type_table()
    lines = []
    for family in FAMILIES:
        lines += [
            "",
            f"**{family}**",
            "",
            "| CoinTracking type | other spellings | kind | legs | DE | AT | source |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in table.entries:
            if e.family != family:
                continue
            kind = e.kind.value + (f" ({e.income_type.value})" if e.income_type else "")
            spellings = ", ".join(e.spellings)
            lines.append(
                f"| {e.label} | {spellings} | {kind} | {_LEGS_TEXT[e.legs]} | {e.de} | {e.at} "
                f"| {e.source} |"
            )
    return "\n".join(lines[1:]) + "\n"


if __name__ == "__main__":  # python -m taxsim.readers.type_table > the block in docs/formats.md
    print(markdown_table(), end="")
