"""Shipped reference lists: official contracts, known aggregator/bridge addresses."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from ..model import InputError

# --- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownAddress:
    address: str
    chain: str
    kind: str  # "aggregator" | "bridge"
    name: str


def _data_rows(name: str, columns: Sequence[str]) -> list[dict[str, str]]:
    text = resources.files("taxsim.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != list(columns):
        raise InputError(f"taxsim/data/{name}", 1, None, f"expected header {','.join(columns)}")
    return list(reader)


def official_contracts() -> dict[tuple[str, str], set[str]]:
    """(asset, chain) → the official contract(s), lower-cased, from the shipped list."""
    result: dict[tuple[str, str], set[str]] = {}
    for row in _data_rows("official_contracts.csv", ("asset", "chain", "contract", "source")):
        key = (row["asset"].upper(), row["chain"].lower())
        result.setdefault(key, set()).add(row["contract"].strip().lower())
    return result


def known_addresses() -> dict[str, KnownAddress]:
    """Lower-cased address → aggregator/bridge. Matched on the address alone: routers often
    share one address across EVM chains."""
    result: dict[str, KnownAddress] = {}
    for row in _data_rows("known_addresses.csv", ("address", "chain", "kind", "name", "source")):
        address = row["address"].strip().lower()
        result.setdefault(address, KnownAddress(address, row["chain"], row["kind"], row["name"]))
    return result
