"""The committed sample files are what the generator produces, and hold what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from taxsim.model import Kind
from taxsim.readers import read_ledger

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CLIENT = SAMPLES / "client"
D = Decimal


def test_generator_is_deterministic(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "make_client.py", tmp_path / "make_client.py")
    subprocess.run([sys.executable, str(tmp_path / "make_client.py")], check=True,
                   capture_output=True)  # fmt: skip
    for name in ("ledger.csv", "previous_export.csv", "binance_full_export.csv",
                 "onchain_balances.csv", "ids.txt"):  # fmt: skip
        assert (tmp_path / "client" / name).read_bytes() == (CLIENT / name).read_bytes(), name
    for name in ("trade_list_v2.csv", "import_format.csv"):
        assert (tmp_path / "cointracking" / name).read_bytes() == (
            SAMPLES / "cointracking" / name
        ).read_bytes()


def test_ledger_shape() -> None:
    ledger = read_ledger(CLIENT / "ledger.csv")
    txs = ledger.transactions
    assert 400 <= len(txs) <= 600
    assert [t.time for t in txs] == sorted(t.time for t in txs)
    assert len({t.id for t in txs}) == len(txs)
    assert {t.wallet for t in txs} == {
        "Kraken", "Binance", "Bitpanda", "MetaMask", "MetaMask Arbitrum", "Phantom", "Ledger",
    }  # fmt: skip
    assert txs[0].time.year == 2021 and txs[-1].time.isoformat() < "2026-11-28"
    # every leg carries its EUR value
    assert all(leg.eur is not None for t in txs for leg in (t.buy, t.sell, t.fee) if leg)


def test_previous_export_holds_the_deleted_row() -> None:
    now = {t.id for t in read_ledger(CLIENT / "ledger.csv").transactions}
    before = {t.id: t for t in read_ledger(CLIENT / "previous_export.csv").transactions}
    assert set(before) - now == {"LG-0002"}
    lg2 = before["LG-0002"]
    assert (lg2.kind, lg2.wallet, lg2.buy.amount, lg2.buy.asset) == (
        Kind.DEPOSIT, "Ledger", D("0.5"), "BTC",
    )  # fmt: skip


def test_binance_full_export_overlaps_by_txid() -> None:
    ledger = read_ledger(CLIENT / "ledger.csv")
    full = read_ledger(CLIENT / "binance_full_export.csv")
    in_ledger = {t.txid for t in ledger.transactions if t.wallet == "Binance"}
    in_full = {t.txid for t in full.transactions}
    assert in_ledger < in_full and len(in_full - in_ledger) == 2  # the 2022 deposit and buy
    buy = [t for t in full.transactions if t.txid == "1043265571"][0]
    # 2.0 ETH for 5,000 € = 2,500 €/ETH: the cost that makes the three sales exempt
    assert (buy.buy.amount, buy.sell.amount, buy.buy.eur) == (D(2), D(5000), D(5000))
    # raw § 23 gain of the shorts: 850 + 800 (2023) and 1,200 (2024)
    sales = [(t.time.year, t.buy.amount) for t in ledger.sorted()
             if t.wallet == "Binance" and t.kind is Kind.TRADE]  # fmt: skip
    assert sales == [(2023, D(850)), (2023, D(800)), (2024, D(1200))]


def test_cointracking_samples_read() -> None:
    v2 = read_ledger(SAMPLES / "cointracking" / "trade_list_v2.csv")
    imp = read_ledger(SAMPLES / "cointracking" / "import_format.csv")
    assert v2.format == "cointracking-trade-list-v2"
    assert imp.format == "cointracking-import"
    assert 20 <= len(v2.transactions) == len(imp.transactions) <= 40
    # same events: the V2 dates are Europe/Berlin local, the import format's are UTC
    assert [t.time for t in v2.transactions] == [t.time for t in imp.transactions]
