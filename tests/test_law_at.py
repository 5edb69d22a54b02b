"""AT rule fixes of the legal review 2026-12 (issue 17): hard forks of Altvermögen, sale fees
(§ 20 Abs. 2 EStG). Expected figures worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from taxsim.engine import run_pass
from taxsim.model import IncomeType, Kind, Leg, Transaction
from taxsim.rules import load_rules
from taxsim.summary import tax_of_year, year_figures
from taxsim.tax import TaxOptions

D = Decimal
AT = load_rules("at")


def t(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


def test_fork_of_altvermoegen_is_altvermoegen() -> None:
    # BTC bought 10.1.2020 (Altvermögen, before 1.3.2021); fork 1.6.2023 credits 1 BCH; sold
    # 1.9.2023 for 1,200 €. Fork units take the original date (BMF answer 382/J 2018): Alt,
    # held > 1 year → tax-free, 0 € (review finding 7: 330 € = 27.5 % of 1,200 before).
    txs = [
        Transaction("B1", t(2020, 1, 10), Kind.TRADE, "W", buy=Leg(D("1"), "BTC", D("7000")),
                    sell=Leg(D("7000"), "EUR", D("7000"))),
        Transaction("F1", t(2023, 6, 1), Kind.INCOME, "W", buy=Leg(D("1"), "BCH", D("1200")),
                    income_type=IncomeType.HARDFORK),
        Transaction("S1", t(2023, 9, 1), Kind.TRADE, "W", buy=Leg(D("1200"), "EUR", D("1200")),
                    sell=Leg(D("1"), "BCH", D("1200"))),
    ]  # fmt: skip
    f = year_figures(run_pass(txs, AT), AT)[2023]
    assert (f.taxable_gain, f.exempt_gain) == (D("0"), D("1200"))
    assert tax_of_year(f, AT, TaxOptions()).amount == D("0")
    # dated at the fork (the former rule, income.hardfork_date = "fork"): Neu at cost 0 →
    # 1,200 € at 27.5 % = 330 €
    fork = AT.with_overrides(income={"hardfork_date": "fork"})
    f = year_figures(run_pass(txs, fork), fork)[2023]
    assert f.taxable_gain == D("1200")
    assert tax_of_year(f, fork, TaxOptions()).amount == D("330.000")


def test_sale_fee_is_not_deducted() -> None:
    # Kraken ETH 2024: bought for 2,000 €, sold for 3,790 € with a 30 € fee. § 20 Abs. 2 EStG,
    # EStR Rz 6178y: gain = proceeds − acquisition cost = 1,790 € (not 1,760 €); 27.5 % =
    # 492.25 € (review finding 9: 8.25 € too little before).
    txs = [
        Transaction("B1", t(2024, 1, 10), Kind.TRADE, "Kraken", buy=Leg(D("1"), "ETH", D("2000")),
                    sell=Leg(D("2000"), "EUR", D("2000"))),
        Transaction("S1", t(2024, 6, 1), Kind.TRADE, "Kraken", buy=Leg(D("3790"), "EUR", D("3790")),
                    sell=Leg(D("1"), "ETH", D("3790")), fee=Leg(D("30"), "EUR", D("30"))),
    ]  # fmt: skip
    f = year_figures(run_pass(txs, AT), AT)[2024]
    assert f.taxable_gain == D("1790")
    assert tax_of_year(f, AT, TaxOptions()).amount == D("492.250")
    # an acquisition fee still counts: bought for 2,000 + 20 € fee → gain 1,770 €
    txs[0] = txs[0].with_(fee=Leg(D("20"), "EUR", D("20")))
    assert year_figures(run_pass(txs, AT), AT)[2024].taxable_gain == D("1770")


def test_gift_takes_over_the_givers_acquisition() -> None:
    # gift_received: 0.1 BTC received 1.2.2024, sold 1.3.2024 for 3,200 €.
    # Giver bought 1.5.2020 (Altvermögen) for 500 € → the gift is Altvermögen held > 1 year:
    # tax-free, 0 € (without the correction: Neu at cost 0 → 3,200 · 27.5 % = 880 €).
    from pathlib import Path

    from taxsim.corrections import apply_corrections, loads_corrections
    from taxsim.model import Ledger

    txs = [
        Transaction("G1", t(2024, 2, 1), Kind.GIFT, "W", buy=Leg(D("0.1"), "BTC", D("3000"))),
        Transaction("S1", t(2024, 3, 1), Kind.TRADE, "W", buy=Leg(D("3200"), "EUR", D("3200")),
                    sell=Leg(D("0.1"), "BTC", D("3200"))),
    ]  # fmt: skip
    assert tax_of_year(year_figures(run_pass(txs, AT), AT)[2024], AT, TaxOptions()).amount == D(
        "880.000"
    )

    def gift(acquired: str, cost: str) -> list[Transaction]:
        toml = (
            '[[correction]]\nid = "C1"\nkind = "gift_received"\nreason = "r"\n'
            f'transaction = "G1"\nacquired = "{acquired}"\ncost = "{cost}"\n'
        )
        ledger = Ledger(txs, ["l.csv"], "test")
        return apply_corrections(
            ledger, loads_corrections(toml), base_dir=Path(".")
        ).ledger.transactions

    f = year_figures(run_pass(gift("2020-05-01T10:00:00Z", "500"), AT), AT)[2024]
    assert (f.taxable_gain, f.exempt_gain) == (D("0"), D("2700"))
    # giver bought 1.6.2023 (Neuvermögen) for 2,000 € → 3,200 − 2,000 = 1,200 € at 27.5 % = 330 €
    f = year_figures(run_pass(gift("2023-06-01T10:00:00Z", "2000"), AT), AT)[2024]
    assert f.taxable_gain == D("1200")
    assert tax_of_year(f, AT, TaxOptions()).amount == D("330.000")
