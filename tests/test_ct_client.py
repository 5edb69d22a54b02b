"""The six-layout sample client (samples/ct_client): every layout read, figures identical where
the layout carries the values, the rest flagged; the planted gaps' effects as README.md works
them out by hand."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from taxsim.engine import run_pass
from taxsim.engine.types import NoteKind, Origin
from taxsim.model import Transaction
from taxsim.readers import read_ledger
from taxsim.rules import load_rules
from taxsim.summary import year_figures

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "samples" / "ct_client"
RULES = {"de": load_rules("de"), "at": load_rules("at")}
LAYOUTS = [
    "trade_list_v1.csv",
    "trade_list_v2.csv",
    "trade_list_v3.csv",
    "full_view_v4.csv",
    "import.csv",
    "import.xlsx",
]


def figures(txs: list[Transaction], jurisdiction: str) -> dict[int, object]:
    rules = RULES[jurisdiction]
    return {y: f.as_json(rules) for y, f in year_figures(run_pass(txs, rules), rules).items()}


@pytest.fixture(scope="module")
def ledgers() -> dict[str, list[Transaction]]:
    return {name: read_ledger(CLIENT / name).transactions for name in LAYOUTS}


def test_every_layout_is_read_completely(ledgers: dict[str, list[Transaction]]) -> None:
    formats = {name: read_ledger(CLIENT / name).format for name in LAYOUTS}
    assert formats == {
        "trade_list_v1.csv": "cointracking-trade-list-v1",
        "trade_list_v2.csv": "cointracking-trade-list-v2",
        "trade_list_v3.csv": "cointracking-trade-list-v3",
        "full_view_v4.csv": "cointracking-trade-list-v4",
        "import.csv": "cointracking-import",
        "import.xlsx": "cointracking-import",
    }
    assert {len(txs) for txs in ledgers.values()} == {352}


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_layouts_with_values_agree(
    ledgers: dict[str, list[Transaction]], jurisdiction: str
) -> None:
    assert figures(ledgers["import.xlsx"], jurisdiction) == figures(
        ledgers["import.csv"], jurisdiction
    )
    # V4 carries the same values but no Fee column: the import file without the legs of its
    # Fee column (a Margin/Borrowing/Settlement Fee row has its amount in the Sell column)
    no_fees = [
        t if t.treatment == "derivative_fee" else replace(t, fee=None)
        for t in ledgers["import.csv"]
    ]
    assert figures(ledgers["full_view_v4.csv"], jurisdiction) == figures(no_fees, jurisdiction)


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_trade_lists_are_the_import_without_values(
    ledgers: dict[str, list[Transaction]], jurisdiction: str
) -> None:
    v1 = figures(ledgers["trade_list_v1.csv"], jurisdiction)
    assert figures(ledgers["trade_list_v2.csv"], jurisdiction) == v1
    assert figures(ledgers["trade_list_v3.csv"], jurisdiction) == v1

    def bare(t: Transaction) -> Transaction:
        legs = {k: getattr(t, k) for k in ("buy", "sell", "fee")}
        return replace(t, **{k: replace(v, eur=None) for k, v in legs.items() if v is not None})

    assert figures([bare(t) for t in ledgers["import.csv"]], jurisdiction) == v1


def test_what_the_trade_lists_cannot_give_is_flagged(
    ledgers: dict[str, list[Transaction]],
) -> None:
    de = RULES["de"]
    result = run_pass(ledgers["trade_list_v1.csv"], de)
    years = year_figures(result, de)
    # derivatives: never estimated, every part counted as unvalued (6 parts in 2024, 1 in 2025)
    assert [(years[y].derivatives.unvalued, years[y].derivatives.profit) for y in (2024, 2025)] == [
        (6, D(0)),
        (1, D(0)),
    ]
    flagged = {n.tx_id for n in result.notes if n.kind in (NoteKind.ESTIMATED, NoteKind.UNVALUED)}
    # every row whose value the trade list cannot carry: no EUR leg, and a leg to value
    # (trades crypto-crypto, income, spends, crypto fees of trades); margin rows excluded
    needs = set()
    for t in ledgers["trade_list_v1.csv"]:
        legs = [x for x in (t.buy, t.sell) if x is not None]
        if t.kind.value in ("trade", "income", "spend") and not any(x.asset == "EUR" for x in legs):
            needs.add(t.id)
    assert needs and needs <= flagged | {
        n.tx_id for n in result.notes if "hard fork" in n.message
    }  # Income (non taxable) needs no value: cost 0, no income
    # the import file gives the scam "sale" its CoinTracking value; the trade list cannot
    imported = year_figures(run_pass(ledgers["import.csv"], de), de)
    assert imported[2024].taxable_gain - years[2024].taxable_gain > D(1_100_000)


def _shorts(txs: list[Transaction]) -> dict[str, Decimal]:
    """Short proceeds per disposal (raw DE pass)."""
    out: dict[str, Decimal] = {}
    for d in run_pass(txs, RULES["de"]).disposals:
        proceeds = sum((m.proceeds for m in d.matches if m.origin is Origin.SHORT), D(0))
        if proceeds:
            out[d.tx_id] = proceeds
    return out


def test_planted_gaps_have_the_effects_worked_out_in_the_readme(
    ledgers: dict[str, list[Transaction]],
) -> None:
    shorts = {k: v.quantize(D("0.01")) for k, v in _shorts(ledgers["import.csv"]).items()}
    by_row = {t.id: t for t in ledgers["import.csv"]}
    assert shorts["0x62d4303ce1efb4fa69d893389a0a5ea66fa31f5f9a6912251e9e7003ee564c13"] == D(
        "1320.00"
    )  # 2: 2,200 × 1,800 / 3,000
    assert shorts["0x87a1926ba3659bccfe5021ffd7c82b98b98d1342c1866860f153c2d59777ef67"] == D(
        "580.00"
    )  # 3: all 600 USDC
    assert shorts["RHXCFG-L55YW-CFQWEA"] == D("38019.83")  # 4a: 52,000 × 0.58492048 / 0.8
    assert shorts["WKURKB-ZVUSE-DCWPPK"] == D("6600.00")  # 4a: 0.1 BTC
    assert shorts["MM5LTJ-YDGGH-KHCYWF"] == D("3047.46")  # 4b: 6,300 × 0.72558523 / 1.5
    assert shorts["0x38d0dd0e1c8804ad5027f3abc20b5771ccd9fb35544d70d9d2564d4ae088bb39"] == D(
        "1870.00"
    )  # 5
    assert shorts["YN3KW3-J42NS-ZLHCMX"] + shorts["PT4TPQ-FRLT3-SXWYZP"] == D("1595.25")  # 6
    coinbase = [k for k in shorts if by_row[k].wallet == "Coinbase"]
    assert sum(shorts[k] for k in coinbase) == D("440.00")  # 7: 330 × 0.05/0.15 + 330
    # 1: the scam "sale" takes the 520 real USDC of 12.09.2023 first (FIFO, cost 468 €), then
    # the ghost lot of the 5,000,000 USDC deposit at cost 0: gain 1,175,000 − 468
    scam = next(
        d
        for d in run_pass(ledgers["import.csv"], RULES["de"]).disposals
        if d.tx_id == "0x475c22287d0d57597ed33f2a675514db0875959756433699b61b39d0fa5e6d7f"
    )
    assert [(m.origin, m.quantity, m.cost) for m in scam.matches] == [
        (Origin.LOT, D(520), D(468)),
        (Origin.GHOST, D(1249480), D(0)),
    ]
    assert scam.proceeds - sum(m.cost for m in scam.matches) == D("1174532")


def test_the_generator_reproduces_the_files_and_plants_only_the_gaps(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("ct_client_gen", CLIENT / "make_ct_client.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ct_client_gen"] = module
    try:
        spec.loader.exec_module(module)
        module.HERE = tmp_path
        module.main()
        for name in [*LAYOUTS[:-1], "previous_export_v2.csv", "previous_export_v3.csv"]:
            assert (tmp_path / name).read_bytes() == (CLIENT / name).read_bytes(), name
        negative = {(w, a): first for w, a, first, _ in module.check_balances()}
    finally:
        del sys.modules["ct_client_gen"]
    assert set(negative) == {
        ("Arbitrum One", "USDC.E"),  # 5
        ("Binance", "ADA"),  # 6
        ("Binance", "BNB"),  # 6
        ("Coinbase", "ETH"),  # 7
        ("ETH Transaction", "USDC"),  # 3
        ("Kraken", "BTC"),  # fee dust (clean)
        ("Kraken", "ETH"),  # 4b
        ("Ledger BTC", "BTC"),  # 4a
        ("Phantom", "JUP"),  # 2
    }


def test_the_import_writer_round_trips_every_type(
    ledgers: dict[str, list[Transaction]], tmp_path: Path
) -> None:
    # apply -o writes CoinTracking's import format: every row must come back with the same
    # kind, treatment, legs and EUR values (a Margin Fee's value travels in the Sell column)
    from taxsim.writers import write_cointracking_import

    original = ledgers["import.csv"]
    path = tmp_path / "written.csv"
    write_cointracking_import(original, path, timezone="Europe/Berlin")

    def key(t: Transaction) -> tuple[object, ...]:
        return (t.time, t.kind, t.treatment, t.income_type, t.wallet, t.buy, t.sell, t.fee)

    assert [key(t) for t in read_ledger(path).transactions] == [key(t) for t in original]
