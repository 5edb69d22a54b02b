"""The five planted gaps of samples/client (README there) found on CoinTracking's own layouts —
trade lists V1, V2, V3, V4 and the import format, which carry no chain, contract or
counterparty columns — with the right tipping transaction and cause, the fake USDC ranked low,
and nothing else; once with the sample's wallet names and once with CoinTracking's chain-import
names (``ETH Transaction``, ``Arbitrum One``, ``SOL Transaction``, ``BTC Transaction``)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from taxsim import diagnosis as dg
from taxsim.model import Kind, Ledger, Leg, Transaction
from taxsim.readers import read_ledger

CLIENT = Path(__file__).resolve().parent.parent / "samples" / "client"

# --- the ledger in CoinTracking's layouts ------------------------------------------------
# As CoinTracking exports them: no chain, contract or counterparty columns (V3 has addresses
# and hashes, not chain or contract), V1/V2/V3 without EUR values, V4 without fee and comment.

LAYOUTS = ("v1", "v2", "v3", "v4", "import")

HEADERS = {
    "v1": ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment",
           "Date"],
    "v2": ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment",
           "Date", "Tx-ID"],
    "v3": ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group", "Comment",
           "Trade ID", "Imported From", "Add Date", "Date", "From Address", "To Address",
           "Tx Hash", "Sell From Address", "Sell To Address"],
    "v4": ["Type", "Buy", "Cur.", "Value in BTC", "Value in EUR", "Sell", "Cur.",
           "Value in BTC", "Value in EUR", "Spread", "Exchange", "Group", "Date"],
    "import": ["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Trade-Group",
               "Comment", "Date", "Tx-ID", "Buy Value in your Account Currency",
               "Sell Value in your Account Currency"],
}  # fmt: skip

_INCOME = {
    "staking": "Staking", "airdrop": "Airdrop", "other": "Income", "mining": "Mining",
    "interest": "Interest Income", "lending": "Lending Income", "bounty": "Reward / Bonus",
    "hardfork": "Income (non taxable)",
}  # fmt: skip

#: CoinTracking's names for chain imports, for the variant with chain-named wallets
CHAIN_NAMES = {
    "MetaMask": "ETH Transaction",
    "MetaMask Arbitrum": "Arbitrum One",
    "Phantom": "SOL Transaction",
    "Ledger": "BTC Transaction",
}


def _type(tx: Transaction) -> str:
    if tx.kind is Kind.INCOME:
        return _INCOME[(tx.income_type or "other").value if tx.income_type else "other"]
    if tx.kind is Kind.GIFT:
        return "Gift / Tip" if tx.buy is not None else "Gift"
    return {
        Kind.TRADE: "Trade", Kind.DEPOSIT: "Deposit", Kind.WITHDRAWAL: "Withdrawal",
        Kind.SPEND: "Spend", Kind.LOST: "Lost", Kind.STOLEN: "Stolen",
    }[tx.kind]  # fmt: skip


def _n(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _amt(leg: Leg | None) -> tuple[str, str]:
    return ("", "") if leg is None else (_n(leg.amount), leg.asset)


def _eur(leg: Leg | None) -> str:
    return "" if leg is None or leg.eur is None else _n(leg.eur)


def row(tx: Transaction, layout: str, wallets: dict[str, str]) -> list[str]:
    assert tx.kind is not Kind.TRANSFER, "CoinTracking has no one-row transfer"
    t = _type(tx)
    buy, buy_cur = _amt(tx.buy)
    sell, sell_cur = _amt(tx.sell)
    fee, fee_cur = _amt(tx.fee)
    wallet = wallets.get(tx.wallet, tx.wallet)
    iso = tx.time.strftime("%Y-%m-%d %H:%M:%S")
    german = tx.time.strftime("%d.%m.%Y %H:%M:%S")
    if layout == "v1":
        return [t, buy, buy_cur, sell, sell_cur, fee, fee_cur, wallet, tx.group, tx.comment,
                german]  # fmt: skip
    if layout == "v2":
        return [t, buy, buy_cur, sell, sell_cur, fee, fee_cur, wallet, tx.group, tx.comment,
                german, tx.txid]  # fmt: skip
    if layout == "v3":
        incoming = tx.buy is not None
        return [t, buy, buy_cur, sell, sell_cur, fee, fee_cur, wallet, tx.group, tx.comment,
                "", "", iso, iso,
                tx.from_address if incoming else "", tx.to_address if incoming else "",
                tx.txid,
                "" if incoming else tx.from_address, "" if incoming else tx.to_address]  # fmt: skip
    if layout == "v4":
        return [t, buy, buy_cur, "-", _eur(tx.buy) or "-", sell, sell_cur, "-",
                _eur(tx.sell) or "-", "-", wallet, tx.group, iso]  # fmt: skip
    return [t, buy, buy_cur, sell, sell_cur, fee, fee_cur, wallet, tx.group, tx.comment, iso,
            tx.txid, _eur(tx.buy), _eur(tx.sell)]  # fmt: skip


def write_layout(
    ledger: Ledger, layout: str, path: Path, wallets: dict[str, str] | None = None
) -> list[str]:
    """Write ``ledger`` (file order kept) in ``layout``; returns the canonical id of every
    written row in order (spreadsheet row r holds ids[r - 2])."""
    ids = []
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADERS[layout])
        for tx in ledger.transactions:
            writer.writerow(row(tx, layout, wallets or {}))
            ids.append(tx.id)
    return ids


# --- the tests -----------------------------------------------------------------------------

# canonical wallet, asset, tipping row, cause, priority (samples/client/README.md, table)
PLANTED = [
    ("MetaMask", "USDC", "MM-0007", "scam_token", "low"),
    ("Phantom", "USDC", "PH-0005", "aggregator_swap", "high"),
    ("Ledger", "BTC", "LG-0003", "deleted_inflow", "high"),
    ("MetaMask Arbitrum", "ETH", "MA-0002", "one_sided_bridge", "high"),
    ("Binance", "ETH", "BN-0001", "incomplete_history", "high"),
]
# the rows each cause's evidence must name (the deleted row is in the previous export)
EVIDENCE = {
    "scam_token": {"MM-0007", "MM-0008"},
    "aggregator_swap": {"PH-0004"},
    "deleted_inflow": {"LG-0002"},
    "one_sided_bridge": {"MM-0010"},
    "incomplete_history": {"BN-0001"},
}

CASES = [(layout, names) for layout in LAYOUTS for names in ("own", "chain")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{a}-{b}" for a, b in CASES])
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    layout, names = request.param
    wallets = CHAIN_NAMES if names == "chain" else {}
    folder = tmp_path_factory.mktemp(f"{layout}-{names}")
    ids = {}
    for name in ("ledger", "previous_export"):
        canonical = read_ledger(CLIENT / f"{name}.csv")
        path = folder / f"{name}_{layout}.csv"
        ids[name] = write_layout(canonical, layout, path, wallets)
    ledger = read_ledger(folder / f"ledger_{layout}.csv", timezone="UTC")
    previous = read_ledger(folder / f"previous_export_{layout}.csv", timezone="UTC")
    assert "taxsim-canonical" not in ledger.format
    diagnosis = dg.diagnose(ledger, previous=previous)
    # reader id -> canonical id, through the spreadsheet row (header = row 1)
    names_of = {}
    for book, key in ((ledger, "ledger"), (previous, "previous_export")):
        for tx in book.transactions:
            assert tx.source is not None
            names_of.setdefault(tx.id, ids[key][tx.source.row - 2])
    return layout, wallets, diagnosis, names_of


def test_each_planted_cause_found_and_nothing_else(case: tuple) -> None:
    layout, wallets, diagnosis, names_of = case
    found = {
        (f.wallet, f.asset): (names_of[f.tipping.tx_id], f.cause.value, f.priority.value)
        for f in diagnosis.findings
    }
    expected = {
        (wallets.get(w, w), a): (tipping, cause, priority)
        for w, a, tipping, cause, priority in PLANTED
    }
    assert found == expected


def test_evidence_names_the_planted_rows(case: tuple) -> None:
    layout, wallets, diagnosis, names_of = case
    for f in diagnosis.findings:
        cited = {names_of[i] for e in f.evidence for i in e.tx_ids}
        assert EVIDENCE[f.cause.value] <= cited, (f.wallet, f.asset, cited)


def test_row_findings_only_the_deleted_row(case: tuple) -> None:
    # the previous export differs from the ledger by LG-0002 alone (samples/client/README.md)
    layout, wallets, diagnosis, names_of = case
    rows = [(r.change, {names_of[i] for i in r.tx_ids}) for r in diagnosis.row_findings]
    assert rows == [("deleted", {"LG-0002"})]
