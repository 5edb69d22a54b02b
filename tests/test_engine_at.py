"""Austrian engine (moving average Neu, FIFO Alt): figures worked out by hand in the comments.

Transactions are built by hand with EUR values set and passed to ``run_average`` directly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxsim.engine.average import run_average
from taxsim.engine.transfers import pair_transfers
from taxsim.engine.types import DisposalKind, Origin, PassResult
from taxsim.model import IncomeType, Kind, Leg, Transaction, sort_key
from taxsim.rules import RuleSet, load_rules
from taxsim.summary import YearFigures, apply_allowances, at_tax, year_figures

AT = load_rules("at")
D = Decimal


def cents(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def t(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def buy(
    tx_id: str, when: datetime, qty: str, asset: str, eur: str, fee: str = "", wallet: str = "W"
) -> Transaction:
    return Transaction(
        tx_id,
        when,
        Kind.TRADE,
        wallet,
        buy=Leg(D(qty), asset, D(eur)),
        sell=Leg(D(eur), "EUR", D(eur)),
        fee=Leg(D(fee), "EUR", D(fee)) if fee else None,
    )


def sell(
    tx_id: str, when: datetime, qty: str, asset: str, eur: str, wallet: str = "W"
) -> Transaction:
    return Transaction(
        tx_id,
        when,
        Kind.TRADE,
        wallet,
        buy=Leg(D(eur), "EUR", D(eur)),
        sell=Leg(D(qty), asset, D(eur)),
    )


def swap(
    tx_id: str,
    when: datetime,
    qty_out: str,
    asset_out: str,
    qty_in: str,
    asset_in: str,
    eur: str,
    wallet: str = "W",
) -> Transaction:
    return Transaction(
        tx_id,
        when,
        Kind.TRADE,
        wallet,
        buy=Leg(D(qty_in), asset_in, D(eur)),
        sell=Leg(D(qty_out), asset_out, D(eur)),
    )


def income(
    tx_id: str, when: datetime, qty: str, asset: str, eur: str, kind: IncomeType
) -> Transaction:
    return Transaction(
        tx_id, when, Kind.INCOME, "W", buy=Leg(D(qty), asset, D(eur)), income_type=kind
    )


def run(
    txs: list[Transaction], rules: RuleSet = AT, transfers: dict[str, str] | None = None
) -> PassResult:
    return run_average(sorted(txs, key=sort_key), rules, transfers or {})


def taxable(result: PassResult) -> Decimal:
    return sum((d.taxable_gain for d in result.disposals), D(0))


def exempt(result: PassResult) -> Decimal:
    return sum((d.exempt_gain for d in result.disposals), D(0))


def by_tx(result: PassResult, tx_id: str):  # noqa: ANN201
    found = [d for d in result.disposals if d.tx_id == tx_id]
    assert len(found) == 1
    return found[0]


# -- at-rules.md § 3 worked example -----------------------------------------------------------

EXAMPLE = [
    buy("1", t(2024, 1, 10), "1.0", "BTC", "40000", fee="100"),
    buy("2", t(2024, 2, 1), "2", "ETH", "5000"),
    buy("3", t(2024, 3, 5), "0.5", "BTC", "30000", fee="60"),
    swap("4", t(2024, 4, 1), "0.6", "BTC", "10", "ETH", "36000"),
    sell("5", t(2024, 6, 15), "5", "ETH", "17500"),
    sell("6", t(2024, 9, 1), "0.9", "BTC", "45000"),
]


def test_worked_example_corrected() -> None:
    r = run(EXAMPLE)
    # BTC pool 1.5 / 70,160 → swap takes 0.6 × 70,160 / 1.5 = 28,064.00, exactly.
    sw = by_tx(r, "4")
    assert sw.kind is DisposalKind.SWAP and not sw.realized and not sw.is_short
    assert sw.cost == D("28064")
    assert sw.matches[0].lot_id == "avg:W:BTC" and sw.matches[0].acquired == t(2024, 1, 10)
    # ETH pool 12 / 33,064 → 5 ETH cost 5 × 33,064 / 12 = 13,776.666… ; gain 3,723.33
    eth = by_tx(r, "5")
    assert cents(eth.cost) == D("13776.67")
    assert cents(eth.gain) == D("3723.33")
    # BTC pool 0.9 / 42,096.00 emptied: exactly the remaining cost; gain 2,904
    btc = by_tx(r, "6")
    assert btc.cost == D("42096")
    assert btc.gain == D("2904")
    # taxable: 3,723.333… + 2,904 = 6,627.333… → 6,627.33
    assert cents(taxable(r)) == D("6627.33")
    # check figure from at-rules: proceeds 62,500 − (75,160 − ETH left 19,287.33) = 6,627.33
    (eth_left,) = r.holdings[("W", "ETH")]
    assert eth_left.quantity == D("7") and cents(eth_left.cost) == D("19287.33")
    assert ("W", "BTC") not in r.holdings  # emptied, no dust


def test_worked_example_raw_without_buy_1() -> None:
    raw = run(EXAMPLE[1:])
    # BTC pool 0.5 / 30,060: the swap of 0.6 is 0.1 short and carries only 30,060
    sw = by_tx(raw, "4")
    assert sw.is_short and not sw.realized
    assert sw.short_quantity == D("0.1")
    assert sw.cost == D("30060")
    # ETH 12 / 35,060 → 5 ETH cost 14,608.333…, gain 2,891.67
    assert cents(by_tx(raw, "5").gain) == D("2891.67")
    # BTC pool empty: the 0.9 BTC sale is all short at cost 0 → gain 45,000
    btc = by_tx(raw, "6")
    assert btc.is_short and btc.cost == 0 and btc.taxable_gain == D("45000")
    assert btc.matches[0].origin is Origin.SHORT and btc.matches[0].acquired == t(2024, 9, 1)
    # total 47,891.67; fictitious excess over the corrected 6,627.33: 41,264.33
    assert cents(taxable(raw)) == D("47891.67")
    assert cents(taxable(raw) - taxable(run(EXAMPLE))) == D("41264.33")


# -- Alt / Neu ---------------------------------------------------------------------------------

ALT_NEU = [
    buy("alt", t(2020, 6, 1), "1", "BTC", "8000"),
    buy("neu", t(2021, 6, 1), "1", "BTC", "30000"),
    sell("s", t(2024, 1, 10), "1.5", "BTC", "60000"),
]


def test_alt_first_default() -> None:
    r = run(ALT_NEU)
    d = by_tx(r, "s")
    alt, neu = d.matches
    # Alt 1 BTC: cost 8,000, proceeds 40,000 → 32,000 exempt (held > 1 year, old § 31)
    assert alt.alt and not alt.taxable and alt.lot_id == "alt"
    assert (alt.cost, alt.proceeds) == (D("8000"), D("40000"))
    # Neu 0.5 BTC: cost 15,000, proceeds 20,000 → 5,000 taxable
    assert neu.taxable and not neu.alt and (neu.cost, neu.proceeds) == (D("15000"), D("20000"))
    assert taxable(r) == D("5000") and exempt(r) == D("32000")
    assert r.holdings[("W", "BTC")][0].cost == D("15000")


def test_neu_first_option() -> None:
    r = run(ALT_NEU, AT.with_overrides(lots={"order": "neu_first"}))
    # Neu 1 BTC: 40,000 − 30,000 = 10,000 taxable; Alt 0.5: 20,000 − 4,000 = 16,000 exempt
    assert taxable(r) == D("10000") and exempt(r) == D("16000")
    (left,) = r.holdings[("W", "BTC")]
    assert left.alt and left.quantity == D("0.5") and left.cost == D("4000")


@pytest.mark.parametrize(("sold", "is_taxable"), [((2022, 1, 15), True), ((2022, 1, 16), False)])
def test_alt_holding_period_calendar(sold: tuple[int, int, int], is_taxable: bool) -> None:
    # bought 15 Jan 2021: a sale on the anniversary is within the year, the day after is exempt
    r = run(
        [buy("a", t(2021, 1, 15), "1", "BTC", "30000"), sell("s", t(*sold), "1", "BTC", "40000")]
    )
    (m,) = by_tx(r, "s").matches
    assert m.alt and m.taxable is is_taxable
    assert taxable(r) == (D("10000") if is_taxable else 0)


def test_alt_swap_is_exempt_realization_and_new_coin_at_market_value() -> None:
    r = run(
        [
            buy("alt", t(2020, 5, 1), "1", "BTC", "8000"),
            swap("sw", t(2023, 5, 1), "1", "BTC", "20", "ETH", "25000"),
            sell("s", t(2023, 6, 1), "10", "ETH", "15000"),
        ]
    )
    sw = by_tx(r, "sw")
    # realized under § 31: 25,000 − 8,000 = 17,000, exempt after one year
    assert sw.realized and sw.exempt_gain == D("17000") and sw.taxable_gain == 0
    # 20 ETH are Neu at 25,000; 10 sold for 15,000: cost 12,500 → 2,500 taxable
    assert by_tx(r, "s").cost == D("12500")
    assert taxable(r) == D("2500")


def test_mixed_swap_splits_alt_realized_and_neu_carried() -> None:
    r = run(
        [
            buy("alt", t(2020, 5, 1), "1", "BTC", "8000"),
            buy("neu", t(2023, 1, 1), "1", "BTC", "30000"),
            swap("sw", t(2024, 1, 1), "1.5", "BTC", "30", "ETH", "45000"),
        ]
    )
    realized, carried = [d for d in r.disposals if d.tx_id == "sw"]
    # Alt 1 BTC: 2/3 of the value = 30,000 realized, 22,000 exempt
    assert realized.realized and realized.quantity == 1 and realized.exempt_gain == D("22000")
    # Neu 0.5 BTC: not realized, cost 0.5 × 30,000 = 15,000 carried
    assert not carried.realized and carried.cost == D("15000") and carried.taxable_gain == 0
    # ETH: 30,000 (market value of the Alt part) + 15,000 carried = 45,000
    (eth,) = r.holdings[("W", "ETH")]
    assert eth.quantity == 30 and eth.cost == D("45000") and not eth.alt


def test_neu_swap_before_regime_start_is_realized() -> None:
    # EStR Rz 6103k: a swap on 2022-01-15 is still a realization (old law)
    r = run(
        [
            buy("b", t(2021, 6, 1), "1", "BTC", "30000"),
            swap("sw", t(2022, 1, 15), "1", "BTC", "10", "ETH", "40000"),
        ]
    )
    sw = by_tx(r, "sw")
    assert sw.realized and sw.taxable_gain == D("10000")
    assert r.holdings[("W", "ETH")][0].cost == D("40000")


# -- income ------------------------------------------------------------------------------------


def test_staking_cost_zero_rz_6178r() -> None:
    # EStR Rz 6178r: 5 coins staked, sold for 500 → taxable 500
    r = run(
        [
            income("st", t(2023, 2, 1), "5", "SOL", "100", IncomeType.STAKING),
            sell("s", t(2023, 6, 1), "5", "SOL", "500"),
        ]
    )
    (ev,) = r.income
    assert not ev.taxable and ev.value == D("100")
    assert taxable(r) == D("500")


def test_lending_income_at_value_becomes_cost() -> None:
    r = run(
        [
            income("ln", t(2023, 2, 1), "100", "ADA", "40", IncomeType.LENDING),
            sell("s", t(2023, 6, 1), "100", "ADA", "50"),
        ]
    )
    (ev,) = r.income
    assert ev.taxable and ev.value == D("40")
    assert taxable(r) == D("10")  # 50 − 40


# -- scope and transfers -----------------------------------------------------------------------

SCOPE = [
    buy("a", t(2024, 1, 1), "1", "ETH", "1000", wallet="A"),
    buy("b", t(2024, 1, 2), "1", "ETH", "3000", wallet="B"),
    sell("s", t(2024, 2, 1), "1", "ETH", "2500", wallet="A"),
]


def test_per_wallet_average() -> None:
    r = run(SCOPE)
    assert taxable(r) == D("1500")  # 2,500 − A's 1,000
    assert r.holdings[("B", "ETH")][0].cost == D("3000")
    assert ("A", "ETH") not in r.holdings


def test_global_average() -> None:
    r = run(SCOPE, AT.with_overrides(lots={"scope": "global"}))
    # one pool 2 / 4,000, avg 2,000 → 2,500 − 2,000 = 500
    assert taxable(r) == D("500")
    assert by_tx(r, "s").matches[0].lot_id == "avg:*:ETH"
    assert r.holdings[("*", "ETH")][0].cost == D("2000")


def test_paired_withdrawal_deposit_moves_average_cost() -> None:
    txs = [
        buy("a1", t(2024, 1, 1), "1", "ETH", "1000", wallet="A"),
        buy("a2", t(2024, 1, 2), "1", "ETH", "2000", wallet="A"),  # A: 2 / 3,000, avg 1,500
        buy("b1", t(2024, 1, 3), "2", "ETH", "8000", wallet="B"),  # B: 2 / 8,000
        Transaction("w", t(2024, 2, 1), Kind.WITHDRAWAL, "A", sell=Leg(D("1"), "ETH")),
        Transaction("d", t(2024, 2, 1, 13), Kind.DEPOSIT, "B", buy=Leg(D("1"), "ETH")),
        sell("s", t(2024, 3, 1), "1.5", "ETH", "6000", wallet="B"),
    ]
    r = run(txs, transfers={"w": "d"})
    # 1 ETH leaves A at 1,500 → B: 3 / 9,500; sale 1.5 × 9,500 / 3 = 4,750 → gain 1,250
    assert by_tx(r, "s").cost == D("4750") and taxable(r) == D("1250")
    assert r.holdings[("A", "ETH")][0].cost == D("1500")
    assert r.holdings[("B", "ETH")][0].quantity == D("1.5")
    assert r.holdings[("B", "ETH")][0].cost == D("4750")
    assert not [n for n in r.notes if "no matching" in n.message]


def test_transfer_row_with_fee_ignored() -> None:
    txs = [
        buy("a1", t(2024, 1, 1), "2", "ETH", "3000", wallet="A"),  # A: 2 / 3,000
        Transaction(
            "tr",
            t(2024, 2, 1),
            Kind.TRANSFER,
            "A",
            sell=Leg(D("1"), "ETH"),
            buy=Leg(D("1"), "ETH"),
            fee=Leg(D("0.01"), "ETH", D("20")),
            to_wallet="B",
        ),
    ]
    r = run(txs)
    # B receives 1 ETH at 1,500; fee 0.01 ETH leaves A at avg 1,500 → 15 gone, not realized
    assert r.holdings[("B", "ETH")][0].cost == D("1500")
    (a,) = r.holdings[("A", "ETH")]
    assert a.quantity == D("0.99") and a.cost == D("1485")
    assert r.disposals == [] and r.expenses == []


def test_unmatched_deposit_and_withdrawal() -> None:
    r = run(
        [
            Transaction("d", t(2024, 1, 1), Kind.DEPOSIT, "W", buy=Leg(D("2"), "BTC")),
            buy("b", t(2024, 1, 2), "2", "BTC", "80000"),  # pool 4 / 80,000, avg 20,000
            Transaction("w", t(2024, 2, 1), Kind.WITHDRAWAL, "W", sell=Leg(D("1"), "BTC")),
        ]
    )
    # withdrawal out of the ledger: 1 × 20,000 leaves, no disposal
    assert r.disposals == []
    assert r.holdings[("W", "BTC")][0].cost == D("60000")
    assert {n.tx_id for n in r.notes} == {"d", "w"}


def test_gift_received_cost_zero_gift_given_and_theft_leave_without_loss() -> None:
    r = run(
        [
            buy("b", t(2024, 1, 1), "1", "BTC", "40000"),
            Transaction("g", t(2024, 1, 2), Kind.GIFT, "W", buy=Leg(D("1"), "BTC", D("42000"))),
            Transaction("x", t(2024, 2, 1), Kind.STOLEN, "W", sell=Leg(D("0.5"), "BTC")),
        ]
    )
    # pool 2 / 40,000; theft takes 0.5 × 20,000 = 10,000 without disposal
    assert r.disposals == []
    (pool,) = r.holdings[("W", "BTC")]
    assert (pool.quantity, pool.cost) == (D("1.5"), D("30000"))


# -- shortfall policies, dust ------------------------------------------------------------------

SHORT = [
    sell("s1", t(2024, 1, 1), "1", "BTC", "50000"),
    buy("b", t(2024, 2, 1), "2", "BTC", "80000"),
    sell("s2", t(2024, 3, 1), "1", "BTC", "45000"),
]


def test_short_zero_cost_same_day() -> None:
    r = run(SHORT)
    # s1 all short (gain 50,000); pool 2 / 80,000 → s2 cost 40,000, gain 5,000
    assert by_tx(r, "s1").is_short and by_tx(r, "s1").cost == 0
    assert taxable(r) == D("55000")


def test_short_backfill() -> None:
    r = run(SHORT, AT.with_overrides(short={"policy": "backfill"}))
    (m,) = by_tx(r, "s1").matches
    # the buy covers the open 1 BTC first: 1/2 × 80,000 = 40,000 on the short match
    assert m.origin is Origin.SHORT and m.covered_by == "b" and m.cost == D("40000")
    # only 1 BTC / 40,000 enters the pool; s2: 45,000 − 40,000 = 5,000; s1: 10,000
    assert by_tx(r, "s2").cost == D("40000")
    assert taxable(r) == D("15000")


def test_no_dust_when_pool_emptied() -> None:
    r = run(
        [
            buy("b", t(2024, 1, 1), "3", "XRP", "1"),  # avg 1/3 EUR
            sell("s1", t(2024, 2, 1), "1", "XRP", "1"),
            sell("s2", t(2024, 2, 2), "1", "XRP", "1"),
            sell("s3", t(2024, 2, 3), "1", "XRP", "1"),
        ]
    )
    costs = [d.cost for d in r.disposals]
    # on the EUR quantum of 1e-18 (model.EUR_QUANTUM): s1 takes 1/3 → …333; the pool keeps
    # 0.666…667 for 2 units, so s2 takes 0.333…3335 → …334 (half-even); s3 takes the rest …333
    assert costs == [
        D("0.333333333333333333"),
        D("0.333333333333333334"),
        D("0.333333333333333333"),
    ]
    assert sum(costs, D(0)) == D("1")  # exactly the cost that went in
    assert ("W", "XRP") not in r.holdings  # pool 0 / 0
    assert taxable(r) == D("2")  # 3 − 1


def test_trade_fee_in_sold_asset_and_eur_sale_fee() -> None:
    r = run(
        [
            buy("b", t(2024, 1, 1), "2", "BTC", "80000", fee="20"),  # 2 / 80,020
            Transaction(
                "s",
                t(2024, 2, 1),
                Kind.TRADE,
                "W",
                buy=Leg(D("45000"), "EUR", D("45000")),
                sell=Leg(D("1"), "BTC", D("45000")),
                fee=Leg(D("10"), "EUR", D("10")),
            ),
        ]
    )
    d = by_tx(r, "s")
    # cost 1 × 80,020 / 2 = 40,010 (the purchase fee is acquisition cost, EStR Rz 6178y); the
    # 10 € sale fee is not deducted at 27.5 % (§ 20 Abs. 2 EStG; trade_fee = "cost_only",
    # legal review 2026-12 finding 9) → 45,000 − 40,010 = 4,990
    assert d.cost == D("40010") and d.fee == D("0") and taxable(r) == D("4990")
    # the former default (trade_fee = "cost_or_proceeds"): fee deducted → 4,980
    old = AT.with_overrides(fees={"trade_fee": "cost_or_proceeds"})
    txs = [
        buy("b", t(2024, 1, 1), "2", "BTC", "80000", fee="20"),
        Transaction("s", t(2024, 2, 1), Kind.TRADE, "W", buy=Leg(D("45000"), "EUR", D("45000")),
                    sell=Leg(D("1"), "BTC", D("45000")), fee=Leg(D("10"), "EUR", D("10"))),
    ]  # fmt: skip
    f = year_figures(run_average(sorted(txs, key=sort_key), old, {}), old)[2024]
    assert f.taxable_gain == D("4980")


# -- review fixes: transfers dated before their withdrawal, inflow fees, old law, BNB fees ----


def tm(h: int, minute: int = 0) -> datetime:
    return datetime(2023, 2, 1, h, minute, tzinfo=UTC)


def withdrawal(tx_id: str, when: datetime, qty: str, wallet: str, fee: Leg | None = None):  # noqa: ANN201
    return Transaction(tx_id, when, Kind.WITHDRAWAL, wallet, sell=Leg(D(qty), "BTC"), fee=fee)


def deposit(tx_id: str, when: datetime, qty: str, wallet: str, fee: Leg | None = None):  # noqa: ANN201
    return Transaction(tx_id, when, Kind.DEPOSIT, wallet, buy=Leg(D(qty), "BTC"), fee=fee)


@pytest.mark.parametrize(
    ("d_time", "s_time", "o_time"),
    [(tm(10), tm(10), tm(10)), (tm(10), tm(10, 30), tm(11))],
    ids=["same-second", "deposit-sale-withdrawal"],
)
def test_deposit_paired_before_its_withdrawal_moves_the_units_at_the_deposit(
    d_time: datetime, s_time: datetime, o_time: datetime
) -> None:
    txs = [
        buy("b1", t(2023, 1, 10), "1", "BTC", "20000", wallet="W1"),
        withdrawal("o1", o_time, "1", "W1"),
        deposit("d1", d_time, "1", "W2"),
        sell("s1", s_time, "1", "BTC", "25000", wallet="W2"),
    ]
    pairs = pair_transfers(sorted(txs, key=sort_key), AT)
    assert pairs == {"o1": "d1"}  # the deposit is within 24 h before (or at) the withdrawal
    r = run(txs, transfers=pairs)
    # d1 (processed before s1 and o1) moves 1 BTC at 20,000 from W1 into W2; s1 sells it:
    # 25,000 − 20,000 = 5,000. o1 skips the move: nothing left anywhere, nothing short.
    s1 = by_tx(r, "s1")
    assert not s1.is_short and s1.cost == D("20000")
    assert taxable(r) == D("5000")
    assert r.holdings == {}  # before the fix: s1 short at cost 0 (25,000) and 1 BTC left in W2
    assert not [n for n in r.notes if "too few" in n.message or "exceeds" in n.message]


def test_early_deposit_move_leaves_the_withdrawal_fee_at_the_withdrawal() -> None:
    fee = Leg(D("0.01"), "BTC", D("250"))
    txs = [
        buy("b1", t(2023, 1, 10), "1.01", "BTC", "20200", wallet="W1"),  # W1: 1.01 / 20,200
        deposit("d1", tm(10), "1", "W2"),
        sell("s1", tm(10, 30), "1", "BTC", "25000", wallet="W2"),
        withdrawal("o1", tm(11), "1", "W1", fee=fee),
    ]
    r = run(txs, transfers={"o1": "d1"})
    # d1: 1 BTC leaves W1 at 1 × 20,200 / 1.01 = 20,000 → W2; s1: 25,000 − 20,000 = 5,000.
    # o1 only pays its fee: 0.01 BTC leaves W1 at the remaining 200, not realized (Rz 6178ad).
    assert by_tx(r, "s1").cost == D("20000") and taxable(r) == D("5000")
    assert r.holdings == {} and len(r.disposals) == 1 and r.expenses == []


def test_fee_on_deposit_row_reached_before_its_withdrawal_is_paid_after_the_units_arrive() -> None:
    txs = [
        buy("b1", t(2023, 1, 10), "1", "BTC", "20000", wallet="W1"),
        deposit("d1", tm(10), "1", "W2", fee=Leg(D("0.01"), "BTC", D("250"))),
        withdrawal("o1", tm(11), "1", "W1"),
        sell("s1", t(2023, 3, 1), "0.99", "BTC", "24750", wallet="W2"),
    ]
    r = run(txs, transfers={"o1": "d1"})
    # d1: 1 BTC / 20,000 arrive in W2, then the fee 0.01 BTC leaves at 200 → W2: 0.99 / 19,800.
    # s1: 24,750 − 19,800 = 4,950, and W2 is empty (before the fix the fee was taken from an
    # empty W2 and 0.01 BTC stayed behind as a phantom holding).
    assert by_tx(r, "s1").cost == D("19800") and taxable(r) == D("4950")
    assert r.holdings == {}
    assert not [n for n in r.notes if "too few" in n.message]


@pytest.mark.parametrize(
    "inflow",
    [
        Transaction(
            "in",
            t(2023, 2, 1),
            Kind.INCOME,
            "W",
            buy=Leg(D("1"), "ETH", D("2000")),
            fee=Leg(D("0.01"), "ETH", D("20")),
            income_type=IncomeType.MINING,
        ),
        Transaction(
            "in",
            t(2023, 2, 1),
            Kind.DEPOSIT,
            "W",
            buy=Leg(D("1"), "ETH", D("2000")),
            fee=Leg(D("0.01"), "ETH", D("20")),
        ),
        Transaction(
            "in",
            t(2023, 2, 1),
            Kind.GIFT,
            "W",
            buy=Leg(D("1"), "ETH", D("2000")),
            fee=Leg(D("0.01"), "ETH", D("20")),
        ),
    ],
    ids=["mining", "unpaired-deposit", "gift-received"],
)
def test_crypto_fee_on_an_inflow_row_is_paid_out_of_the_inflow(inflow: Transaction) -> None:
    # The fee leaves after the units arrived: 1 − 0.01 = 0.99 ETH remain, no short, no phantom
    # lot. Mining: cost 2,000, the fee takes 0.01 × 2,000 = 20 → 0.99 / 1,980; deposit and gift
    # enter at cost 0. (AT already paid fees after the kind branch; this pins the order.)
    r = run([inflow, sell("s", t(2023, 3, 1), "0.99", "ETH", "2200")])
    assert not by_tx(r, "s").is_short and r.holdings == {}
    assert not [n for n in r.notes if "too few" in n.message]
    cost = D("1980") if inflow.kind is Kind.INCOME else D("0")
    assert by_tx(r, "s").cost == cost and taxable(r) == D("2200") - cost


def test_lending_before_march_2022_is_old_law_income_outside_the_27_5_percent() -> None:
    r = run(
        [
            income("ln1", t(2022, 1, 15), "1", "ETH", "3000", IncomeType.LENDING),  # old law
            income("ln2", t(2022, 3, 15), "1", "ETH", "2000", IncomeType.LENDING),  # § 27b Abs 2
            sell("s", t(2022, 6, 1), "2", "ETH", "6000"),
        ]
    )
    old, new = r.income
    assert not old.taxable and new.taxable
    assert [n.tx_id for n in r.notes if "old-law income" in n.message] == ["ln1"]
    # both inflow values are cost: pool 2 / 5,000; sale 6,000 − 5,000 = 1,000
    assert by_tx(r, "s").cost == D("5000") and taxable(r) == D("1000")
    f = year_figures(r, AT)[2022]
    # 27.5 % current income (E1kv current_income row): only ln2's 2,000 (before: 5,000)
    assert f.income == D("2000")
    # estimate: (1,000 + 2,000) × 0.275 = 825.00 (before: (1,000 + 5,000) × 0.275 = 1,650)
    assert at_tax(f, AT) == D("825")


def test_staking_before_march_2022_enters_at_its_value_not_at_cost_0() -> None:
    # at-rules § 1: "no income on receipt; cost = 0" holds from 2022-03-01. Staked 2021-06-01
    # (Neuvermögen, old law): the value 300 is old-law income and the cost; sold 2022-06-01
    # for 500 → 200 taxable (before the fix: cost 0 → 500). Staked 2022-04-01: cost 0 → 100.
    r = run(
        [
            income("st1", t(2021, 6, 1), "10", "SOL", "300", IncomeType.STAKING),
            sell("s1", t(2022, 6, 1), "10", "SOL", "500"),
            income("st2", t(2022, 4, 1), "1", "ADA", "40", IncomeType.STAKING),
            sell("s2", t(2022, 6, 2), "1", "ADA", "100"),
        ]
    )
    assert by_tx(r, "s1").cost == D("300") and by_tx(r, "s1").taxable_gain == D("200")
    assert by_tx(r, "s2").cost == 0 and by_tx(r, "s2").taxable_gain == D("100")
    assert not any(e.taxable for e in r.income)
    assert [n.tx_id for n in r.notes if "old-law income" in n.message] == ["st1"]
    assert year_figures(r, AT)[2022].income == 0


@pytest.mark.parametrize(
    ("proceeds", "after"),
    [("10439.99", "0"), ("10440.00", "0"), ("10440.01", "440.01")],
)
def test_old_paragraph_31_freigrenze_is_inclusive(proceeds: str, after: str) -> None:
    # Neu BTC bought 2021-04-01 for 10,000, sold 2021-09-01: speculation under old § 31.
    # § 31 Abs 3 EStG a. F.: free if the year's speculation income is "höchstens 440 Euro".
    r = run(
        [
            buy("b", t(2021, 4, 1), "1", "BTC", "10000"),
            sell("s", t(2021, 9, 1), "1", "BTC", proceeds),
        ]
    )
    f = year_figures(r, AT)[2021]
    assert f.speculation_gain == D(proceeds) - D("10000")
    assert f.speculation_after_allowance == D(after)


def test_german_freigrenze_stays_exclusive() -> None:
    # § 23 Abs 3 S 5 EStG: free if the gain is "weniger als 1 000 Euro" (2024): 1,000 is taxable.
    de = load_rules("de")
    assert de.allowance_entry("freigrenze_23", 2024).inclusive is False  # type: ignore[union-attr]
    assert AT.allowance_entry("freigrenze_31", 2021).inclusive is True  # type: ignore[union-attr]
    at_limit, below = (
        YearFigures(2024, taxable_gain=D("1000")),
        YearFigures(2024, taxable_gain=D("999.99")),
    )
    apply_allowances(at_limit, de)
    apply_allowances(below, de)
    assert at_limit.taxable_after_allowance == D("1000") and below.taxable_after_allowance == 0


BNB_FEE = Leg(D("1"), "BNB", D("300"))


def test_third_crypto_fee_on_a_swap_carries_its_cost_not_its_market_value() -> None:
    r = run(
        [
            buy("b0", t(2023, 1, 1), "1", "BNB", "10"),
            buy("b1", t(2023, 1, 10), "1", "ETH", "1000"),
            Transaction(
                "w1",
                t(2023, 3, 1),
                Kind.TRADE,
                "W",
                buy=Leg(D("100"), "SOL", D("2000")),
                sell=Leg(D("1"), "ETH", D("2000")),
                fee=BNB_FEE,
            ),
            sell("s1", t(2023, 6, 1), "100", "SOL", "2000"),
        ]
    )
    # Tax-neutral swap (§ 27b Abs 3 Z 2) and fee (Rz 6178ad, at-rules § 2.2): SOL costs ETH's
    # 1,000 + BNB's carried 10 = 1,010 (not + its market value 300 → 1,300). s1: 2,000 − 1,010.
    assert by_tx(r, "s1").cost == D("1010")
    assert taxable(r) == D("990")  # before the fix: 2,000 − 1,300 = 700
    assert r.holdings == {} and r.expenses == []


def test_third_crypto_fee_on_a_sale_deducts_its_cost_not_its_market_value() -> None:
    # Where sale fees are deducted (trade_fee = "cost_or_proceeds", the former default):
    txs = [
        buy("b0", t(2023, 1, 1), "1", "BNB", "10"),
        buy("b1", t(2023, 1, 10), "1", "ETH", "1000"),
        Transaction(
            "s1",
            t(2023, 3, 1),
            Kind.TRADE,
            "W",
            buy=Leg(D("2000"), "EUR", D("2000")),
            sell=Leg(D("1"), "ETH", D("2000")),
            fee=BNB_FEE,
        ),
    ]
    r = run(txs, AT.with_overrides(fees={"trade_fee": "cost_or_proceeds"}))
    # proceeds 2,000 − fee at BNB's carried cost 10 − cost 1,000 = 990 (before: − 300 → 700)
    s1 = by_tx(r, "s1")
    assert (s1.fee, s1.cost) == (D("10"), D("1000")) and taxable(r) == D("990")
    assert r.holdings == {} and len(r.disposals) == 1
    # the default (§ 20 Abs. 2 EStG: no sale fee at 27.5 %): 2,000 − 1,000 = 1,000
    assert taxable(run(txs)) == D("1000")


# -- property: cost is conserved exactly -------------------------------------------------------

ASSETS = ("BTC", "ETH", "SOL")
amount = st.decimals(min_value=D("0.00000001"), max_value=D("1000"), places=8)
money = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
step = st.one_of(
    st.tuples(st.just("buy"), st.sampled_from(ASSETS), amount, money),
    st.tuples(st.just("sell"), st.sampled_from(ASSETS), st.integers(1, 100), money),
    st.tuples(st.just("swap"), st.sampled_from(ASSETS), st.integers(1, 100), money),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(step, min_size=1, max_size=40))
def test_cost_in_equals_out_plus_remaining(steps: list[tuple]) -> None:
    balance = dict.fromkeys(ASSETS, D(0))
    txs: list[Transaction] = []
    cost_in = D(0)
    for n, (op, asset, x, eur) in enumerate(steps):
        when = t(2024, 1, 1, 0).replace(minute=n)
        if op == "buy":
            txs.append(buy(f"t{n}", when, str(x), asset, str(eur)))
            balance[asset] += x
            cost_in += eur
            continue
        # sell/swap x % of the balance (never more: no shortfall)
        qty = (balance[asset] * x / 100).quantize(D("0.00000001"))
        if qty <= 0 or qty > balance[asset]:
            continue
        balance[asset] -= qty
        if op == "sell":
            txs.append(sell(f"t{n}", when, str(qty), asset, str(eur)))
        else:
            other = ASSETS[(ASSETS.index(asset) + 1) % len(ASSETS)]
            txs.append(swap(f"t{n}", when, str(qty), asset, "1.5", other, str(eur)))
            balance[other] += D("1.5")
    r = run(txs)
    assert not any(d.is_short for d in r.disposals)
    realized = sum((d.cost for d in r.disposals if d.realized), D(0))
    remaining = sum((lot.cost for lots in r.holdings.values() for lot in lots), D(0))
    assert cost_in == realized + remaining
    for (_, asset), lots in r.holdings.items():
        assert sum((lot.quantity for lot in lots), D(0)) == balance[asset]


def test_units_without_history_keep_the_short_flag_across_an_own_transfer():
    # L2 withdraws 1 BTC from Ledger, which holds none; B1 receives it at Bitpanda (same
    # txid: an own transfer); B2 sells it for 60,000. The unit has no purchase history: cost 0,
    # taxable 60,000, and the sale is a Short with 60,000 short proceeds, as in Germany
    # (before: the unit joined Bitpanda's average as an ordinary unit, short_count 0).
    txs = [
        Transaction(
            "L2", t(2024, 3, 1, 10), Kind.WITHDRAWAL, "Ledger",
            sell=Leg(D("1"), "BTC", D("58000")), txid="t2",
        ),
        Transaction(
            "B1", t(2024, 3, 1, 11), Kind.DEPOSIT, "Bitpanda",
            buy=Leg(D("1"), "BTC", D("58000")), txid="t2",
        ),
        Transaction(
            "B2", t(2024, 3, 2, 10), Kind.TRADE, "Bitpanda",
            Leg(D("60000"), "EUR"), Leg(D("1"), "BTC"),
        ),
    ]  # fmt: skip
    result = run(txs, transfers=pair_transfers(txs, AT))
    assert result.transfers == {"L2": "B1"}
    (sale,) = result.disposals
    assert sale.is_short and sale.matches[0].lot_id == "L2"
    f = year_figures(result, AT)[2024]
    assert (f.taxable_gain, f.short_count, f.short_proceeds) == (D("60000"), 1, D("60000"))
    assert not result.holdings
