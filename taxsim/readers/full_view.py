"""CoinTracking's full trade view with values ("V4", the sheet "CoinTracking"): Buy and Sell
each with its value in BTC and in the account's fiat currency; no fee and no comment column.
Values in EUR are read as the legs' EUR values; values in any other fiat are dropped."""

from __future__ import annotations

from .layout import FORMAT_V4, _Layout

# V4: type buy cur valueinbtc valuein<fiat> sell cur valueinbtc valuein<fiat> spread exchange
# group date
_CT_V4_FIXED = {0: "type", 1: "buy", 2: "cur", 3: "valueinbtc", 5: "sell", 6: "cur"}
_CT_V4_FIXED |= {7: "valueinbtc", 9: "spread", 10: "exchange", 11: "group", 12: "date"}


def layout(n: list[str]) -> _Layout | None:
    """The layout of a V4 header (normalised cells), else None."""
    if (
        len(n) == 13
        and all(n[i] == name for i, name in _CT_V4_FIXED.items())
        and n[4] == n[8]
        and n[4].startswith("valuein")
    ):
        return _Layout(
            FORMAT_V4,
            type=0,
            buy=1,
            buy_cur=2,
            buy_value=4,
            sell=5,
            sell_cur=6,
            sell_value=8,
            exchange=10,
            group=11,
            date=12,
            values_in_eur=n[4] == "valueineur",
        )
    return None
