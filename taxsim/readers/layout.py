"""Format names and the column layout of the CoinTracking-like formats (shared by the
fingerprint modules and the CoinTracking row reader)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

FORMAT_V1 = "cointracking-trade-list-v1"
FORMAT_V2 = "cointracking-trade-list-v2"
FORMAT_V3 = "cointracking-trade-list-v3"
FORMAT_V4 = "cointracking-trade-list-v4"
FORMAT_CT_IMPORT = "cointracking-import"
FORMAT_CANONICAL = "taxsim-canonical"
UNKNOWN = "unknown"


def _norm(cell: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(cell or "").lower())


def _trim(header: Sequence[object]) -> list[str]:
    """Header cells as stripped text, without the empty cells spreadsheets append."""
    cells = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in header]
    while cells and not cells[-1]:
        cells.pop()
    return cells


@dataclass(frozen=True, slots=True)
class _Layout:
    """Column indices of one CoinTracking-like layout (None: column not present)."""

    format: str
    type: int
    buy: int
    buy_cur: int
    sell: int
    sell_cur: int
    exchange: int
    date: int
    fee: int | None = None
    fee_cur: int | None = None
    group: int | None = None
    comment: int | None = None
    txid: int | None = None  # V2/import "Tx-ID": both the id and the txid
    trade_id: int | None = None  # V3 "Trade ID"
    tx_hash: int | None = None  # V3 "Tx Hash"
    from_address: int | None = None
    to_address: int | None = None
    sell_from_address: int | None = None
    sell_to_address: int | None = None
    buy_value: int | None = None
    sell_value: int | None = None
    values_in_eur: bool = True  # V4 with "Value in USD": values are not EUR and are dropped
