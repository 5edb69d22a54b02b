"""Every CoinTracking transaction type (rules/cointracking_types.toml), in every spelling, read
and treated under both rule sets; margin/derivatives as their own figures; Swap (non taxable).

Figures are worked out by hand in the comments (EUR; all times 2023/2024, Europe/Berlin)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from taxsim.engine import run_pass
from taxsim.engine.types import DisposalKind
from taxsim.model import Kind
from taxsim.readers import read_ledger
from taxsim.readers.type_table import TypeEntry, type_table
from taxsim.rules import load_rules
from taxsim.summary import YearFigures, year_figures

D = Decimal
DE, AT = load_rules("de"), load_rules("at")
ROOT = Path(__file__).resolve().parent.parent
IMPORT_HEADER = (
    '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Trade-Group","Comment","Date",'
    '"Tx-ID","Buy Value in your Account Currency","Sell Value in your Account Currency"\n'
)
ENTRIES = type_table().entries
SPELLINGS = [(e, s) for e in ENTRIES for s in (e.label, *e.spellings)]


def row(  # one import-format row; the fee leg is left empty
    kind: str, buy: str, buy_cur: str, sell: str, sell_cur: str, when: str, n: str,
    buy_eur: str = "", sell_eur: str = "",
) -> str:  # fmt: skip
    cells = [kind, buy, buy_cur, sell, sell_cur, "", "", "Kraken", "", "", when, n]
    return ",".join(f'"{c}"' for c in [*cells, buy_eur, sell_eur]) + "\n"


def legs_for(entry: TypeEntry) -> tuple[str, str, str, str, str, str]:
    """(buy, buy_cur, buy_eur, sell, sell_cur, sell_eur) a row of this type has: 0.5 BTC
    worth 6,000 € in or out, or for a Trade-like row 0.5 BTC out for 9 ETH in."""
    if entry.legs in ("in", "profit"):
        return "0.5", "BTC", "6000", "", "", ""
    if entry.legs in ("out", "loss", "other_fee", "fee"):
        return "", "", "", "0.5", "BTC", "6000"
    return "9", "ETH", "6000", "0.5", "BTC", "6000"  # any, open


def ledger_with(tmp_path: Path, label: str, entry: TypeEntry) -> Path:
    """1 BTC bought for 10,000 € on 10.01.2023, then the row of this type on 10.06.2023."""
    buy, buy_cur, buy_eur, sell, sell_cur, sell_eur = legs_for(entry)
    text = IMPORT_HEADER + row("Trade", "1", "BTC", "10000", "EUR", "2023-01-10 10:00:00", "b",
                               "10000", "10000")  # fmt: skip
    text += row(label, buy, buy_cur, sell, sell_cur, "2023-06-10 10:00:00", "x", buy_eur, sell_eur)
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_is_complete_and_documented() -> None:
    labels = {e.label for e in ENTRIES}
    # the support article's and the import format's labels (formats-and-peers.md § 1)
    expected = {
        "Trade", "Deposit", "Withdrawal", "Income", "Gift / Tip", "Reward / Bonus", "Staking",
        "Mining", "Airdrop", "Income (non taxable)", "Spend", "Donation", "Gift",
        "Stolen / Hacked / Fraud", "Lost", "Other Fee", "Expense (non taxable)",
        "Swap (non taxable)", "Masternode", "Mining (commercial)", "Minting", "Dividends Income",
        "Interest Income", "Lending Income", "Other Income", "Airdrop (non taxable)",
        "Borrowing Fee", "Other Expense", "Margin Trade", "Margin Profit", "Margin Loss",
        "Margin Fee", "Settlement Fee", "Derivatives / Futures Trade",
        "Derivatives / Futures Profit", "Derivatives / Futures Loss",
        "Other Income (non taxable)",
    }  # fmt: skip
    assert expected <= labels
    spellings = {s for _, s in SPELLINGS}
    assert {"Gift/Tip(In)", "Gift(Out)", "Stolen", "Reward / Bonus"} <= spellings
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for entry in ENTRIES:
        assert entry.de and entry.at and entry.source, entry.label
        assert f"| {entry.label} |" in doc, f"{entry.label} is not in docs/formats.md"


@pytest.mark.parametrize(("entry", "label"), SPELLINGS, ids=[s for _, s in SPELLINGS])
def test_every_spelling_is_read(tmp_path: Path, entry: TypeEntry, label: str) -> None:
    for written in (label, label.upper(), label.replace(" ", "")):
        tx = read_ledger(ledger_with(tmp_path, written, entry)).transactions[1]
        assert (tx.kind, tx.income_type) == (entry.kind, entry.income_type), written
        assert tx.treatment == entry.treatment or (
            entry.treatment == "swap_non_taxable" and tx.treatment == "swap_non_taxable"
        )


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.label for e in ENTRIES])
def test_every_type_has_its_treatment_in_both_jurisdictions(
    tmp_path: Path, entry: TypeEntry
) -> None:
    ledger = read_ledger(ledger_with(tmp_path, entry.label, entry))
    for rules in (DE, AT):
        result = run_pass(ledger.transactions, rules)
        figures = year_figures(result, rules).get(2023) or YearFigures(2023)
        sales = [d for d in result.disposals if d.asset == "BTC"]
        if entry.kind is Kind.DERIVATIVE:
            # out of the lot matching: no disposal; the 6,000 € as the row's part
            assert not sales
            expected = {"profit": D(6000), "loss": D(0), "fees": D(0)}
            if entry.legs == "open":
                expected = {"profit": D(0), "loss": D(0), "fees": D(0)}
            elif entry.legs == "loss":
                expected = {"profit": D(0), "loss": D(6000), "fees": D(0)}
            elif entry.legs == "fee":
                expected = {"profit": D(0), "loss": D(0), "fees": D(6000)}
            d = figures.derivatives
            assert {"profit": d.profit, "loss": d.loss, "fees": d.fees} == expected
            assert figures.taxable_gain == 0
        elif entry.kind in (Kind.SPEND,):
            # a disposal of 0.5 BTC for 6,000 €: cost 0.5 × 10,000 = 5,000 → gain 1,000 (DE
            # within the year; AT Neuvermögen, moving average 10,000 per BTC)
            assert [d.kind for d in sales] == [DisposalKind.SPEND]
            assert figures.taxable_gain == D(1000)
        elif entry.kind in (Kind.LOST, Kind.STOLEN, Kind.GIFT, Kind.WITHDRAWAL):
            assert not sales and figures.taxable_gain == 0  # no disposal, no loss
        elif entry.kind is Kind.TRADE:
            # 0.5 BTC → 9 ETH worth 6,000 €: DE a swap, gain 1,000; AT no realization. The
            # "Swap (non taxable)" BTC → ETH is no 1:1 pair: taxed as a swap in DE too.
            assert figures.taxable_gain == (D(1000) if rules is DE else D(0))
        else:  # deposit, income, gift received: no disposal
            assert not sales and figures.taxable_gain == 0
            if entry.kind is Kind.INCOME:
                taxable = rules.is_income(entry.income_type)
                assert figures.income == (D(6000) if taxable else D(0))


def test_swap_non_taxable_carries_a_wrap_over_in_de(tmp_path: Path) -> None:
    text = IMPORT_HEADER
    text += row("Trade", "1", "ETH", "2000", "EUR", "2023-01-10 10:00:00", "t1", "2000", "2000")
    text += row("Swap (non taxable)", "1", "WETH", "1", "ETH", "2023-03-10 10:00:00", "t2",
                "2100", "2100")  # fmt: skip
    text += row("Trade", "2500", "EUR", "1", "WETH", "2024-02-10 10:00:00", "t3", "2500", "2500")
    text += row("Trade", "1", "BTC", "20000", "EUR", "2023-01-10 10:00:00", "t4", "20000", "20000")
    text += row("Swap (non taxable)", "15", "ETH", "1", "BTC", "2023-06-10 10:00:00", "t5",
                "25000", "25000")  # fmt: skip
    path = tmp_path / "swap.csv"
    path.write_text(text, encoding="utf-8")
    txs = read_ledger(path).transactions
    assert [t.treatment for t in txs if t.id in ("t2", "t5")] == ["carry_over", "swap_non_taxable"]
    de = year_figures(run_pass(txs, DE), DE)
    # DE 2023: t5 is no 1:1 pair, a swap: 25,000 − 20,000 = 5,000; t2 carries the ETH lot of
    # 10.01.2023 (cost 2,000) over to WETH. 2024: 1 WETH sold for 2,500 on 10.02.2024, held
    # since 10.01.2023 (over a year): exempt 2,500 − 2,000 = 500, taxable 0.
    assert (de[2023].taxable_gain, de[2024].taxable_gain, de[2024].exempt_gain) == (
        D(5000),
        D(0),
        D(500),
    )
    at = year_figures(run_pass(txs, AT), AT)
    # AT: both swaps are no realization (§ 27b Abs 3 Z 2); the WETH takes the ETH's cost 2,000:
    # the 2024 sale gains 2,500 − 2,000 = 500 (Neuvermögen: no holding period).
    assert (at[2023].taxable_gain, at[2024].taxable_gain) == (D(0), D(500))


def test_derivatives_figures_and_units(tmp_path: Path) -> None:
    text = IMPORT_HEADER
    text += row("Trade", "1", "BTC", "20000", "EUR", "2023-01-10 10:00:00", "t1", "20000", "20000")
    text += row("Margin Profit", "100", "EUR", "", "", "2023-07-10 10:00:00", "t2", "100", "")
    text += row("Derivatives / Futures Profit", "0.01", "BTC", "", "", "2023-07-11 10:00:00",
                "t3", "300", "")  # fmt: skip
    text += row("Margin Loss", "", "", "0.01", "BTC", "2023-08-10 10:00:00", "t4", "", "250")
    text += row("Margin Fee", "", "", "5", "EUR", "2023-08-11 10:00:00", "t5", "", "5")
    text += row("Borrowing Fee", "", "", "0.001", "BTC", "2023-08-12 10:00:00", "t6", "", "")
    text += row("Margin Trade", "1", "BTC", "25000", "USDT", "2023-08-13 10:00:00", "t7")
    text += row("Trade", "30000", "EUR", "1", "BTC", "2023-12-01 10:00:00", "t8", "30000", "30000")
    path = tmp_path / "margin.csv"
    path.write_text(text, encoding="utf-8")
    txs = read_ledger(path).transactions
    for rules in (DE, AT):
        result = run_pass(txs, rules)
        d = year_figures(result, rules)[2023].derivatives
        # profit 100 + 300 = 400; loss 250; fees 5 (+ the 0.001 BTC without value: unvalued)
        assert (d.profit, d.loss, d.fees, d.net, d.unvalued) == (
            D(400),
            D(250),
            D(5),
            D(145),
            1,
        )
        # BTC units: 1 + 0.01 (profit) − 0.01 (loss) − 0.001 (fee) = 0.999 held when 1 BTC is
        # sold: 0.001 uncovered (a short), the Margin Trade moved nothing.
        (sale,) = [x for x in result.disposals if x.asset == "BTC"]
        assert sum(m.quantity for m in sale.matches if m.origin.value == "short") == D("0.001")


def test_docs_show_the_type_table_as_it_is() -> None:
    from taxsim.readers.type_table import markdown_table

    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    begin = doc.index("<!-- types:begin (generated from rules/cointracking_types.toml) -->\n")
    block = doc[doc.index("\n", begin) + 1 : doc.index("<!-- types:end -->")]
    assert block == markdown_table()
