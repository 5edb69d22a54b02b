"""CoinTracking trade list exports V1 (simple), V2 (+ Tx-ID) and V3 (extended: trade id,
import source, add date, addresses and hashes): their header fingerprints and column layouts.

Header cells are compared after ``layout._norm`` (lower case, letters and digits only:
``Cur.`` -> ``cur``, ``Tx-ID`` -> ``txid``); the three ``Cur.`` columns are taken by position, as
CoinTracking itself does. The rows are read by ``cointracking.read_rows``.
"""

from __future__ import annotations

from .layout import FORMAT_V1, FORMAT_V2, FORMAT_V3, _Layout

_CT_V1 = ["type", "buy", "cur", "sell", "cur", "fee", "cur", "exchange", "group", "comment", "date"]
_CT_V2 = [*_CT_V1, "txid"]
_CT_V3 = [
    "type",
    "buy",
    "cur",
    "sell",
    "cur",
    "fee",
    "cur",
    "exchange",
    "group",
    "comment",
    "tradeid",
    "importedfrom",
    "adddate",
    "date",
    "fromaddress",
    "toaddress",
    "txhash",
    "sellfromaddress",
    "selltoaddress",
]

#: Type, Buy, Cur., Sell, Cur., Fee, Cur., Exchange: the same positions in V1–V3 and the import
#: format.
BASE = dict(type=0, buy=1, buy_cur=2, sell=3, sell_cur=4, fee=5, fee_cur=6, exchange=7)


def layout(n: list[str]) -> _Layout | None:
    """The layout of a V1, V2 or V3 header (normalised cells), else None."""
    base = BASE
    if n == _CT_V1:
        return _Layout(FORMAT_V1, **base, group=8, comment=9, date=10)
    if n == _CT_V2:
        return _Layout(FORMAT_V2, **base, group=8, comment=9, date=10, txid=11)
    if n == _CT_V3:
        return _Layout(
            FORMAT_V3,
            **base,
            group=8,
            comment=9,
            trade_id=10,
            date=13,
            from_address=14,
            to_address=15,
            tx_hash=16,
            sell_from_address=17,
            sell_to_address=18,
        )
    return None
