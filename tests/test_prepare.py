"""Preparing a pass: processing order and own-transfer pairing, each checked against a plain
reference implementation (the straightforward algorithm the fast one must agree with)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from taxsim.engine.transfers import pair_transfers
from taxsim.model import Kind, Leg, Transaction, _inflows_first, in_processing_order, sort_key
from taxsim.rules import load_rules

DE = load_rules("de")
START = datetime(2024, 3, 1, 12, tzinfo=UTC)


def reference_order(txs: list[Transaction]) -> list[Transaction]:
    """Everything sorted by sort_key, then each same-second group inflows first."""
    out = sorted(txs, key=sort_key)
    i = 0
    while i < len(out):
        end = i
        while end + 1 < len(out) and out[end + 1].time == out[i].time:
            end += 1
        out[i : end + 1] = _inflows_first(out[i : end + 1])
        i = end + 1
    return out


def reference_pairs(txs: list[Transaction]) -> dict[str, str]:
    """Every withdrawal (ledger order) scans the whole window; closest in time, then in
    amount, then first in (time, id) order; txid matches first."""
    cfg = DE.transfers
    before, after = timedelta(hours=cfg.max_hours_before), timedelta(hours=cfg.max_hours_after)
    deposits = sorted(
        (t for t in txs if t.kind is Kind.DEPOSIT and t.buy is not None),
        key=lambda t: (t.time, t.id),
    )
    withdrawals = [t for t in txs if t.kind is Kind.WITHDRAWAL and t.sell is not None]
    used: set[str] = set()
    pairs: dict[str, str] = {}
    for w in withdrawals:
        for d in deposits:
            same_tx = w.txid and d.txid == w.txid and d.buy.asset == w.sell.asset
            if same_tx and d.id not in used and d.wallet != w.wallet:
                pairs[w.id] = d.id
                used.add(d.id)
                break
    for w in withdrawals:
        if w.id in pairs:
            continue
        best = None
        for d in deposits:
            if d.buy.asset != w.sell.asset or d.id in used or d.wallet == w.wallet:
                continue
            if not w.time - before <= d.time <= w.time + after:
                continue
            if not w.sell.amount * cfg.min_amount_ratio <= d.buy.amount <= w.sell.amount:
                continue
            key = (abs(d.time - w.time), w.sell.amount - d.buy.amount)
            if best is None or key < best[0]:
                best = (key, d)
        if best is not None:
            pairs[w.id] = best[1].id
            used.add(best[1].id)
    return pairs


# Few distinct times (hours apart, so some fall outside the −24 h/+48 h window, and many
# rows share a second), few wallets and amounts: ties of every kind.
times = st.integers(min_value=0, max_value=12).map(lambda h: START + timedelta(hours=7 * h))
amounts = st.sampled_from([D("1"), D("0.99"), D("0.96"), D("0.9"), D("2")])


@st.composite
def movements(draw) -> list[Transaction]:
    txs = []
    for i in range(draw(st.integers(min_value=1, max_value=30))):
        kind = draw(st.sampled_from([Kind.DEPOSIT, Kind.WITHDRAWAL, Kind.TRADE, Kind.INCOME]))
        wallet = draw(st.sampled_from(["A", "B", "C"]))
        asset = draw(st.sampled_from(["BTC", "ETH"]))
        leg = Leg(draw(amounts), asset, D("100"))
        txid = draw(st.sampled_from(["", "", "0xa", "0xb"]))
        when = draw(times)
        if kind is Kind.DEPOSIT:
            tx = Transaction(f"t{i}", when, kind, wallet, buy=leg, txid=txid)
        elif kind is Kind.WITHDRAWAL:
            tx = Transaction(f"t{i}", when, kind, wallet, sell=leg, txid=txid)
        elif kind is Kind.INCOME:
            tx = Transaction(f"t{i}", when, kind, wallet, buy=leg)
        else:
            other = Leg(D("100"), "EUR", D("100"))
            buy, sell = (leg, other) if draw(st.booleans()) else (other, leg)
            tx = Transaction(f"t{i}", when, kind, wallet, buy=buy, sell=sell)
        txs.append(tx)
    return txs


@settings(max_examples=300, deadline=None)
@given(movements())
def test_processing_order_equals_the_reference(txs):
    assert [t.id for t in in_processing_order(txs)] == [t.id for t in reference_order(txs)]
    # and it does not depend on the order of the rows in the file
    assert [t.id for t in in_processing_order(txs[::-1])] == [
        t.id for t in in_processing_order(txs)
    ]


@settings(max_examples=300, deadline=None)
@given(movements())
def test_transfer_pairing_equals_the_full_scan(txs):
    ordered = in_processing_order(txs)
    assert pair_transfers(ordered, DE) == reference_pairs(ordered)


def test_closest_deposit_wins_and_ties_go_to_the_earlier():
    # W withdraws 1 BTC from A at 12:00. Deposits into B: D1 0.97 BTC at 10:00 (2 h before),
    # D2 0.99 BTC at 14:00 (2 h after), D3 0.96 at 12:30 (closest: 30 min). D3 wins; without
    # it, D1 and D2 are equally far: the larger amount received (D2, 0.99) wins.
    def dep(i: str, hour: int, minute: int, amount: str) -> Transaction:
        when = START.replace(hour=hour, minute=minute)
        return Transaction(i, when, Kind.DEPOSIT, "B", buy=Leg(D(amount), "BTC"))

    w = Transaction("W", START, Kind.WITHDRAWAL, "A", sell=Leg(D("1"), "BTC"))
    d1, d2, d3 = dep("D1", 10, 0, "0.97"), dep("D2", 14, 0, "0.99"), dep("D3", 12, 30, "0.96")
    assert pair_transfers(in_processing_order([w, d1, d2, d3]), DE) == {"W": "D3"}
    assert pair_transfers(in_processing_order([w, d1, d2]), DE) == {"W": "D2"}
    # equal amounts at equal distance: the earlier deposit
    d2_same = dep("D2", 14, 0, "0.97")
    assert pair_transfers(in_processing_order([w, d1, d2_same]), DE) == {"W": "D1"}
