"""CoinTracking's own CSV/XLSX import format: the ``Cur.`` header (11 to 14 columns, the value
columns optional) and the descriptive alias header (columns matched by name, any order)."""

from __future__ import annotations

from .layout import FORMAT_CT_IMPORT, _Layout
from .trade_list import BASE

_CT_IMPORT = [
    "type",
    "buy",
    "cur",
    "sell",
    "cur",
    "fee",
    "cur",
    "exchange",
    "tradegroup",
    "comment",
    "date",
    "txid",
    "buyvalueinyouraccountcurrency",
    "sellvalueinyouraccountcurrency",
]
#: Descriptive alias header of the import format (order free, matched by name).
_IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("type",),
    "buy": ("buyamount",),
    "buy_cur": ("buycurrency", "buycur"),
    "sell": ("sellamount",),
    "sell_cur": ("sellcurrency", "sellcur"),
    "fee": ("fee", "feeamount", "feelamount"),  # "Feel Amount": typo in a published template
    "fee_cur": ("feecurrency", "feecur"),
    "exchange": ("exchange",),
    "group": ("tradegroup", "group"),
    "comment": ("comment",),
    "date": ("date",),
    "txid": ("txid",),
    "buy_value": ("buyvalueineur", "buyvalueinyouraccountcurrency"),
    "sell_value": ("sellvalueineur", "sellvalueinyouraccountcurrency"),
}
_ALIAS_OF = {alias: key for key, names in _IMPORT_ALIASES.items() for alias in names}


def layout(n: list[str]) -> _Layout | None:
    """The layout of an import-format header with ``Cur.`` columns (normalised cells), else
    None."""
    if len(n) > 12 and n[8] == "group":  # "Group" as in the exports, with the value columns
        n = [*n[:8], "tradegroup", *n[9:]]
    if 11 <= len(n) <= 14 and n == _CT_IMPORT[: len(n)]:
        extra = {"txid": 11, "buy_value": 12, "sell_value": 13}
        idx = {k: v for k, v in extra.items() if v < len(n)}
        return _Layout(FORMAT_CT_IMPORT, **BASE, group=8, comment=9, date=10, **idx)
    return None


def alias_layout(n: list[str]) -> _Layout | None:
    """The layout of the descriptive alias header (normalised cells), else None."""
    keys = [_ALIAS_OF.get(c) for c in n]
    if (
        None not in keys
        and len(set(keys)) == len(keys)
        and {"type", "date", "buy", "sell"} <= set(keys)
    ):
        idx = {k: i for i, k in enumerate(keys) if k is not None}
        required = ("type", "buy", "buy_cur", "sell", "sell_cur", "exchange", "date")
        if all(k in idx for k in required):
            return _Layout(FORMAT_CT_IMPORT, **idx)
    return None
