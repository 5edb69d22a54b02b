"""Exact plain notation of amounts and rows for messages and outputs."""

from __future__ import annotations

from decimal import Decimal

from ..model import Transaction


def _num(value: Decimal) -> str:
    """Exact plain notation without exponent or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def when(tx: Transaction) -> str:
    return f"{tx.time:%Y-%m-%d %H:%M} UTC"


def legs_text(tx: Transaction) -> str:
    parts = []
    if tx.buy is not None:
        parts.append(f"+{_num(tx.buy.amount)} {tx.buy.asset}")
    elif tx.missing_buy_asset:  # CoinTracking's "Buy 0 USDC": no leg, the asset named
        parts.append(f"+0 {tx.missing_buy_asset}")
    if tx.sell is not None:
        parts.append(f"-{_num(tx.sell.amount)} {tx.sell.asset}")
    elif tx.missing_sell_asset:
        parts.append(f"-0 {tx.missing_sell_asset}")
    if tx.fee is not None:
        parts.append(f"fee {_num(tx.fee.amount)} {tx.fee.asset}")
    return " ".join(parts) or "no legs"


def describe(tx: Transaction) -> str:
    """``K-0107 (2022-11-20 15:30 UTC, withdrawal Kraken -0.5 BTC fee 0.00015 BTC)``."""
    kind = tx.kind.value if tx.income_type is None else f"{tx.kind.value}/{tx.income_type.value}"
    wallet = tx.wallet + (f" -> {tx.to_wallet}" if tx.to_wallet else "")
    extra = f', "{tx.comment}"' if tx.comment else ""
    return f"{tx.id} ({when(tx)}, {kind} {wallet} {legs_text(tx)}{extra})"
