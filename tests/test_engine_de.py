"""German FIFO engine: hand-worked figures.

Every expected number below is worked out in the comment next to it from the rows of the test
(FIFO, BGB calendar holding period, cost 0 for uncovered units as CoinTracking does).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxsim.engine import run_pass
from taxsim.engine.holding import LocalCalendar, anniversary, local_date
from taxsim.engine.types import DisposalKind, Origin
from taxsim.model import IncomeType, Kind, Leg, Transaction
from taxsim.rules import load_rules
from taxsim.summary import FigureFold, year_figures

DE = load_rules("de")
GLOBAL = DE.with_overrides(lots={"scope": "global"})
BACKFILL = DE.with_overrides(short={"policy": "backfill"})


def at(ts: str) -> datetime:
    return datetime.fromisoformat(ts).replace(tzinfo=UTC)


def buy(i, ts, wallet, qty, asset, eur, fee=None):
    fee_leg = Leg(D(fee), "EUR") if fee else None
    return Transaction(
        i, at(ts), Kind.TRADE, wallet, Leg(D(qty), asset), Leg(D(eur), "EUR"), fee_leg
    )


def sell(i, ts, wallet, qty, asset, eur):
    return Transaction(i, at(ts), Kind.TRADE, wallet, Leg(D(eur), "EUR"), Leg(D(qty), asset))


def swap(i, ts, wallet, qty_out, asset_out, qty_in, asset_in, eur):
    return Transaction(
        i,
        at(ts),
        Kind.TRADE,
        wallet,
        Leg(D(qty_in), asset_in, D(eur)),
        Leg(D(qty_out), asset_out, D(eur)),
    )


def withdraw(i, ts, wallet, qty, asset):
    return Transaction(i, at(ts), Kind.WITHDRAWAL, wallet, sell=Leg(D(qty), asset))


def deposit(i, ts, wallet, qty, asset):
    return Transaction(i, at(ts), Kind.DEPOSIT, wallet, buy=Leg(D(qty), asset))


def figures(txs, rules=DE):
    return year_figures(run_pass(txs, rules), rules)


# -- holding period --


def test_sale_on_anniversary_is_taxable_and_the_day_after_is_exempt():
    # Bought 15.03.2023 (Berlin). "Nicht mehr als ein Jahr": the period ends 15.03.2024, so a
    # sale on 15.03.2024 is taxable, one on 16.03.2024 exempt (§§ 187(1), 188(2) BGB).
    base = [buy("b1", "2023-03-15T09:00:00", "K", "2", "BTC", "20000")]
    on_day = figures(base + [sell("s1", "2024-03-15T20:00:00", "K", "1", "BTC", "15000")])[2024]
    after = figures(base + [sell("s1", "2024-03-16T08:00:00", "K", "1", "BTC", "15000")])[2024]
    # gain = 15,000 − 20,000 × 1/2 = 5,000
    assert on_day.taxable_gain == D("5000") and on_day.exempt_gain == 0
    assert after.taxable_gain == 0 and after.exempt_gain == D("5000")


def test_holding_period_uses_the_local_calendar_date():
    # 2024-03-15T23:30Z is already 16.03.2024 00:30 in Berlin → exempt.
    txs = [
        buy("b1", "2023-03-15T09:00:00", "K", "1", "BTC", "20000"),
        sell("s1", "2024-03-15T23:30:00", "K", "1", "BTC", "25000"),
    ]
    assert figures(txs)[2024].exempt_gain == D("5000")


def test_29_february_ends_on_28_february():
    # § 188 Abs. 3 BGB: a year from 29.02.2024 ends 28.02.2025; first tax-free day 01.03.2025.
    assert anniversary(datetime(2024, 2, 29).date(), 1) == datetime(2025, 2, 28).date()
    base = [buy("b1", "2024-02-29T10:00:00", "K", "1", "ETH", "3000")]
    assert (
        figures(base + [sell("s", "2025-02-28T10:00:00", "K", "1", "ETH", "3500")])[
            2025
        ].taxable_gain
        == 500
    )
    assert (
        figures(base + [sell("s", "2025-03-01T10:00:00", "K", "1", "ETH", "3500")])[
            2025
        ].exempt_gain
        == 500
    )


# -- Freigrenze --


@pytest.mark.parametrize(
    ("proceeds", "year", "after"),
    [
        ("10999.99", 2024, "0"),  # gain 999.99 < 1,000 → tax-free
        ("11000.00", 2024, "1000.00"),  # gain 1,000.00 is not "weniger als" 1,000 → all taxable
        ("10599.99", 2023, "0"),  # 2023: limit 600
        ("10600.00", 2023, "600.00"),
    ],
)
def test_freigrenze_is_a_cliff(proceeds, year, after):
    txs = [
        buy("b1", f"{year}-01-10T10:00:00", "K", "1", "BTC", "10000"),
        sell("s1", f"{year}-06-10T10:00:00", "K", "1", "BTC", proceeds),
    ]
    f = figures(txs)[year]
    assert f.taxable_gain == D(proceeds) - 10000
    assert f.taxable_after_allowance == D(after)


def test_a_net_loss_is_not_cut_by_the_allowance():
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "1", "BTC", "10000"),
        sell("s1", "2024-06-10T10:00:00", "K", "1", "BTC", "9000"),
    ]
    assert figures(txs)[2024].taxable_after_allowance == D("-1000")


# -- scope, transfers, swaps --


def scope_ledger():
    # Kraken buys 1 BTC at 10,000 (2022), Ledger buys 1 BTC at 30,000 (2024-01),
    # then Ledger sells 1 BTC for 35,000 (2024-06).
    return [
        buy("b1", "2022-01-10T10:00:00", "Kraken", "1", "BTC", "10000"),
        buy("b2", "2024-01-10T10:00:00", "Ledger", "1", "BTC", "30000"),
        sell("s1", "2024-06-10T10:00:00", "Ledger", "1", "BTC", "35000"),
    ]


def test_wallet_scope_and_global_scope_differ():
    # wallet scope (BMF): Ledger's own lot b2 → taxable 35,000 − 30,000 = 5,000.
    per_wallet = figures(scope_ledger(), DE)[2024]
    assert (per_wallet.taxable_gain, per_wallet.exempt_gain) == (D("5000"), 0)
    # global pool (CoinTracking): oldest lot b1 (2022) → exempt 35,000 − 10,000 = 25,000.
    pooled = figures(scope_ledger(), GLOBAL)[2024]
    assert (pooled.taxable_gain, pooled.exempt_gain) == (0, D("25000"))


def test_own_transfer_keeps_the_acquisition_date_and_cost():
    # 1 BTC bought 2022-01-10 for 10,000 on Kraken, moved to Ledger in 2024, sold there in
    # 2024 for 35,000: the lot keeps its 2022 date → held > 1 year → exempt gain 25,000.
    txs = [
        buy("b1", "2022-01-10T10:00:00", "Kraken", "1", "BTC", "10000"),
        withdraw("w1", "2024-05-01T10:00:00", "Kraken", "1", "BTC"),
        deposit("d1", "2024-05-01T10:30:00", "Ledger", "1", "BTC"),
        sell("s1", "2024-06-10T10:00:00", "Ledger", "1", "BTC", "35000"),
    ]
    result = run_pass(txs, DE)
    assert result.transfers == {"w1": "d1"}
    (d,) = result.disposals
    (m,) = d.matches
    assert (m.lot_id, m.acquired, m.cost, m.taxable) == (
        "b1",
        at("2022-01-10T10:00:00"),
        D("10000"),
        False,
    )
    assert year_figures(result, DE)[2024].exempt_gain == D("25000")


def test_transferred_lots_are_inserted_in_date_order():
    # Ledger holds a 2024 lot (30,000); an older 2022 lot arrives later by transfer. FIFO in
    # Ledger must consume the 2022 lot first: sale 1 BTC for 35,000 → exempt 25,000.
    txs = [
        buy("b1", "2022-01-10T10:00:00", "Kraken", "1", "BTC", "10000"),
        buy("b2", "2024-01-10T10:00:00", "Ledger", "1", "BTC", "30000"),
        withdraw("w1", "2024-05-01T10:00:00", "Kraken", "1", "BTC"),
        deposit("d1", "2024-05-01T10:30:00", "Ledger", "1", "BTC"),
        sell("s1", "2024-06-10T10:00:00", "Ledger", "1", "BTC", "35000"),
    ]
    f = figures(txs)[2024]
    assert (f.taxable_gain, f.exempt_gain) == (0, D("25000"))


def test_swap_is_a_disposal_and_restarts_the_holding_period():
    # 1 ETH bought 2022 for 1,000; swapped 2024-02-01 for 2,000 USDC worth 2,000 (exempt gain
    # 1,000); USDC sold 2024-03-01 for 2,010 → the USDC lot dates from the swap: taxable 10.
    txs = [
        buy("b1", "2022-01-10T10:00:00", "MM", "1", "ETH", "1000"),
        swap("x1", "2024-02-01T10:00:00", "MM", "1", "ETH", "2000", "USDC", "2000"),
        sell("s1", "2024-03-01T10:00:00", "MM", "2000", "USDC", "2010"),
    ]
    result = run_pass(txs, DE)
    kinds = [d.kind for d in result.disposals]
    assert kinds == [DisposalKind.SWAP, DisposalKind.SALE]
    f = year_figures(result, DE)[2024]
    assert (f.taxable_gain, f.exempt_gain) == (D("10"), D("1000"))


def test_fees_are_acquisition_and_selling_costs():
    # Buy 1 BTC for 10,000 + 25 fee (cost 10,025); sell for 12,000 − 30 fee:
    # gain = 12,000 − 30 − 10,025 = 1,945.
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "1", "BTC", "10000", fee="25"),
        Transaction(
            "s1",
            at("2024-02-10T10:00:00"),
            Kind.TRADE,
            "K",
            Leg(D("12000"), "EUR"),
            Leg(D("1"), "BTC"),
            Leg(D("30"), "EUR"),
        ),
    ]
    assert figures(txs)[2024].taxable_gain == D("1945")


def test_network_fee_on_a_withdrawal_is_a_disposal_by_default():
    # 1 ETH at 2,000. Withdrawal of 0.5 ETH with 0.01 ETH fee worth 25 → fee disposal:
    # cost 0.01 × 2,000 = 20, proceeds 25, gain 5.
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "1", "ETH", "2000"),
        Transaction(
            "w1",
            at("2024-02-01T10:00:00"),
            Kind.WITHDRAWAL,
            "K",
            sell=Leg(D("0.5"), "ETH"),
            fee=Leg(D("0.01"), "ETH", D("25")),
        ),
    ]
    result = run_pass(txs, DE)
    (d,) = result.disposals
    assert (d.kind, d.cost, d.gain) == (DisposalKind.FEE, D("20"), D("5"))


# -- shorts --


def short_ledger():
    # The purchase of 1 BTC on 2023-01-10 is missing. Sale of 1 BTC on 2024-03-01 for 50,000
    # is uncovered; a purchase of 1 BTC on 2024-04-01 for 55,000 follows; sale of 1 BTC on
    # 2024-05-01 for 60,000.
    return [
        sell("s1", "2024-03-01T10:00:00", "K", "1", "BTC", "50000"),
        buy("b2", "2024-04-01T10:00:00", "K", "1", "BTC", "55000"),
        sell("s2", "2024-05-01T10:00:00", "K", "1", "BTC", "60000"),
    ]


def test_short_zero_cost_same_day():
    # CoinTracking: s1 matched with a zero-cost lot dated 2024-03-01 → gain 50,000, Short.
    # b2 is an ordinary lot for s2 → gain 5,000. Taxable 55,000; 1 short, proceeds 50,000.
    result = run_pass(short_ledger(), DE)
    s1 = result.disposals[0]
    assert (
        s1.is_short
        and s1.matches[0].origin is Origin.SHORT
        and s1.matches[0].acquired == at("2024-03-01T10:00:00")
    )
    f = year_figures(result, DE)[2024]
    assert (f.taxable_gain, f.short_count, f.short_proceeds) == (D("55000"), 1, D("50000"))


def test_short_backfill():
    # Backfill: b2 first covers the open short of s1 (cost 55,000 → s1 gain −5,000, still
    # flagged Short); s2 then has no lot → new short at cost 0 → gain 60,000.
    # Taxable −5,000 + 60,000 = 55,000; shorts: s1 and s2 (2), short proceeds 110,000.
    result = run_pass(short_ledger(), BACKFILL)
    s1, s2 = result.disposals
    assert s1.matches[0].covered_by == "b2" and s1.gain == D("-5000")
    assert s2.is_short and s2.gain == D("60000")
    f = year_figures(result, BACKFILL)[2024]
    assert (f.taxable_gain, f.short_count, f.short_proceeds) == (D("55000"), 2, D("110000"))


def test_partial_short():
    # 0.4 BTC held at 8,000; sale of 1 BTC for 30,000: 0.4 covered (proceeds 12,000, cost
    # 8,000), 0.6 short (proceeds 18,000, cost 0). Gain 22,000; short proceeds 18,000.
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "0.4", "BTC", "8000"),
        sell("s1", "2024-03-01T10:00:00", "K", "1", "BTC", "30000"),
    ]
    f = figures(txs)[2024]
    assert (f.taxable_gain, f.short_count, f.short_proceeds) == (D("22000"), 1, D("18000"))


def test_income_creates_a_lot_at_market_value():
    # 0.1 ETH staking reward worth 250 → § 22 Nr. 3 income 250 (below 256 → 0 after the
    # Freigrenze); the lot costs 250; sold for 300 → § 23 gain 50.
    txs = [
        Transaction(
            "i1",
            at("2024-01-10T10:00:00"),
            Kind.INCOME,
            "K",
            buy=Leg(D("0.1"), "ETH", D("250")),
            income_type=IncomeType.STAKING,
        ),
        sell("s1", "2024-02-10T10:00:00", "K", "0.1", "ETH", "300"),
    ]
    f = figures(txs)[2024]
    assert (f.income, f.income_after_allowance, f.taxable_gain) == (D("250"), 0, D("50"))


def test_proportional_cost_leaves_no_dust():
    # 1 BTC for 100 split in three sales of 1/3: costs 33.33…, 33.33…, and the rest; they add
    # up to exactly 100 and nothing remains.
    txs = [buy("b1", "2024-01-10T10:00:00", "K", "1", "BTC", "100")]
    third = D(1) / 3
    txs += [sell(f"s{i}", f"2024-02-0{i}T10:00:00", "K", str(third), "BTC", "50") for i in (1, 2)]
    txs += [sell("s3", "2024-02-03T10:00:00", "K", str(1 - 2 * third), "BTC", "50")]
    result = run_pass(txs, DE)
    assert sum(d.cost for d in result.disposals) == D("100")
    assert result.holdings == {}


# -- invariants --

wallets = st.sampled_from(["A", "B"])
amounts = st.decimals(min_value=D("0.001"), max_value=D("5"), places=3)
prices = st.decimals(min_value=D("1"), max_value=D("5000"), places=2)


@st.composite
def ledgers(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    txs = []
    for i in range(n):
        ts = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}T10:00:00"
        w = draw(wallets)
        op = draw(st.sampled_from(["buy", "sell", "swap", "move"]))
        q, p = draw(amounts), draw(prices)
        if op == "buy":
            txs.append(buy(f"t{i}", ts, w, q, "BTC", p))
        elif op == "sell":
            txs.append(sell(f"t{i}", ts, w, q, "BTC", p))
        elif op == "swap":
            txs.append(swap(f"t{i}", ts, w, q, "BTC", q * 10, "ETH", p))
        else:
            other = "B" if w == "A" else "A"
            txs.append(
                Transaction(
                    f"t{i}", at(ts), Kind.TRANSFER, w, Leg(q, "BTC"), Leg(q, "BTC"), to_wallet=other
                )
            )
    return txs


@settings(max_examples=150, deadline=None)
@given(
    ledgers(),
    st.sampled_from([DE, GLOBAL, BACKFILL, DE.with_overrides(lots={"value_method": "average"})]),
)
def test_invariants(txs, rules):
    result = run_pass(txs, rules)
    for d in result.disposals:
        # matched quantity = disposed quantity, and proceeds fully allocated
        assert sum(m.quantity for m in d.matches) == d.quantity
        assert sum(m.proceeds for m in d.matches) == d.proceeds
        assert all(m.quantity > 0 and m.cost >= 0 for m in d.matches)
    for lots in result.holdings.values():
        assert all(lot.quantity > 0 and lot.cost >= 0 for lot in lots)
    # result independent of input row order
    shuffled = list(txs)
    random.Random(7).shuffle(shuffled)
    again = run_pass(shuffled, rules)
    assert [(d.tx_id, d.gain, d.taxable_gain) for d in again.disposals] == [
        (d.tx_id, d.gain, d.taxable_gain) for d in result.disposals
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31)),
    st.sampled_from(
        [
            "Europe/Berlin",
            "Europe/Vienna",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Pacific/Apia",
        ]
    ),
)
def test_fast_local_calendar_agrees_with_zoneinfo(moment, zone):
    # The engines' cached local dates must equal a direct astimezone() for any moment and zone
    # (DST changes, half-hour offsets, Apia's skipped day in 2011 lies outside the range).
    rules = DE.model_copy(update={"local_timezone": zone})
    utc = moment.replace(tzinfo=UTC)
    assert LocalCalendar(rules).day(utc) == local_date(utc, rules)


def test_average_value_method_keeps_fifo_for_the_holding_period():
    # BMF 2025 Rz. 61: FIFO for the holding period, the pool's average for the values.
    # K buys 1 BTC for 10,000 (2023-01-10) and 1 BTC for 30,000 (2024-01-10); sells 1 BTC on
    # 2024-06-10 for 35,000 and 1 BTC on 2024-07-10 for 36,000.
    txs = [
        buy("b1", "2023-01-10T10:00:00", "K", "1", "BTC", "10000"),
        buy("b2", "2024-01-10T10:00:00", "K", "1", "BTC", "30000"),
        sell("s1", "2024-06-10T10:00:00", "K", "1", "BTC", "35000"),
        sell("s2", "2024-07-10T10:00:00", "K", "1", "BTC", "36000"),
    ]
    # FIFO values: s1 takes b1 (held > 1 year): exempt 25,000; s2 takes b2: taxable 6,000.
    fifo = figures(txs)[2024]
    assert (fifo.exempt_gain, fifo.taxable_gain) == (D("25000"), D("6000"))
    # Average values: s1 still takes b1's date (exempt) but the average cost 20,000:
    # exempt 15,000; s2 (b2's date, taxable) also at 20,000: taxable 16,000. Same total 31,000.
    avg_rules = DE.with_overrides(lots={"value_method": "average"})
    result = run_pass(txs, avg_rules)
    s1, s2 = result.disposals
    assert (s1.matches[0].lot_id, s1.cost, s1.exempt_gain) == ("b1", D("20000"), D("15000"))
    assert (s2.matches[0].lot_id, s2.cost, s2.taxable_gain) == ("b2", D("20000"), D("16000"))
    assert result.holdings == {}


def test_swap_side_without_a_price_takes_the_other_sides_estimate():
    """b1 prices BTC at 30,000 €. s1 swaps 0.1 BTC for 2 ETH, neither side valued: the BTC side
    is 0.1 × 30,000 = 3,000 € (last price), and ETH, never priced before, takes those 3,000 €
    (1,500 € a unit). p1 spends 1 ETH without a value: 1 × 1,500 = 1,500 €, against a cost of
    3,000 × 1/2 = 1,500 €: no gain. Without the cross-fill p1 would count 0 € (a 1,500 € loss).
    """
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "1", "BTC", "30000"),
        Transaction("s1", at("2024-03-01T10:00:00"), Kind.TRADE, "K", Leg(D(2), "ETH"),
                    Leg(D("0.1"), "BTC")),
        Transaction("p1", at("2024-04-01T10:00:00"), Kind.SPEND, "K", sell=Leg(D(1), "ETH")),
    ]  # fmt: skip
    result = run_pass(txs, DE)
    swap_out, spend = result.disposals
    assert (swap_out.proceeds, swap_out.cost, swap_out.gain) == (D(3000), D(3000), D(0))
    assert (spend.proceeds, spend.cost, spend.gain) == (D(1500), D(1500), D(0))
    estimates = [n.message for n in result.notes if n.estimate]
    assert len(estimates) == 3  # BTC side of s1, ETH side of s1, p1
    assert "valued as the 0.1 BTC it was traded for" in estimates[1]
    assert not [n for n in result.notes if "no EUR value" in n.message]


# -- review findings of 2026-11-27 (each failed before its fix) --


def test_same_second_purchase_comes_before_the_sale_it_funds():
    # T-2 buys 1 BTC for 50,000 and T-10 sells it for 51,000 in the same second. By id alone
    # "T-10" < "T-2" and the sale came first: a short at cost 0, 51,000 taxable. An inflow of
    # an asset goes before an outflow of it within one second → 51,000 − 50,000 = 1,000.
    txs = [
        buy("T-2", "2024-03-01T10:00:00", "K", "1", "BTC", "50000"),
        sell("T-10", "2024-03-01T10:00:00", "K", "1", "BTC", "51000"),
    ]
    for order in (txs, txs[::-1]):
        f = figures(order)[2024]
        assert (f.taxable_gain, f.short_count) == (D("1000"), 0)


def test_the_hops_of_one_swap_in_the_same_second_run_in_their_order():
    # One DeFi swap imported as three rows with one timestamp: EUR → USDC (a-3), USDC → SOL
    # (a-2), SOL → EUR (a-1); the ids sort the other way round. Processed inflow first:
    # USDC cost 1,000, proceeds 1,000 → 0; SOL cost 1,000, proceeds 1,100 → 100. No short.
    txs = [
        buy("a-3", "2024-03-01T10:00:00", "W", "1000", "USDC", "1000"),
        swap("a-2", "2024-03-01T10:00:00", "W", "1000", "USDC", "10", "SOL", "1000"),
        sell("a-1", "2024-03-01T10:00:00", "W", "10", "SOL", "1100"),
    ]
    f = figures(txs)[2024]
    assert (f.taxable_gain, f.short_count) == (D("100"), 0)


def test_a_deposit_recorded_before_its_withdrawal_moves_the_lot_then():
    # b1 buys 1 BTC in A on 2023-01-01 for 20,000. The transfer to B is recorded as a deposit
    # at 10:00 and its withdrawal at 11:00 (within transfers.max_hours_before); B sells at
    # 10:30 for 50,000. The lot moves at the deposit: held > 1 year → exempt 30,000, taxable
    # 0, no short (before: the lot moved only at 11:00 and the sale was a 50,000 short).
    txs = [
        buy("b1", "2023-01-01T10:00:00", "A", "1", "BTC", "20000"),
        withdraw("w1", "2024-03-01T11:00:00", "A", "1", "BTC"),
        deposit("d1", "2024-03-01T10:00:00", "B", "1", "BTC"),
        sell("s1", "2024-03-01T10:30:00", "B", "1", "BTC", "50000"),
    ]
    result = run_pass(txs, DE)
    assert result.transfers == {"w1": "d1"}
    f = year_figures(result, DE)[2024]
    assert (f.taxable_gain, f.exempt_gain, f.short_count) == (D("0"), D("30000"), 0)
    assert not result.holdings  # the lot moved once, and was sold


def test_backfill_is_covered_by_units_arriving_by_own_transfer():
    # Backfill: s1 sells 1 BTC in B for 30,000 uncovered; t1 then moves the 1 BTC bought in A
    # for 20,000 into B. That inflow covers the open short: s1 cost 20,000 → gain 10,000,
    # and no lot is left in B (before: the short stayed at cost 0, 30,000, and the lot stayed).
    txs = [
        buy("b1", "2024-01-01T10:00:00", "A", "1", "BTC", "20000"),
        sell("s1", "2024-02-01T10:00:00", "B", "1", "BTC", "30000"),
        Transaction(
            "t1",
            at("2024-02-02T10:00:00"),
            Kind.TRANSFER,
            "A",
            Leg(D("1"), "BTC"),
            Leg(D("1"), "BTC"),
            to_wallet="B",
        ),
    ]
    result = run_pass(txs, BACKFILL)
    (s1,) = result.disposals
    assert s1.matches[0].covered_by == "t1" and s1.gain == D("10000")
    assert not result.holdings


def test_a_crypto_fee_on_income_is_paid_out_of_the_reward():
    # i1: 1 ETH staking reward worth 2,500 with a 0.01 ETH fee worth 25. The fee leaves from
    # the reward's lot (cost 0.01 × 2,500 = 25, proceeds 25 → gain 0); s1 sells the other
    # 0.99 ETH for 2,475 at their cost 2,475 → 0. Nothing is short, nothing is left (before:
    # the fee was taken before the reward arrived, a 25 € short and a phantom 0.01 ETH lot).
    fee = Leg(D("0.01"), "ETH", D("25"))
    txs = [
        Transaction(
            "i1",
            at("2024-03-01T10:00:00"),
            Kind.INCOME,
            "A",
            buy=Leg(D("1"), "ETH", D("2500")),
            fee=fee,
            income_type=IncomeType.STAKING,
        ),
        sell("s1", "2024-04-01T10:00:00", "A", "0.99", "ETH", "2475"),
    ]
    result = run_pass(txs, DE)
    f = year_figures(result, DE)[2024]
    assert (f.taxable_gain, f.short_count, f.income) == (D("0"), 0, D("2500"))
    assert not result.holdings


@pytest.mark.parametrize(
    ("policy", "gain", "expenses"),
    [
        # the FEE coin (10 units bought for 100, 1 unit = cost 10, worth 20) pays the sale's fee
        # disposal: fee disposal 20 − 10 = +10; the sale 1,500 − 20 (fee value) − 1,000 = 480
        ("disposal", D("490"), D("0")),
        # werbungskosten: the unit leaves at its cost 10, which is the sale's selling cost
        # once: 1,500 − 10 − 1,000 = 490, and no expense besides (before: 20 twice → 460)
        ("werbungskosten", D("490"), D("0")),
    ],
)
def test_a_third_currency_trade_fee_counts_once(policy, gain, expenses):
    rules = DE.with_overrides(fees={"network_fee": policy})
    txs = [
        buy("c1", "2024-01-05T10:00:00", "W", "1", "CCC", "1000"),
        buy("c0", "2024-01-05T10:00:01", "W", "10", "FEE", "100"),
        Transaction(
            "c2",
            at("2024-06-05T10:00:00"),
            Kind.TRADE,
            "W",
            Leg(D("1500"), "EUR"),
            Leg(D("1"), "CCC"),
            Leg(D("1"), "FEE", D("20")),
        ),
    ]
    result = run_pass(txs, rules)
    f = year_figures(result, rules)[2024]
    assert f.taxable_gain == gain
    assert sum((e.amount for e in result.expenses), D(0)) == expenses


def test_a_network_fee_as_werbungskosten_deducts_the_units_cost():
    # 1 ETH bought for 2,000; a withdrawal pays 0.01 ETH worth 25 as fee. Under
    # "werbungskosten" the units leave without a disposal, so their cost 0.01 × 2,000 = 20 is
    # the expense (their market value 25 would deduct a gain that is never taxed).
    rules = DE.with_overrides(fees={"network_fee": "werbungskosten"})
    txs = [
        buy("b1", "2024-01-10T10:00:00", "K", "1", "ETH", "2000"),
        Transaction(
            "w1",
            at("2024-02-01T10:00:00"),
            Kind.WITHDRAWAL,
            "K",
            sell=Leg(D("0.5"), "ETH"),
            fee=Leg(D("0.01"), "ETH", D("25")),
        ),
    ]
    result = run_pass(txs, rules)
    assert [e.amount for e in result.expenses] == [D("20")]


def test_units_lost_between_sending_and_receiving_are_a_network_fee():
    # 2 YYY bought for 1,000 in A; 1 YYY withdrawn (worth 600), 0.99 YYY arrive in B. The
    # 0.01 difference is a network fee disposed of in A: cost 5, value 600 × 0.01 = 6 → +1.
    # B then holds 0.99 YYY (cost 495) and A 1 YYY (cost 500); before, B held a phantom 1 YYY.
    txs = [
        buy("a2", "2023-01-10T10:00:00", "A", "2", "YYY", "1000"),
        Transaction(
            "w1", at("2023-06-01T10:00:00"), Kind.WITHDRAWAL, "A", sell=Leg(D("1"), "YYY", D("600"))
        ),
        deposit("d1", "2023-06-01T12:00:00", "B", "0.99", "YYY"),
    ]
    result = run_pass(txs, DE)
    (fee,) = result.disposals
    assert (fee.kind, fee.quantity, fee.cost, fee.gain) == (
        DisposalKind.FEE, D("0.01"), D("5"), D("1")
    )  # fmt: skip
    held = {k: sum((lot.quantity for lot in v), D(0)) for k, v in result.holdings.items()}
    assert held == {("A", "YYY"): D("1"), ("B", "YYY"): D("0.99")}


def test_an_own_transfer_in_the_same_second_sits_between_purchase_and_sale():
    # c-buy buys 1 ETH for 2,000 in W1, b-move moves it to W2, a-sell sells it there for
    # 2,100 — one second, ids in the reverse order. Processed buy → transfer → sale: gain 100,
    # no short (taking the sale first would book a 2,100 short; the transfer before the
    # purchase would find W1 empty).
    txs = [
        buy("c-buy", "2024-03-01T10:00:00", "W1", "1", "ETH", "2000"),
        Transaction(
            "b-move",
            at("2024-03-01T10:00:00"),
            Kind.TRANSFER,
            "W1",
            Leg(D("1"), "ETH"),
            Leg(D("1"), "ETH"),
            to_wallet="W2",
        ),
        sell("a-sell", "2024-03-01T10:00:00", "W2", "1", "ETH", "2100"),
    ]
    result = run_pass(txs, DE)
    f = year_figures(result, DE)[2024]
    assert (f.taxable_gain, f.short_count) == (D("100"), 0)
    assert not result.notes


AT_RULES = load_rules("at")


@settings(max_examples=150, deadline=None)
@given(
    ledgers(),
    st.sampled_from(
        [DE, GLOBAL, BACKFILL, AT_RULES, AT_RULES.with_overrides(short={"policy": "backfill"})]
    ),
)
def test_a_pass_that_keeps_only_its_figures_gives_the_same_figures(txs, rules):
    # simulate's passes hand each final disposal to summary.FigureFold and drop it; the
    # reference is the full pass aggregated afterwards (year_figures). Under backfill the
    # shorts stay in the result until the end, since a later inflow changes their cost.
    full = run_pass(txs, rules)
    fold = FigureFold(rules, keep_shorts=True)
    lean = run_pass(txs, rules, sink=fold.add)
    assert fold.figures(lean) == year_figures(full, rules)
    assert [(d.tx_id, d.asset, d.cost) for d in fold.shorts] == [
        (d.tx_id, d.asset, d.cost) for d in full.disposals if d.is_short
    ]
    assert lean.notes == full.notes
    if rules.short.policy != "backfill":
        assert lean.disposals == []


def test_every_note_has_its_kind():
    # One row for each thing the engines note; simulate counts the notes by kind, so a note
    # must never fall into "other". Rows (DE, wallet scope):
    #   n1 buys 1 BTC on Kraken; n2 sends 0.5 BTC to Ledger, 0.49 arrive (0.01 network fee);
    #   n3 withdraws 0.1 BTC from Kraken, no deposit; n4 deposits 2 ETH into Kraken, no
    #   withdrawal; n5 receives 1 SOL as a gift; n6 swaps 1 XMR (never held, never priced)
    #   for 5 DOT: neither leg has a value; n7 sends 3 BTC from Ledger, which holds 0.49;
    #   n8 buys 0.001 BTC paying a 0.002 BTC fee.
    from taxsim.engine.types import NoteKind

    rows = [
        buy("n1", "2024-01-01T10:00:00", "Kraken", "1", "BTC", "40000"),
        Transaction(
            "n2", at("2024-01-02T10:00:00"), Kind.TRANSFER, "Kraken",
            Leg(D("0.49"), "BTC"), Leg(D("0.5"), "BTC"), to_wallet="Ledger",
        ),
        Transaction(
            "n3", at("2024-01-03T10:00:00"), Kind.WITHDRAWAL, "Kraken", sell=Leg(D("0.1"), "BTC"),
        ),
        Transaction(
            "n4", at("2024-01-04T10:00:00"), Kind.DEPOSIT, "Kraken", buy=Leg(D("2"), "ETH"),
        ),
        Transaction(
            "n5", at("2024-01-05T10:00:00"), Kind.GIFT, "Kraken", buy=Leg(D("1"), "SOL"),
        ),
        Transaction(
            "n6", at("2024-01-06T10:00:00"), Kind.TRADE, "Kraken",
            Leg(D("5"), "DOT"), Leg(D("1"), "XMR"),
        ),
        Transaction(
            "n7", at("2024-01-07T10:00:00"), Kind.TRANSFER, "Ledger",
            Leg(D("3"), "BTC"), Leg(D("3"), "BTC"), to_wallet="Binance",
        ),
        Transaction(
            "n8", at("2024-01-08T10:00:00"), Kind.TRADE, "Kraken",
            Leg(D("0.001"), "BTC", D("40")), Leg(D("40"), "EUR"), Leg(D("0.002"), "BTC", D("80")),
        ),
    ]  # fmt: skip
    kinds = {(n.tx_id, n.kind) for n in run_pass(rows, DE).notes}
    assert kinds == {
        ("n2", NoteKind.TRANSFER_FEE),
        ("n3", NoteKind.UNMATCHED_WITHDRAWAL),
        ("n4", NoteKind.GHOST_DEPOSIT),
        ("n5", NoteKind.GIFT_RECEIVED),
        ("n6", NoteKind.UNVALUED),
        ("n7", NoteKind.BEYOND_HOLDINGS),
        ("n8", NoteKind.FEE_EXCEEDS_BUY),
    }
    # the Austrian engine notes the same rows, none of them as "other"
    at_kinds = {n.kind for n in run_pass(rows, AT_RULES).notes}
    assert NoteKind.OTHER not in at_kinds
    expected = {NoteKind.UNMATCHED_WITHDRAWAL, NoteKind.GHOST_DEPOSIT, NoteKind.GIFT_RECEIVED}
    assert expected <= at_kinds
