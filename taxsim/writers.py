"""Write ledgers: CoinTracking's import CSV and the lossless taxsim canonical CSV.

Text that came from a ledger (wallet names, comments, ids, tickers) goes through
``safe_cell`` before it reaches a CSV/XLSX cell, so a spreadsheet never runs it as a formula.
Numbers that taxsim formats itself (``format(Decimal, "f")``, e.g. ``-12.34``) are not ledger
text and are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from .model import IncomeType, Kind, Leg, Transaction
from .readers import CANONICAL_COLUMNS

#: Header of CoinTracking's CSV import (formats-and-peers.md §1b), written exactly so.
CT_IMPORT_HEADER = [
    "Type",
    "Buy",
    "Cur.",
    "Sell",
    "Cur.",
    "Fee",
    "Cur.",
    "Exchange",
    "Trade-Group",
    "Comment",
    "Date",
    "Tx-ID",
    "Buy Value in your Account Currency",
    "Sell Value in your Account Currency",
]

#: Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"),
#: plus the apostrophe itself so that ``readers.unsafe_cell`` can undo the escape exactly.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")

_INCOME_LABELS = {
    IncomeType.STAKING: "Staking",
    IncomeType.LENDING: "Lending Income",
    IncomeType.MINING: "Mining",
    IncomeType.AIRDROP: "Airdrop",
    IncomeType.INTEREST: "Interest Income",
    IncomeType.BOUNTY: "Reward / Bonus",
    IncomeType.HARDFORK: "Income (non taxable)",
    IncomeType.OTHER: "Income",
}
_KIND_LABELS = {
    Kind.TRADE: "Trade",
    Kind.DEPOSIT: "Deposit",
    Kind.WITHDRAWAL: "Withdrawal",
    Kind.SPEND: "Spend",
    Kind.LOST: "Lost",
    Kind.STOLEN: "Stolen",
}


def safe_cell(value: str) -> str:
    """Neutralise a ledger text for a CSV/XLSX cell: prefix ``'`` if it starts with ``=``,
    ``+``, ``-``, ``@``, tab or CR (a formula to Excel/LibreOffice).

    A text that already starts with ``'`` is prefixed too; that makes the escape reversible
    (``readers.unsafe_cell``), so the canonical CSV stays lossless. Only for text: numbers
    taxsim formats itself are written without it.
    """
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _num(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _leg_cells(leg: Leg | None) -> list[str]:
    return ["", ""] if leg is None else [_num(leg.amount), safe_cell(leg.asset)]


def _ct_label(tx: Transaction) -> str:
    if tx.kind is Kind.DERIVATIVE:  # rules/cointracking_types.toml, read back the same way
        if tx.treatment == "open_position":
            return "Margin Trade"
        if tx.treatment == "derivative_fee" or (tx.buy is None and tx.sell is None):
            return "Margin Fee"
        profit = tx.buy is not None
        return "Derivatives / Futures Profit" if profit else "Derivatives / Futures Loss"
    if tx.treatment in ("swap_non_taxable", "carry_over"):
        return "Swap (non taxable)"
    if tx.kind is Kind.INCOME:
        return _INCOME_LABELS[tx.income_type or IncomeType.OTHER]
    if tx.kind is Kind.GIFT:
        return "Gift/Tip(In)" if tx.buy is not None else "Gift(Out)"
    return _KIND_LABELS[tx.kind]


def write_cointracking_import(
    transactions: Iterable[Transaction], path: str | Path, *, timezone: str = "UTC"
) -> None:
    """Write CoinTracking's import CSV.

    - Dates are ``YYYY-MM-DD HH:MM:SS`` in ``timezone`` (default UTC; set it to the
      CoinTracking account's time zone, which is how CoinTracking reads the file). Fractions
      of a second are dropped.
    - "Value in your Account Currency" is the leg's EUR value (German/Austrian accounts are
      EUR accounts). The format has no fee value, so ``fee.eur`` is not written.
    - A ``transfer`` becomes a Withdrawal (wallet, sell and fee) and a Deposit (to_wallet, buy).
    - Tx-ID is the transaction's ``txid``. CoinTracking skips rows whose Tx-ID it has seen, so
      a txid shared by several rows is written ``<txid>#<n>``.
    - No newline after the last row: CoinTracking's import duplicates the last entry otherwise.
    """
    zone = ZoneInfo(timezone)
    rows: list[tuple[str, Transaction, str, Leg | None, Leg | None, Leg | None]] = []
    for tx in transactions:
        if tx.kind is Kind.TRANSFER:
            rows.append(("Withdrawal", tx, tx.wallet, None, tx.sell, tx.fee))
            rows.append(("Deposit", tx, tx.to_wallet or "", tx.buy, None, None))
        elif tx.kind is Kind.DERIVATIVE and tx.sell is None and tx.fee is not None:
            # a Margin/Borrowing/Settlement Fee row: CoinTracking puts the fee in the Sell
            # column, whose value column keeps its EUR value (the Fee column has none)
            rows.append((_ct_label(tx), tx, tx.wallet, tx.buy, tx.fee, None))
        else:
            rows.append((_ct_label(tx), tx, tx.wallet, tx.buy, tx.sell, tx.fee))
    counts = Counter(tx.txid for _, tx, *_ in rows if tx.txid)
    seen: Counter[str] = Counter()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CT_IMPORT_HEADER)
    for label, tx, wallet, buy, sell, fee in rows:
        txid = tx.txid
        if txid and counts[txid] > 1:
            seen[txid] += 1
            txid = f"{txid}#{seen[txid]}"
        local = tx.time.astimezone(zone)
        writer.writerow(
            [
                label,
                *_leg_cells(buy),
                *_leg_cells(sell),
                *_leg_cells(fee),
                safe_cell(wallet),
                safe_cell(tx.group),
                safe_cell(tx.comment),
                local.strftime("%Y-%m-%d %H:%M:%S"),
                safe_cell(txid),
                _num(buy.eur if buy else None),
                _num(sell.eur if sell else None),
            ]
        )
    text = out.getvalue()
    Path(path).write_text(text.removesuffix("\n"), encoding="utf-8", newline="")


def write_canonical_csv(transactions: Iterable[Transaction], path: str | Path) -> None:
    """Write the taxsim canonical CSV (docs/canonical-csv.md); ``readers.read_ledger`` gives
    back identical transactions (ids, exact decimals with their trailing zeros, microseconds).

    Times are written in UTC with ``Z``. ``source`` is not a column: it names the file read.
    """
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        # CRLF line ends (RFC 4180): the csv module then quotes any field holding CR or LF.
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(CANONICAL_COLUMNS)
        for tx in transactions:
            legs: list[str] = []
            for leg in (tx.buy, tx.sell, tx.fee):
                if leg is None:
                    legs += ["", "", ""]
                else:
                    legs += [_num(leg.amount), safe_cell(leg.asset), _num(leg.eur)]
            time = tx.time.astimezone(UTC).isoformat().replace("+00:00", "Z")
            writer.writerow(
                [
                    safe_cell(tx.id),
                    time,
                    tx.kind.value,
                    tx.income_type.value if tx.income_type else "",
                    safe_cell(tx.wallet),
                    safe_cell(tx.to_wallet or ""),
                    *legs,
                    safe_cell(tx.group),
                    safe_cell(tx.comment),
                    safe_cell(tx.txid),
                    safe_cell(tx.chain),
                    safe_cell(tx.contract),
                    safe_cell(tx.from_address),
                    safe_cell(tx.to_address),
                ]
            )
