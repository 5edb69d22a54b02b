"""Diagnosis thresholds (documented in docs/diagnosis.md)."""

from __future__ import annotations

from decimal import Decimal

# --- thresholds -------------------------------------------------------------------------------

#: Extreme spike, quantity: a movement larger than this many times the median absolute movement
#: of the same wallet × asset *before* it (needs at least one earlier movement).
EXTREME_QUANTITY_FACTOR = Decimal(1000)
#: Extreme spike, value: a leg whose implied EUR unit price is more than this factor above or
#: below the asset's reference price (median implied unit price of all its legs in the ledger).
EXTREME_PRICE_FACTOR = Decimal(100)
#: Scam, absurd inflow: an airdrop/bounty/other income leg worth more than this (EUR).
ABSURD_AIRDROP_EUR = Decimal(100_000)
#: Priority low when the gap is worth less than this (EUR): dust.
DUST_EUR = Decimal(1)
#: One-sided bridge: an inflow counts as the bridge's other side if it arrives within this many
#: days after the outflow and is at least (1 − tolerance) of the amount sent (bridge fees).
BRIDGE_WINDOW_DAYS = 7
BRIDGE_FEE_TOLERANCE = Decimal("0.05")
#: One-sided aggregator swap: the swap must lie at most this many days before the tipping point.
AGGREGATOR_WINDOW_DAYS = 90
#: Assets whose gaps are high priority (unless the cause is a scam token).
MAJOR_ASSETS = frozenset(
    {"BTC", "ETH", "USDT", "USDC", "DAI", "EURC", "EURT", "PYUSD", "FDUSD", "TUSD", "USDE"}
    | {"WBTC", "WETH"}
)
#: Income types that are "received without buying" for the absurd-inflow scam test.
_UNBOUGHT_INCOME = frozenset({"airdrop", "bounty", "other"})
