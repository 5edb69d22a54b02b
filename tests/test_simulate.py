"""`taxsim simulate` end to end on the sample client and on small ledgers.

The expected figures for the sample client come from samples/client/README.md, where each
planted gap's effect is worked out by hand (e.g. gap 3: 0.4 BTC × 60,000 € = 24,000 € taxable
in the raw pass, exempt once the deleted deposit is restored).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taxsim.cli import _register, app

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "samples" / "client"
LEDGER = str(CLIENT / "ledger.csv")
CORRECTIONS = str(CLIENT / "corrections.toml")

_register()
runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["simulate", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def de() -> dict:
    return run_json(LEDGER, "--jurisdiction", "de", "--corrections", CORRECTIONS)


def by_year(data: dict) -> dict[int, dict]:
    return {y["year"]: y for y in data["years"]}


def test_json_shape(de):
    assert de["jurisdiction"] == "DE"
    assert de["settings"]["lot_scope"] == "wallet"
    keys = {
        "taxable_gain",
        "exempt_gain",
        "taxable_after_allowance",
        "income",
        "short_count",
        "short_proceeds",
    }
    for y in de["years"]:
        assert set(y["raw"]) == keys and set(y["corrected"]) == keys
        assert isinstance(y["raw"]["short_count"], int)
        for v in (y["raw"]["taxable_gain"], y["fictitious_profit"]):
            assert v.replace("-", "").replace(".", "").isdigit() and v.split(".")[1].__len__() == 2


def test_fictitious_profit_per_year(de):
    years = by_year(de)
    # README: gap 5 (Binance, 850 + 800) in 2023; gap 2 (5,400 = 5,460 − 60), gap 3 (24,000) and
    # gap 5 (1,200) in 2024; gap 4 (1.45 ETH × 2,700) in 2025.
    assert years[2023]["fictitious_profit"] == "1650.00"
    assert years[2024]["fictitious_profit"] == "30600.00"
    assert years[2025]["fictitious_profit"] == "3915.00"
    assert years[2022]["fictitious_profit"] == "0.00"
    # 2024 raw: K-0179 5,460 + BP-0065 24,000 + BN-0005 1,200 = 30,660, all shorts;
    # corrected: only the 60 € gain of the USDC bought by the Jupiter swap.
    assert years[2024]["raw"]["taxable_gain"] == "30660.00"
    assert years[2024]["raw"]["short_proceeds"] == "30660.00"
    assert years[2024]["raw"]["short_count"] == 3
    assert years[2024]["corrected"]["taxable_gain"] == "60.00"
    assert years[2024]["corrected"]["taxable_after_allowance"] == "0.00"  # below 1,000 €
    assert years[2023]["raw"]["short_count"] == 2  # BN-0001, BN-0003
    assert years[2025]["raw"]["short_count"] == 1  # MA-0002
    assert all(y["corrected"]["short_count"] == 0 for y in de["years"])
    assert de["remaining_shorts"] == []


@pytest.fixture(scope="module")
def de_airdrops_as_income() -> dict:
    """The sample as CoinTracking books it: every airdrop § 22 Nr. 3 income (the former
    default; BMF 2025 Rz. 70–75 count no income without a service of the recipient)."""
    return run_json(LEDGER, "--corrections", CORRECTIONS, "--airdrops-as-income")


def test_scam_airdrop_income_is_removed(de, de_airdrops_as_income):
    # Gap 1: the fake USDC airdrop MM-0008 is valued at 4,650,000 € of § 22 Nr. 3 income when
    # airdrops count as income; by the BMF default (no service, no income) it never was.
    y2023 = by_year(de_airdrops_as_income)[2023]
    raw, cor = y2023["raw"]["income"], y2023["corrected"]["income"]
    assert (raw, cor) == ("4650122.73", "122.73")
    y2023 = by_year(de)[2023]
    assert (y2023["raw"]["income"], y2023["corrected"]["income"]) == ("122.73", "122.73")


def test_each_correction_is_worth(de_airdrops_as_income):
    worth = {w["id"]: w for w in de_airdrops_as_income["corrections"]}
    assert worth["C1"]["alone_income"]["2023"] == "-4650000.00"
    assert worth["C1"]["alone"]["total"] == "0.00"
    assert worth["C2"]["alone"]["2024"] == "-5400.00"
    assert worth["C3"]["alone"]["2024"] == "-24000.00"
    assert worth["C4"]["alone"]["2025"] == "-3915.00"
    assert (worth["C5"]["alone"]["2023"], worth["C5"]["alone"]["2024"]) == ("-1650.00", "-1200.00")
    # The five gaps do not interact: left out of the full set each is worth the same.
    for w in worth.values():
        assert w["left_out"] == w["alone"]


def test_tax_effect_and_freigrenze_crossing(de):
    y2024 = by_year(de)[2024]
    # raw: 30,660 × 42 % × 1.055 (Soli) = 13,585.446 → 13,585.45; corrected: 60 < 1,000 → 0.
    assert y2024["tax_effect"] == "13585.45"
    assert "below the Freigrenze of 1,000.00" in y2024["freigrenze_crossing"]


def test_church_tax_and_marginal_rate():
    data = run_json(
        LEDGER, "-c", CORRECTIONS, "--marginal-rate", "30%", "--church-tax", "BY", "--year", "2024"
    )
    # 30,660 × 0.30 × (1 + 0.055 + 0.08) = 10,439.73
    assert [y["tax_effect"] for y in data["years"]] == ["10439.73"]


def test_a_section_23_loss_does_not_offset_section_22_income(tmp_path: Path):
    # K0: 0.5 ETH staking worth 1,000 (§ 22 Nr. 3, ≥ 256 → fully taxable); K1 sells 1 BTC for
    # 30,000 uncovered. C1 documents its purchase for 32,000 → § 23 result −2,000.
    # raw: (30,000 + 1,000) × 0.42 × 1.055 = 13,736.10; corrected: the § 23 loss offsets only
    # § 23 gains (§ 23 Abs. 3 S. 7 EStG), so 1,000 × 0.42 × 1.055 = 443.10 remains taxed.
    # Tax effect 13,736.10 − 443.10 = 13,293.00 (before the fix: −2,000 + 1,000 → 0, 13,736.10).
    ledger = tmp_path / "l.csv"
    ledger.write_text(
        "id,time,kind,income_type,wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset,"
        "sell_eur\n"
        "K0,2024-01-05T10:00:00Z,income,staking,Kraken,0.5,ETH,1000,,,\n"
        "K1,2024-06-01T10:00:00Z,trade,,Kraken,30000,EUR,30000,1,BTC,30000\n",
        encoding="utf-8",
    )
    corrections = tmp_path / "c.toml"
    corrections.write_text(
        '[[correction]]\nid = "C1"\nkind = "set_cost_basis"\nreason = "bought at Bitpanda"\n'
        'disposal = "K1"\nquantity = "1"\nacquired = "2024-01-10T10:00:00Z"\ncost = "32000"\n',
        encoding="utf-8",
    )
    (y,) = run_json(str(ledger), "-c", str(corrections))["years"]
    assert (y["corrected"]["taxable_gain"], y["corrected"]["income"]) == ("-2000.00", "1000.00")
    assert y["tax_effect"] == "13293.00"


def test_only_runs_a_subset():
    data = run_json(LEDGER, "-c", CORRECTIONS, "--only", "C3", "--year", "2024")
    (y,) = data["years"]
    assert y["fictitious_profit"] == "24000.00"
    assert [w["id"] for w in data["corrections"]] == ["C3"]


def test_without_corrections_corrected_equals_raw():
    data = run_json(LEDGER)
    for y in data["years"]:
        assert y["raw"] == y["corrected"] and y["fictitious_profit"] == "0.00"


def test_global_scope_changes_the_raw_figures():
    # One pool per asset: the Ledger BTC sale of gap 3 is covered by Kraken's old lots, so the
    # 24,000 € short of the wallet view disappears from the raw pass.
    wallet = by_year(run_json(LEDGER, "--year", "2024"))[2024]["raw"]
    pooled = by_year(run_json(LEDGER, "--year", "2024", "--lot-scope", "global"))[2024]["raw"]
    assert wallet["short_count"] == 3
    assert pooled["short_count"] < wallet["short_count"]


def test_austrian_rules_on_the_sample():
    data = run_json(LEDGER, "-j", "at", "-c", CORRECTIONS)
    y = by_year(data)[2024]
    assert "tax_estimate" in y["raw"] and "forms" in y
    assert "E1kv" in y["forms"]["realized_gain"]
    # tax_effect = 27.5 % × (raw − corrected) when both are positive
    fict = Decimal(y["fictitious_profit"])
    assert Decimal(y["tax_effect"]) == (fict * Decimal("0.275")).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv"),
        ([LEDGER, "-j", "fr"], "unknown jurisdiction 'fr'"),
        ([LEDGER, "-c", CORRECTIONS, "--only", "C9"], "C9"),
        ([LEDGER, "--marginal-rate", "lots"], "--marginal-rate"),
        ([LEDGER, "--year", "2009"], "no taxable events in 2009"),
        ([LEDGER, "--year", "1999"], "expected a tax year from 2008 to 2100, got 1999"),
    ],
)
def test_errors_are_clear(args, message):
    result = runner.invoke(app, ["simulate", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_worker_processes_give_the_same_figures(monkeypatch):
    # The corrected pass and the worth passes may run in forked workers (large ledgers); the
    # figures must be identical to the serial run. Force the parallel path on the sample.
    from taxsim import whatif
    from taxsim.corrections import load_corrections
    from taxsim.readers import read_ledger
    from taxsim.rules import load_rules

    ledger, rules = read_ledger(LEDGER), load_rules("de")
    corrections = load_corrections(CORRECTIONS)
    serial = whatif.compare(ledger, rules, corrections, base_dir=CLIENT, jobs=1)
    monkeypatch.setattr(whatif, "PARALLEL_MIN_ROWS", 0)
    parallel = whatif.compare(ledger, rules, corrections, base_dir=CLIENT, jobs=2, full=False)
    assert parallel.as_json() == serial.as_json()
    assert parallel.notes_by_pass() == serial.notes_by_pass()


def test_a_corrected_pass_in_a_worker_sends_back_its_notes(monkeypatch, tmp_path: Path):
    # G1 gifts 1 BTC into Kraken, a row only the corrected ledger has: its note ("gift
    # received", cost 0) must reach simulate also when that pass runs in a worker process.
    from taxsim import whatif
    from taxsim.corrections import load_corrections
    from taxsim.readers import read_ledger
    from taxsim.rules import load_rules

    ledger_file = tmp_path / "l.csv"
    ledger_file.write_text(
        "id,time,kind,income_type,wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset,"
        "sell_eur\n"
        "K1,2024-06-01T10:00:00Z,trade,,Kraken,30000,EUR,30000,1,BTC,30000\n",
        encoding="utf-8",
    )
    corrections_file = tmp_path / "c.toml"
    corrections_file.write_text(
        '[[correction]]\nid = "G1"\nkind = "add_inflow"\nreason = "gift from my father"\n'
        'tx_kind = "gift"\nasset = "BTC"\namount = "1"\nwallet = "Kraken"\n'
        'time = "2024-01-10T10:00:00Z"\neur = "0"\n',
        encoding="utf-8",
    )
    ledger, rules = read_ledger(ledger_file), load_rules("de")
    corrections = load_corrections(corrections_file)
    monkeypatch.setattr(whatif, "PARALLEL_MIN_ROWS", 0)
    comp = whatif.compare(ledger, rules, corrections, base_dir=tmp_path, jobs=2, full=False)
    (note,) = [n for label, n in comp.notes_by_pass() if label == "corrected"]
    assert note.message.startswith("gift received")


def test_worth_is_skipped_on_large_ledgers_unless_forced(monkeypatch):
    from taxsim import whatif

    monkeypatch.setattr(whatif, "WORTH_BUDGET_ROW_PASSES", 100)
    skipped = run_json(LEDGER, "-c", CORRECTIONS)
    assert all("not evaluated" in w["error"] for w in skipped["corrections"])
    forced = run_json(LEDGER, "-c", CORRECTIONS, "--worth")
    assert not any("error" in w for w in forced["corrections"])


def test_remaining_shorts_say_what_resolves_them():
    # With only C2 and C5 applied, gap 3 (Ledger BTC, sold on Bitpanda) and gap 4 (Arbitrum
    # ETH) remain: README rows BP-0065 (0.4 BTC, 24,000 €) and MA-0002 (1.45 ETH, 3,915 €).
    data = run_json(LEDGER, "-c", CORRECTIONS, "--only", "C2,C5")
    shorts = {s["id"]: s for s in data["remaining_shorts"]}
    assert set(shorts) == {"BP-0065", "MA-0002"}
    assert (shorts["BP-0065"]["uncovered"], shorts["BP-0065"]["proceeds"]) == (
        "0.40000000",
        "24000.00",
    )
    assert "arrived by transfer from Ledger" in shorts["BP-0065"]["resolve"]
    assert "one_sided_bridge" in shorts["MA-0002"]["resolve"]
    assert "link_transfer" in shorts["MA-0002"]["resolve"]
