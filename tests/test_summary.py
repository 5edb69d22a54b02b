"""Year figures: Austrian old-regime split and the DE/AT JSON keys. Figures worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from taxsim.engine import run_pass
from taxsim.model import Kind, Leg, Transaction
from taxsim.rules import load_rules
from taxsim.summary import at_tax, money, year_figures

AT = load_rules("at")


def trade(i, ts, buy, sell):
    return Transaction(
        i, datetime.fromisoformat(ts).replace(tzinfo=UTC), Kind.TRADE, "W", buy, sell
    )


def eur(x):
    return Leg(D(x), "EUR")


def btc(x):
    return Leg(D(x), "BTC")


def test_at_realizations_before_march_2022_are_old_paragraph_31():
    txs = [
        trade("alt", "2020-01-10T10:00:00", btc("1"), eur("8000")),  # Altvermögen
        trade("neu", "2021-04-01T10:00:00", btc("1"), eur("50000")),  # Neuvermögen
        # 2021-10-01: 0.5 BTC for 30,000. Alt first: cost 4,000, held > 1 year → exempt 26,000
        trade("s1", "2021-10-01T10:00:00", eur("30000"), btc("0.5")),
        # 2022-02-15: 1 BTC for 40,000: Alt 0.5 (cost 4,000, exempt 16,000) + Neu 0.5 (cost
        # 25,000, held < 1 year, before 1.3.2022 → speculation −5,000)
        trade("s2", "2022-02-15T10:00:00", eur("40000"), btc("1")),
        # 2022-03-15: the last 0.5 Neu BTC for 30,000, cost 25,000 → 27.5 % regime: +5,000
        trade("s3", "2022-03-15T10:00:00", eur("30000"), btc("0.5")),
    ]
    figs = year_figures(run_pass(txs, AT), AT)
    assert (figs[2021].exempt_gain, figs[2021].speculation_gain) == (D("26000"), 0)
    assert figs[2021].taxable_gain == 0
    y2022 = figs[2022]
    assert (y2022.exempt_gain, y2022.speculation_gain, y2022.taxable_gain) == (
        D("16000"),
        D("-5000"),
        D("5000"),
    )
    # the 27.5 % estimate covers the new regime only: 5,000 × 0.275 = 1,375
    assert money(at_tax(y2022, AT)) == "1375.00"
    keys = set(y2022.as_json(AT))
    assert {"speculation_gain", "tax_estimate"} <= keys


def test_de_json_has_exactly_the_issue_keys():
    de = load_rules("de")
    txs = [
        trade("b", "2024-01-10T10:00:00", btc("1"), eur("100")),
        trade("s", "2024-02-10T10:00:00", eur("150"), btc("1")),
    ]
    (f,) = year_figures(run_pass(txs, de), de).values()
    assert f.as_json(de) == {
        "taxable_gain": "50.00",
        "exempt_gain": "0.00",
        "taxable_after_allowance": "0.00",  # 50 < 1,000 Freigrenze 2024
        "income": "0.00",
        "short_count": 0,
        "short_proceeds": "0.00",
    }


def test_money_rounds_half_up_and_never_shows_minus_zero():
    assert money(D("0.005")) == "0.01"
    assert money(D("-0.004")) == "0.00"
    assert money(D("2.675")) == "2.68"  # a float would give 2.67


def test_at_old_speculation_freigrenze_of_440_is_a_cliff():
    # Neu BTC bought 2021-04-01 for 10,000 and sold 2021-09-01: speculation (old § 31).
    def ledger(proceeds):
        return [
            trade("b", "2021-04-01T10:00:00", btc("1"), eur("10000")),
            trade("s", "2021-09-01T10:00:00", eur(proceeds), btc("1")),
        ]

    below = year_figures(run_pass(ledger("10439.99"), AT), AT)[2021]
    at_limit = year_figures(run_pass(ledger("10440.00"), AT), AT)[2021]
    above = year_figures(run_pass(ledger("10440.01"), AT), AT)[2021]
    assert (below.speculation_gain, below.speculation_after_allowance) == (D("439.99"), 0)
    # § 31 Abs 3 EStG a. F.: free if "höchstens 440 Euro" — 440.00 itself is still free
    assert (at_limit.speculation_gain, at_limit.speculation_after_allowance) == (D("440.00"), 0)
    assert above.speculation_after_allowance == D("440.01")  # one cent above: all of it
