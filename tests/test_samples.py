"""The committed sample files are what the generator produces, and hold what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

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


def _readme_commands() -> list[list[str]]:
    """The commands of README.md's "Usage" block, continuation lines joined."""
    import re
    import shlex

    text = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Usage\s+```sh\n(.*?)```", text, re.S)
    assert block is not None, "README.md has no Usage block"
    joined = re.sub(r"\\\n\s*", " ", block.group(1))
    commands = [shlex.split(line, comments=True) for line in joined.splitlines()]
    return [c for c in commands if c]


def test_readme_usage_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command of README.md's Usage block runs on the bundled sample (from a scratch
    folder holding a link to samples/, so the outputs land there) and exits with 0; every
    sample file it names exists (it once named a carf_binance_2026.xml that never did)."""
    from typer.testing import CliRunner

    from taxsim.cli import _register, app

    commands = _readme_commands()
    assert [c[:2] for c in commands] == [
        ["taxsim", "--help"], ["python", "-m"], ["taxsim", "diagnose"], ["taxsim", "simulate"],
        ["taxsim", "diagnose"], ["taxsim", "simulate"], ["taxsim", "simulate"],
        ["taxsim", "apply"], ["taxsim", "report"], ["taxsim", "dac8"], ["taxsim", "batch"],
    ]  # fmt: skip
    for command in commands:
        for arg in command:
            if arg.startswith("samples/"):
                assert (SAMPLES.parent / arg).exists(), arg
    (tmp_path / "samples").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    _register()
    runner = CliRunner()
    for command in commands:
        if command[0] == "python":
            done = subprocess.run([sys.executable, *command[1:]], capture_output=True, text=True)
            assert done.returncode == 0, (command, done.stderr)
            continue
        result = runner.invoke(app, command[1:])
        # samples/batch holds two clients with bad files on purpose: exit code 3 (docs/batch.md)
        expected = 3 if command[1] == "batch" else 0
        assert result.exit_code == expected, (command, result.output)
    assert (tmp_path / "report.pdf").is_file() and (tmp_path / "out" / "disposals.csv").is_file()
