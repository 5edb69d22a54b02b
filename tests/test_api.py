"""``taxsim.api``: the same figures as ``simulate --json``, exact amounts in the DataFrames
(Decimal objects or integer cents), disposals with their matches, findings, DAC8 lines.

The hand-worked case (``tiny``): 1 BTC bought 2024-01-10 for 10,000 €; 0.5 BTC sold
2024-03-01 for 8,000 € (FIFO cost 5,000 € → gain 3,000 €); 1 BTC sold 2024-06-01 for
20,000 € although only 0.5 BTC is left: 0.5 BTC at cost 5,000 € (gain 5,000 €) and 0.5 BTC
uncovered, booked at cost 0 (gain 10,000 €). Raw taxable gain 3,000 + 5,000 + 10,000 =
18,000 €. The correction documents the missing 0.5 BTC as bought on 2024-02-01 for 6,000 €
(``set_cost_basis``). FIFO then gives S1 the first 0.5 BTC of B1 (3,000 € as before) and S2
B1's other half (5,000 €) and the documented 0.5 BTC (6,000 €): 20,000 − 11,000 = 9,000 €.
Corrected 3,000 + 9,000 = 12,000 €; fictitious 18,000 − 12,000 = 6,000 €.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from taxsim import api
from taxsim.api.tables import to_cents
from taxsim.cli import _register, app
from taxsim.readers import CANONICAL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "samples" / "client"

_register()
runner = CliRunner()


def simulate_json(*args: str) -> dict:
    result = runner.invoke(app, ["simulate", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write_ledger(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(CANONICAL_COLUMNS)]
    for row in rows:
        lines.append(",".join(row.get(c, "") for c in CANONICAL_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    ledger = write_ledger(
        tmp_path / "ledger.csv",
        [
            dict(id="B1", time="2024-01-10T10:00:00Z", kind="trade", wallet="Kraken",
                 buy_amount="1", buy_asset="BTC", buy_eur="10000",
                 sell_amount="10000", sell_asset="EUR", sell_eur="10000"),
            dict(id="S1", time="2024-03-01T10:00:00Z", kind="trade", wallet="Kraken",
                 buy_amount="8000", buy_asset="EUR", buy_eur="8000",
                 sell_amount="0.5", sell_asset="BTC", sell_eur="8000"),
            dict(id="S2", time="2024-06-01T10:00:00Z", kind="trade", wallet="Kraken",
                 buy_amount="20000", buy_asset="EUR", buy_eur="20000",
                 sell_amount="1", sell_asset="BTC", sell_eur="20000"),
        ],
    )  # fmt: skip
    corrections = tmp_path / "corrections.toml"
    corrections.write_text(
        '[[correction]]\nid = "C1"\nkind = "set_cost_basis"\n'
        'reason = "purchase of 0.5 BTC on 2024-02-01, invoice 17"\n'
        'disposal = "S2"\nquantity = "0.5"\nacquired = "2024-02-01T10:00:00Z"\ncost = "6000"\n',
        encoding="utf-8",
    )
    return ledger, corrections


def test_hand_worked_gains_and_matches(tiny: tuple[Path, Path]) -> None:
    ledger, corrections = tiny
    sim = api.simulate(api.load_ledger(ledger), "de", corrections)
    (year,) = sim.years
    assert year.year == 2024
    # raw: 3,000 (S1: 8,000 − 5,000) + 5,000 (S2, 0.5 BTC of B1) + 10,000 (S2, short at cost 0)
    assert year.raw_taxable_gain == Decimal("18000")
    # corrected: S2 takes B1's other 0.5 BTC (5,000 €) and the documented 0.5 BTC (6,000 €):
    # 20,000 − 11,000 = 9,000; with S1's 3,000 → 12,000 €
    assert year.corrected_taxable_gain == Decimal("12000")
    assert year.fictitious_gain == Decimal("6000")
    assert (year.raw_short_count, year.corrected_short_count) == (1, 0)
    assert year.raw_short_proceeds == Decimal("10000")

    frame = sim.disposals.to_pandas()
    raw = frame[frame.scenario == "raw"]
    # S1 one match, S2 two (lot B1 and the short); the short's cost is 0, its gain 10,000 €
    assert list(raw.groupby("tx_id").size()) == [1, 2]
    short = raw[raw.origin == "short"].iloc[0]
    assert (short.tx_id, short.cost, short.gain) == ("S2", Decimal(0), Decimal("10000"))
    # the matches' gains add up to the year's taxable gain, in each pass
    for scenario, expected in (("raw", "18000"), ("corrected", "12000")):
        part = frame[(frame.scenario == scenario) & frame.taxable & (frame.tax_year == 2024)]
        assert sum(part.gain, Decimal(0)) == Decimal(expected)
    corrected = frame[(frame.scenario == "corrected") & (frame.tx_id == "S2")]
    assert set(corrected.lot_id) == {"B1", "C1:1"}
    assert list(corrected.sort_values("match").cost) == [Decimal("5000"), Decimal("6000")]


def test_amounts_exact_decimal_or_cents(tiny: tuple[Path, Path]) -> None:
    ledger, corrections = tiny
    sim = api.simulate(ledger, "de", corrections)
    exact = sim.to_pandas()
    assert exact["raw_taxable_gain"].dtype == object
    assert isinstance(exact["raw_taxable_gain"].iloc[0], Decimal)
    cents = sim.to_pandas(cents=True)
    assert cents["raw_taxable_gain"].dtype == "int64"
    assert cents["raw_taxable_gain"].iloc[0] == 1_800_000  # 18,000.00 € in cents
    assert cents["fictitious_gain"].iloc[0] == 600_000
    assert cents["raw_short_count"].iloc[0] == 1  # counts are not money: unchanged
    # quantities are never rounded to cents
    d = sim.disposals.to_pandas(cents=True)
    assert d["quantity"].dtype == object and Decimal("0.5") in set(d["match_quantity"])
    # ROUND_HALF_UP to the cent, as summary.cents: 0.005 → 1 cent, −0.005 → −1 cent
    assert (to_cents(Decimal("0.005")), to_cents(Decimal("-0.005"))) == (1, -1)
    assert to_cents(Decimal("2.344999")) == 234


def _cents_text(value: Decimal) -> str:
    """Integer cents back to the JSON's two-decimal text."""
    return f"{Decimal(int(value)) / 100:.2f}"


@pytest.mark.parametrize(
    ("jurisdiction", "args"),
    [
        ("de", ["--corrections", str(CLIENT / "corrections.toml")]),
        ("de", ["--marginal-rate", "35%", "--church-tax", "BY"]),
        ("at", ["--corrections", str(CLIENT / "corrections.toml")]),
    ],
)
def test_same_figures_as_simulate_json(jurisdiction: str, args: list[str]) -> None:
    """The API's year figures, rounded once to the cent, are the figures of
    ``simulate --json`` — for every year, both passes and the tax effect."""
    ledger = str(CLIENT / "ledger.csv")
    data = simulate_json(ledger, "--jurisdiction", jurisdiction, *args)
    corrections = args[1] if args[0] == "--corrections" else None
    rate = "0.35" if "--marginal-rate" in args else None
    church = "BY" if "--church-tax" in args else None
    sim = api.simulate(
        ledger,
        jurisdiction,
        corrections,
        tax=api.tax_options(marginal_rate=Decimal(rate) if rate else None, church=church),
        worth=None,
    )
    frame = sim.to_pandas(cents=True)
    assert [y["year"] for y in data["years"]] == list(frame.year)
    for y, row in zip(data["years"], frame.itertuples(), strict=True):
        for scenario in ("raw", "corrected"):
            for name in ("taxable_gain", "exempt_gain", "taxable_after_allowance", "income"):
                assert y[scenario][name] == _cents_text(getattr(row, f"{scenario}_{name}"))
            assert y[scenario]["short_count"] == getattr(row, f"{scenario}_short_count")
            assert y[scenario]["short_proceeds"] == _cents_text(
                getattr(row, f"{scenario}_short_proceeds")
            )
        assert y["fictitious_profit"] == _cents_text(row.fictitious_gain)
        assert y["tax_effect"] == _cents_text(row.tax_effect)
    # and the whole JSON is the command's
    assert json.loads(json.dumps(sim.to_json())) == data


def test_sample_client_fictitious_gain_by_hand() -> None:
    """samples/client/README.md, gap 3: 0.4 BTC sold at 60,000 € without the deleted deposit is
    24,000 € of taxable gain in the raw pass, exempt once restored — the API shows it in the
    match rows: a short of 0.4 BTC whose proceeds are 24,000 €."""
    sim = api.simulate(CLIENT / "ledger.csv", "de", CLIENT / "corrections.toml")
    d = sim.disposals.to_pandas()
    shorts = d[(d.scenario == "raw") & (d.origin == "short") & (d.asset == "BTC")]
    assert Decimal("0.4") in set(shorts.match_quantity)
    row = shorts[shorts.match_quantity == Decimal("0.4")].iloc[0]
    assert row.match_proceeds == Decimal("24000") and row.cost == 0
    assert not (d[(d.scenario == "corrected")].origin == "short").any()
    assert len(sim.remaining_shorts) == 0
    # every year's taxable gain is the sum of its taxable, realized matches' gains (traceable)
    taxable = d[d.taxable & d.realized]
    for year in sim.years:
        for scenario in ("raw", "corrected"):
            part = taxable[(taxable.scenario == scenario) & (taxable.tax_year == year.year)]
            assert sum(part.gain, Decimal(0)) == getattr(year, f"{scenario}_taxable_gain")


@pytest.mark.parametrize("corrections", [None, ["C2", "C5"]])
def test_remaining_shorts_as_simulate_json_words_them(corrections: list[str] | None) -> None:
    """The API's open shorts are the JSON's, hint for hint: with two of the sample's
    corrections the diagnosis of the corrected ledger names the gaps (tests/test_simulate.py:
    BP-0065 and MA-0002); without corrections each short gets its own general hint."""
    sim = api.simulate(
        CLIENT / "ledger.csv",
        "de",
        CLIENT / "corrections.toml" if corrections else None,
        only=corrections,
    )
    data = sim.to_json()["remaining_shorts"]
    rows = list(sim.remaining_shorts)
    assert [(r.tx_id, r.resolve) for r in rows] == [(d["id"], d["resolve"]) for d in data]
    if corrections:
        assert {r.tx_id for r in rows} == {"BP-0065", "MA-0002"}
    else:  # the raw pass's shorts, one hint each naming its own quantity
        assert len(rows) == len({r.tx_id for r in rows}) > 2
        assert all(f"acquisition of {r.uncovered} {r.asset}" in r.resolve for r in rows)


def test_diagnose_findings_frame() -> None:
    """The sample's five planted gaps, one per cause (samples/client/README.md)."""
    ledger = api.load_ledger(CLIENT / "ledger.csv")
    found = api.diagnose(
        ledger,
        previous=CLIENT / "previous_export.csv",
        onchain=CLIENT / "onchain_balances.csv",
    )
    frame = found.to_pandas()
    assert set(frame.cause) >= {
        "scam_token", "deleted_inflow", "aggregator_swap", "one_sided_bridge",
        "incomplete_history",
    }  # fmt: skip
    btc = frame[(frame.wallet == "Ledger") & (frame.asset == "BTC")].iloc[0]
    assert btc.cause == "deleted_inflow" and btc.proposed_correction == "restore"
    # gap of 0.4 BTC at 60,000 €/BTC = 24,000 € (README gap 3)
    assert btc.gap_eur == Decimal("24000")
    assert isinstance(frame.tipping_time.dtype, pd.DatetimeTZDtype)
    assert found.to_json()["findings"][0]["wallet"] == frame.wallet.iloc[0]


def test_dac8_lines_and_checklist() -> None:
    """The sample's Kraken CSV report has one deliberate mismatch (samples/client/README.md):
    units and amount checks fail; the rebuilt lines add up to the aggregates."""
    sim = api.simulate(CLIENT / "ledger.csv", "de", CLIENT / "corrections.toml")
    check = api.dac8_check(
        sim.corrected_ledger,
        "de",
        pass_result=sim.comparison.corrected.result,
        platform_reports=[CLIENT / "dac8_kraken_2026.csv"],
    )
    checks = check.checklist.to_pandas()
    # 15 checks for 2026 on, after one "not yet reported under DAC8" line for 2021–2025 (the
    # sample's earlier years; DAC8 data collection starts 1.1.2026, docs/dac8.md)
    assert len(checks) == 16 and checks.key.iloc[0] == "reporting_period"
    assert check.count("fail") == int((checks.status == "fail").sum()) >= 1
    lines = check.to_pandas(cents=True)
    assert lines["gross"].dtype == "int64"
    # independently from the ledger file: Kraken's BTC bought for EUR from 2026 on is the units
    # of the CryptoFiatIn lines of Kraken × BTC (nothing before 2026 is reported under DAC8)
    with (CLIENT / "ledger.csv").open(encoding="utf-8") as fh:
        bought = sum(
            (
                Decimal(r["buy_amount"])
                for r in csv.DictReader(fh)
                if r["wallet"] == "Kraken" and r["kind"] == "trade"
                and r["buy_asset"] == "BTC" and r["sell_asset"] == "EUR"
                and r["time"] >= "2026"
            ),
            Decimal(0),
        )  # fmt: skip
    frame = check.lines.to_pandas()
    lines = frame[(frame.platform == "Kraken") & (frame.asset == "BTC")]
    assert sum(lines[lines.category == "CryptoFiatIn"]["units"], Decimal(0)) == bought > 0


def test_apply_corrections_audit(tiny: tuple[Path, Path]) -> None:
    ledger, corrections = tiny
    book = api.load_ledger(ledger)
    applied = api.apply_corrections(book, corrections)
    audit = applied.to_pandas()
    assert list(audit.action) == ["added"] and list(audit.tx_id) == ["C1:1"]
    assert len(book.transactions) == 3 and len(applied.ledger.transactions) == 4


def test_bad_input_names_file_row_column(tmp_path: Path) -> None:
    from taxsim.model import InputError, TaxsimError

    bad = write_ledger(
        tmp_path / "bad.csv",
        [dict(id="X", time="2024-13-01T00:00:00Z", kind="trade", wallet="K",
              buy_amount="1", buy_asset="BTC")],
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        api.load_ledger(bad)
    assert (err.value.row, err.value.column) == (2, "time")
    empty = write_ledger(tmp_path / "empty.csv", [])
    with pytest.raises(TaxsimError, match="no transactions"):
        api.load_ledger(empty)
