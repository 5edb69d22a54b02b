"""CoinTracking's zero legs (``Buy 0 USDC``: a swap whose other side never arrived) as evidence,
and received gifts drafted as ``gift_received``; rows as CoinTracking writes them (trade list
V2, import format, full view V4, trade list V1)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from taxsim import diagnosis as dg
from taxsim.api import simulate
from taxsim.corrections import apply_corrections, loads_corrections
from taxsim.diagnosis.suggest import suggest_corrections
from taxsim.model import InputError, Kind
from taxsim.readers import read_ledger

# A Uniswap swap of 1 ETH for USDC on 10.03.2023 12:00 (Berlin, CET = UTC+1): CoinTracking's
# chain import lost the USDC and wrote "Buy 0.00000000 USDC". 132 days later (20.07.2023 09:00
# CEST = 07:00 UTC) 1,600 USDC are swapped for 0.9 ETH: USDC 0 → −1,600. The swap lies outside
# the aggregator window (90 days): only the asset it names ties it to the gap.
V2 = """\
Type,Buy,Cur.,Sell,Cur.,Fee,Cur.,Exchange,Group,Comment,Date,Tx-ID
Deposit,1.00000000,ETH,,,,,ETH Transaction,,,01.03.2023 10:00:00,0xa1d3
Trade,{buy},{cur},1.00000000,ETH,,,ETH Transaction,,,10.03.2023 12:00:00,0x5a0b
Trade,0.90000000,ETH,1600.00000000,USDC,,,ETH Transaction,,Uniswap V3,20.07.2023 09:00:00,0x7c19
"""

# The same rows in the import format, with CoinTracking's values: 1 ETH given = 1,500 €, the
# 1,600 USDC sold = 1,450 € (ISO dates, still Berlin time).
IMPORT = """\
"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Trade-Group","Comment","Date",\
"Tx-ID","Buy Value in your Account Currency","Sell Value in your Account Currency"
"Deposit","1.00000000","ETH","","","","","ETH Transaction","","","2023-03-01 10:00:00",\
"0xa1d3","1500.00",""
"Trade","0.00000000","USDC","1.00000000","ETH","","","ETH Transaction","","",\
"2023-03-10 12:00:00","0x5a0b","","1500.00"
"Trade","0.90000000","ETH","1600.00000000","USDC","","","ETH Transaction","","Uniswap V3",\
"2023-07-20 09:00:00","0x7c19","1450.00","1450.00"
"""

# Full view V4 ("-" for empty) and trade list V1 (no Tx-ID): the zero leg reads the same.
V4 = """\
"Type","Buy","Cur.","Value in BTC","Value in EUR","Sell","Cur.","Value in BTC","Value in EUR",\
"Spread","Exchange","Group","Date"
"Trade","0.00000000","USDC","-","-","1.00000000","ETH","0.06","1500.00","-","ETH Transaction",\
"","10.03.2023 12:00:00"
"Trade","5.00000000","SOL","0.01","100.00","0.00000000","JUP","-","-","-","Phantom","",\
"11.03.2023 12:00:00"
"Trade","0.00000000","-","-","-","1.00000000","ETH","0.06","1500.00","-","ETH Transaction",\
"","12.03.2023 12:00:00"
"""
V1 = """\
"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date"
"Trade","","USDC","1.00000000","ETH","","","ETH Transaction","","","10.03.2023 12:00:00"
"Withdrawal","","","1.00000000","ETH","","","ETH Transaction","","","11.03.2023 12:00:00"
"""

NAMED = "the trade on 2023-03-10 names USDC as the asset bought, with amount 0"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _usdc(path: Path) -> dg.Finding:
    (f,) = [f for f in dg.diagnose(read_ledger(path)).findings if f.asset == "USDC"]
    return f


def test_the_readers_keep_the_asset_a_zero_leg_names(tmp_path: Path) -> None:
    v2 = read_ledger(_write(tmp_path, "v2.csv", V2.format(buy="0.00000000", cur="USDC")))
    imp = read_ledger(_write(tmp_path, "import.csv", IMPORT))
    v4 = read_ledger(_write(tmp_path, "v4.csv", V4))
    v1 = read_ledger(_write(tmp_path, "v1.csv", V1))
    for ledger in (v2, imp):
        swap = next(t for t in ledger.transactions if t.id == "0x5a0b")
        assert (swap.buy, swap.sell.amount, swap.sell.asset) == (None, Decimal(1), "ETH")  # type: ignore[union-attr]
        assert (swap.missing_buy_asset, swap.missing_sell_asset) == ("USDC", "")
        # every other row names nothing missing
        assert [t.id for t in ledger.transactions if t.missing_buy_asset] == ["0x5a0b"]
    # V4: Buy 0 USDC; Sell 0 JUP (the reverse: the JUP given never left); Buy 0 with "-"
    assert [(t.missing_buy_asset, t.missing_sell_asset) for t in v4.transactions] == [
        ("USDC", ""), ("", "JUP"), ("", ""),
    ]  # fmt: skip
    # V1: an empty Buy with its currency named counts too; a withdrawal names nothing
    assert [(t.kind, t.missing_buy_asset) for t in v1.transactions] == [
        (Kind.TRADE, "USDC"), (Kind.WITHDRAWAL, ""),
    ]  # fmt: skip


def test_the_zero_leg_changes_no_figure(tmp_path: Path) -> None:
    # the engine ignores the name: the same rows without it give the same year figures
    ledger = read_ledger(_write(tmp_path, "import.csv", IMPORT))
    bare = ledger.__class__([t.with_(missing_buy_asset="") for t in ledger.transactions])
    assert list(simulate(ledger).years) == list(simulate(bare).years)


def test_buy_zero_usdc_in_trade_list_v2_explains_the_usdc_gap(tmp_path: Path) -> None:
    f = _usdc(_write(tmp_path, "v2.csv", V2.format(buy="0.00000000", cur="USDC")))
    assert (f.wallet, f.cause, f.confidence, f.tipping.tx_id, f.lowest) == (
        "ETH Transaction", dg.Cause.AGGREGATOR_SWAP, dg.Confidence.HIGH, "0x7c19", Decimal(-1600),
    )  # fmt: skip
    # score: one-sided outflow 1 + trade without buy leg 3 + names USDC 3 = 7 → high; V2 has
    # no values, so no value comparison (no ETH price in the ledger)
    (e,) = f.evidence
    assert e.tx_ids == ("0x5a0b",)
    assert e.text == (
        "0x5a0b (2023-03-10 11:00 UTC, trade ETH Transaction +0 USDC -1 ETH) sends ETH out of "
        "ETH Transaction and nothing comes back (no deposit matches it): the USDC received in "
        "the swap is missing; a trade whose buy leg is missing (booked as Buy 0); " + NAMED
    )
    # no value: the USDC peg's middle, 1,600 × (0.80 + 1.05) / 2 = 1,480.00 €
    assert f.gap_eur == Decimal("1480.00")
    assert f.corrections[0].kind == "add_inflow"
    assert dict(f.corrections[0].keys)["counterpart_txid"] == "0x5a0b"
    # the scam detector does not read the USDC sale as a fake token
    assert dg.Cause.SCAM_TOKEN not in {c for c, _, _ in f.alternatives}


def test_buy_zero_usdc_in_the_import_format_with_values(tmp_path: Path) -> None:
    f = _usdc(_write(tmp_path, "import.csv", IMPORT))
    assert (f.cause, f.confidence, f.tipping.tx_id) == (
        dg.Cause.AGGREGATOR_SWAP, dg.Confidence.HIGH, "0x7c19",
    )  # fmt: skip
    # 1 + 3 + 3 + comparable values 2 = 9: 1,450 € ≥ (1 − 0.35) × 1,500 € = 975 €
    (e,) = f.evidence
    assert e.text.endswith(
        NAMED + "; the 1 ETH given (about 1500 €) match the 1600 USDC missing (about 1450 €)"
    )
    # the tipping leg's own price: 1,600 × 1,450 / 1,600 = 1,450.00 €
    assert f.gap_eur == Decimal("1450.00")
    assert dict(f.corrections[0].keys)["eur"] == Decimal("1500.00")


def test_without_the_name_the_old_swap_is_out_of_reach(tmp_path: Path) -> None:
    # the same rows, Buy and Cur. empty: the swap 132 days before is outside the 90-day window
    f = _usdc(_write(tmp_path, "v2.csv", V2.format(buy="", cur="")))
    assert (f.cause, f.tipping.tx_id) == (dg.Cause.UNKNOWN, "0x7c19")


def test_buy_zero_of_another_asset_is_no_evidence(tmp_path: Path) -> None:
    # "Buy 0 WETH": the WETH is what went missing, not the USDC
    f = _usdc(_write(tmp_path, "v2.csv", V2.format(buy="0.00000000", cur="WETH")))
    assert f.cause is dg.Cause.UNKNOWN


# An exchange (Binance): a convert of 0.5 BNB to USDT on 05.05.2023 12:00 booked as "Buy 0
# USDT", 8 days later 200 USDT withdrawn: USDT 0 → −200. Binance is an exchange whose first
# USDT record is an outflow (incomplete history, high) — but its own convert names USDT.
BINANCE = """\
Type,Buy,Cur.,Sell,Cur.,Fee,Cur.,Exchange,Group,Comment,Date,Tx-ID
Trade,0.50000000,BNB,150.00000000,EUR,,,Binance,,,01.05.2023 12:00:00,B1
Trade,0.00000000,USDT,0.50000000,BNB,,,Binance,,Convert,05.05.2023 12:00:00,B2
Withdrawal,,,200.00000000,USDT,,,Binance,,,13.05.2023 12:00:00,B3
"""


def test_buy_zero_on_an_exchange_outranks_incomplete_history(tmp_path: Path) -> None:
    (f,) = dg.diagnose(read_ledger(_write(tmp_path, "binance.csv", BINANCE))).findings
    assert (f.wallet, f.asset, f.cause, f.confidence, f.tipping.tx_id) == (
        "Binance", "USDT", dg.Cause.AGGREGATOR_SWAP, dg.Confidence.HIGH, "B3",
    )  # fmt: skip
    # 1 + 3 + 3 + the 0.5 BNB given (0.5 × 300 = 150 €) against 200 USDT at the peg's
    # middle (185 €): comparable 2 = 9
    assert "the trade on 2023-05-05 names USDT as the asset bought, with amount 0" in (
        f.evidence[0].text
    )
    assert f.evidence[0].text.endswith("match the 200 USDT missing (about 185 €)")
    # incomplete history drops to low: the records reach back to the convert
    assert (dg.Cause.INCOMPLETE_HISTORY, dg.Confidence.LOW) in {
        (c, k) for c, k, _ in f.alternatives
    }


# --- gifts received: gift_received, the giver's date and cost to fill in ----------------------

# Grandma's gift of 0.1 BTC (4,000 € at receipt) on 01.02.2024, sold 01.03.2024 for 5,000 €.
GIFT = """\
"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Trade-Group","Comment","Date",\
"Tx-ID","Buy Value in your Account Currency","Sell Value in your Account Currency"
"Gift / Tip","0.10000000","BTC","","","","","Kraken","","Geschenk von Oma",\
"2024-02-01 15:00:00","G-1","4000.00",""
"Trade","5000.00000000","EUR","0.10000000","BTC","","","Kraken","","",\
"2024-03-01 15:00:00","S-1","5000.00","5000.00"
"""


def test_a_gift_received_is_drafted_as_gift_received(tmp_path: Path) -> None:
    ledger = read_ledger(_write(tmp_path, "gift.csv", GIFT))
    d = dg.diagnose(ledger)
    assert d.findings == []
    (r,) = d.row_findings
    assert (r.cause, r.change, r.tx_ids, r.confidence, r.priority) == (
        dg.Cause.GIFT_COST_UNKNOWN, "gift_received", ("G-1",), dg.Confidence.HIGH,
        dg.Priority.MEDIUM,
    )  # fmt: skip
    assert r.evidence[0].text.startswith(
        'G-1 (2024-02-01 14:00 UTC, gift Kraken +0.1 BTC, "Geschenk von Oma"): 0.1 BTC '
        "received as a gift (worth 4000 € at receipt); the recipient takes over the giver's "
        "acquisition date and cost (§ 23 Abs. 1 S. 3 EStG)"
    )
    path = tmp_path / "draft.toml"
    draft = suggest_corrections(
        d.findings, ledger, corrections_path=path, row_findings=d.row_findings
    )
    (c,) = tomllib.loads(draft)["correction"]  # the draft is valid TOML
    assert (c["kind"], c["transaction"]) == ("gift_received", "G-1")
    assert "set_cost_basis" not in draft
    # the giver's date and cost are commented TODO lines: the loader names the missing key
    assert (
        "# acquired = \"TODO: the giver's acquisition time, before the gift (2024-02-01)" in draft
    )
    assert '# cost = "TODO: the giver\'s cost in EUR incl. acquisition fees"' in draft
    with pytest.raises(InputError) as error:
        loads_corrections(draft, str(path))
    assert error.value.column == "acquired"
    assert "correction 'D1' (#1, gift_received): required key is missing" in str(error.value)
    # filled in (grandma bought in May 2019 for 500 €), it applies: the sale 1.3.2024 of units
    # acquired 2019 is past the one-year period → taxable 5,000 € (cost 0, held 29 days) → 0 €
    filled = draft.replace('# acquired = "TODO', 'acquired = "2019-05-01T10:00:00Z" # "TODO', 1)
    filled = filled.replace('# cost = "TODO', 'cost = "500.00" # "TODO', 1)
    corrections = loads_corrections(filled, str(path))
    applied = apply_corrections(ledger, corrections, base_dir=tmp_path)
    assert applied.ledger.transactions[0].taken_over is not None
    (year,) = simulate(ledger, "de", corrections).years
    assert (year.raw_taxable_gain, year.corrected_taxable_gain) == (Decimal(5000), Decimal(0))


def test_a_gift_with_the_givers_acquisition_is_no_finding(tmp_path: Path) -> None:
    ledger = read_ledger(_write(tmp_path, "gift.csv", GIFT))
    draft = (
        '[[correction]]\nid = "C1"\nkind = "gift_received"\nreason = "Oma"\n'
        'transaction = "G-1"\nacquired = "2019-05-01T10:00:00Z"\ncost = "500"\n'
    )
    corrected = apply_corrections(ledger, loads_corrections(draft), base_dir=tmp_path).ledger
    assert dg.diagnose(corrected).row_findings == []
