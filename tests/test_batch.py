"""``taxsim batch``: triage files, failure isolation, resumption, the Dask backend.

Clients come from ``samples/batch`` (samples/batch/make_batch.py) plus a hand-worked one,
``tiny`` (the ledger of tests/test_api.py): raw taxable gain 18,000 €, corrected 12,000 €,
fictitious 6,000 €, one short of 0.5 BTC sold for 10,000 € at cost 0.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from taxsim import api
from taxsim.batch import Options, run_batch
from taxsim.batch.clients import ClientSettings, prepare_job
from taxsim.cli import _register, app
from taxsim.model import InputError
from taxsim.readers import CANONICAL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "batch"
PICKED = ("berger-lena", "mueller-tom", "gruber-paul", "bad-ledger", "bad-settings")

_register()
runner = CliRunner()


def write_ledger(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(CANONICAL_COLUMNS)]
    lines += [",".join(row.get(c, "") for c in CANONICAL_COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tiny_client(folder: Path, name: str = "Tiny Client") -> Path:
    folder.mkdir(parents=True)
    write_ledger(
        folder / "ledger.csv",
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
    (folder / "corrections.toml").write_text(
        '[[correction]]\nid = "C1"\nkind = "set_cost_basis"\nreason = "invoice 17"\n'
        'disposal = "S2"\nquantity = "0.5"\nacquired = "2024-02-01T10:00:00Z"\ncost = "6000"\n',
        encoding="utf-8",
    )
    (folder / "client.toml").write_text(
        f'name = \'{name}\'\njurisdiction = "de"\nmarginal_rate = "42%"\n', encoding="utf-8"
    )
    return folder


@pytest.fixture()
def clients(tmp_path: Path) -> Path:
    root = tmp_path / "clients"
    root.mkdir()
    for name in PICKED:
        shutil.copytree(SAMPLES / name, root / name)
    tiny_client(root / "tiny", name='=HYPERLINK("http://x")')
    return root


def batch(*args: str) -> object:
    return runner.invoke(app, ["batch", *args])


def triage(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "triage.parquet")


def test_batch_end_to_end(clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(str(clients), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 3, result.output  # some clients failed; the triage is written
    for name in ("triage.xlsx", "triage.csv", "triage.parquet", "findings.csv", "batch.log"):
        assert (out / name).is_file()
    frame = triage(out).set_index("client")
    assert len(frame) == len(PICKED) + 1
    # failures first, then by tax at stake (largest first)
    order = list(triage(out).client)
    assert set(order[:2]) == {"bad-ledger", "bad-settings"}
    stakes = list(triage(out).tax_at_stake[2:])
    assert stakes == sorted(stakes, reverse=True)

    # the bad files: their error with file, row and column, and the others were computed
    bad = frame.loc["bad-ledger"]
    assert bad.status == "error" and bad.error_row == 58 and bad.error_column == "time"
    assert bad.error_file.endswith("bad-ledger/ledger.csv")
    assert frame.loc["bad-settings"].error_column == "taxable_income"
    assert (frame.drop(["bad-ledger", "bad-settings"]).status != "error").all()

    # the hand-worked client
    tiny = frame.loc["tiny"]
    assert tiny.fictitious_gain == Decimal("6000.00")
    assert (tiny.raw_shorts, tiny.open_shorts) == (1, 0)
    assert tiny.raw_short_proceeds == Decimal("10000.00")
    assert tiny.status == "ready"

    # the sample client: the API's figures for the years client.toml names (2023–2025)
    sim = api.simulate(
        clients / "berger-lena" / "ledger.csv",
        "de",
        clients / "berger-lena" / "corrections.toml",
        # the same tax settings as its client.toml (the exact § 32a tax of each year)
        tax=api.tax_options(
            marginal_rate=Decimal("0.42"),
            church="BY",
            taxable_income={2023: Decimal(58000), 2024: Decimal(61000), 2025: Decimal(64000)},
        ),
    )
    years = [y for y in sim.years if y.year in (2023, 2024, 2025)]
    lena = frame.loc["berger-lena"]
    assert lena.tax_at_stake == sum((y.tax_effect for y in years), Decimal(0)).quantize(
        Decimal("0.01")
    )
    assert lena.fictitious_gain == sum((y.fictitious_gain for y in years), Decimal(0)).quantize(
        Decimal("0.01")
    )
    # five planted gaps, one per cause (and what else the diagnosis reports on the rows); the
    # CSV report's deliberate mismatch fails DAC8 checks
    found = api.diagnose(
        api.load_ledger(clients / "berger-lena" / "ledger.csv"),
        previous=clients / "berger-lena" / "previous_export.csv",
        onchain=clients / "berger-lena" / "onchain_balances.csv",
    )
    assert len(found.findings) == 5
    assert lena.findings == len(found.findings) + len(found.row_findings)
    assert lena["cause:deleted_inflow"] >= 1 and lena["cause:scam_token"] >= 1
    assert lena.dac8_fail >= 1 and lena.status == "check DAC8"

    # half of mueller-tom's gaps are corrected (samples/batch/make_batch.py): shorts stay open
    tom = frame.loc["mueller-tom"]
    assert tom.status == "open shorts" and 0 < tom.open_shorts < tom.raw_shorts
    assert tom.first_action.startswith("resolve ")

    # second sheet: every finding of every client
    findings = pd.read_parquet(out / "findings.parquet")
    assert len(findings) == int(frame.findings.sum())
    assert set(findings.client) <= set(frame.index)

    # the log names every input with its SHA-256 and every output
    log = (out / "batch.log").read_text(encoding="utf-8")
    for path in (clients / "berger-lena").iterdir():
        assert str(path) in log
    assert f"output: {out / 'triage.xlsx'}" in log


def test_workbook_and_csv_are_safe_and_german(clients: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    run_batch(clients, out, jobs=1, only=["tiny", "gruber-paul"])
    wb = load_workbook(out / "triage.xlsx")
    assert wb.sheetnames == ["Triage", "Findings", "Open shorts"]
    ws = wb["Triage"]
    header = [c.value for c in ws[1]]
    names = [row[header.index("name")] for row in ws.iter_rows(min_row=2, values_only=True)]
    # a client name that looks like a formula stays text, neutralised as in every export
    assert '\'=HYPERLINK("http://x")' in names
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    stake = header.index("fictitious gains €")
    tiny_row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "tiny")
    assert tiny_row[stake] == 6000  # a numeric cell

    raw = (out / "triage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: German Excel reads UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    tiny_csv = next(r for r in rows if r[0] == "tiny")
    assert tiny_csv[rows[0].index("fictitious gains €")] == "6000,00"


def test_resumption_skips_unchanged_clients(clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_batch(clients, out, jobs=1)
    assert first.skipped == 0
    before = triage(out)

    again = run_batch(clients, out, jobs=1)
    assert again.skipped == len(PICKED) + 1
    pd.testing.assert_frame_equal(triage(out), before)
    assert "unchanged since the last run" in (out / "batch.log").read_text(encoding="utf-8")

    # one client's corrections change: only that client is redone
    corrections = clients / "tiny" / "corrections.toml"
    corrections.write_text(corrections.read_text().replace('"6000"', '"7000"'), "utf-8")
    third = run_batch(clients, out, jobs=1)
    assert third.skipped == len(PICKED)
    assert [o.client for o in third.outcomes if not o.resumed] == ["tiny"]
    # S2's documented half now costs 7,000 €: fictitious 6,000 + 1,000 = 7,000 €
    assert triage(out).set_index("client").loc["tiny"].fictitious_gain == Decimal("7000.00")

    forced = run_batch(clients, out, jobs=1, force=True)
    assert forced.skipped == 0


def test_a_crash_is_isolated_and_retried(
    clients: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in one client: that client's row says so, the log holds the
    traceback, the others are computed; a rerun retries the crashed client."""
    real = api.diagnose

    def flaky(ledger, **kwargs):  # type: ignore[no-untyped-def]
        if any("gruber-paul" in f for f in ledger.files):
            raise RuntimeError("boom")
        return real(ledger, **kwargs)

    monkeypatch.setattr(api, "diagnose", flaky)
    out = tmp_path / "out"
    run_batch(clients, out, jobs=1)
    frame = triage(out).set_index("client")
    assert frame.loc["gruber-paul"].error == "internal error: RuntimeError: boom"
    assert frame.loc["tiny"].status == "ready"
    assert "RuntimeError: boom" in (out / "batch.log").read_text(encoding="utf-8")

    monkeypatch.setattr(api, "diagnose", real)
    again = run_batch(clients, out, jobs=1)
    redone = [o.client for o in again.outcomes if not o.resumed]
    assert redone == ["gruber-paul"]
    assert triage(out).set_index("client").loc["gruber-paul"].status != "error"


def test_dask_triage_equals_local(clients: Path, tmp_path: Path) -> None:
    """The Dask backend (an in-process LocalCluster, through ``--scheduler``) gives the same
    triage and findings as the local process pool."""
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert batch(str(clients), "-o", str(local), "--jobs", "2").exit_code == 3
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = batch(str(clients), "-o", str(remote), "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 3, result.output
    pd.testing.assert_frame_equal(triage(remote), triage(local))
    pd.testing.assert_frame_equal(
        pd.read_parquet(remote / "findings.parquet"), pd.read_parquet(local / "findings.parquet")
    )
    # error texts name the client's own folder, not the worker's temporary copy
    assert triage(remote).set_index("client").loc["bad-ledger"].error_file == str(
        clients / "bad-ledger" / "ledger.csv"
    )


def test_reports_per_client(clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(clients, out, jobs=1, only=["tiny"], options=Options(reports=True))
    folder = out / "clients" / "tiny"
    for name in ("report.pdf", "figures.json", "disposals.csv", "taxsim-advisor.xlsx"):
        assert (folder / name).stat().st_size > 0
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
    log = (out / "batch.log").read_text(encoding="utf-8")
    for name in ("report.pdf", "taxsim-advisor.xlsx", "result.json"):
        assert f"output tiny: {folder / name}" in log


def test_client_settings_and_files(tmp_path: Path) -> None:
    s = ClientSettings.model_validate(
        {"taxable_income": {"2024": "61000", "2025": 64000}, "marginal_rate": "42%",
         "jurisdiction": "AT", "years": [2025, 2024]}
    )  # fmt: skip
    assert s.taxable_income == {2024: Decimal("61000"), 2025: Decimal("64000")}
    assert s.marginal_rate == Decimal("0.42") and s.jurisdiction == "at"
    assert s.years == [2024, 2025]
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.csv").write_text("x")
    (folder / "b.csv").write_text("y")
    job = prepare_job(folder)
    assert isinstance(job.problem, InputError) and "cannot tell the ledger" in str(job.problem)
    (folder / "client.toml").write_text('[files]\nledger = "b.csv"\n')
    job = prepare_job(folder)
    assert job.problem is None and job.files.ledger == folder / "b.csv"


def test_per_year_tax_settings_reach_the_exact_tax(tmp_path: Path) -> None:
    """client.toml's per-year tables (the format of --client-settings) reach the exact tax:
    the triage's tax at stake is the API's with the same settings, and differs from the
    marginal-rate estimate; an unknown church-tax state is that client's error."""
    from taxsim.tax import parse_client_settings

    root = tmp_path / "clients"
    exact = tiny_client(root / "exact")
    (exact / "client.toml").write_text(
        'name = "Exact"\n[client]\nchurch_tax = "Bayern"\n[years.2024]\ntaxable_income = "52000"\n',
        encoding="utf-8",
    )
    wrong = tiny_client(root / "wrong")
    (wrong / "client.toml").write_text('church_tax = "Atlantis"\n', encoding="utf-8")
    out = tmp_path / "out"
    run_batch(root, out, jobs=1)
    frame = triage(out).set_index("client")
    row = frame.loc["exact"]
    assert row.years == "2024"
    settings = parse_client_settings(
        {"client": {"church_tax": "Bayern"}, "years": {"2024": {"taxable_income": "52000"}}}
    )
    sim = api.simulate(
        exact / "ledger.csv", "de", exact / "corrections.toml", tax=api.tax_options(client=settings)
    )
    (year,) = sim.years
    assert row.tax_at_stake == year.tax_effect.quantize(Decimal("0.01"))
    assert sim.to_json()["years"][0]["tax"]["exact"] is True
    estimate = api.simulate(exact / "ledger.csv", "de", exact / "corrections.toml").years[0]
    assert row.tax_at_stake != estimate.tax_effect.quantize(Decimal("0.01"))
    assert frame.loc["wrong"].status == "error" and "Atlantis" in frame.loc["wrong"].error


def test_a_worker_that_dies_fails_only_its_clients(
    clients: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that ends without a result (here: os._exit, as when the kernel kills
    it): the clients its pool held run again, each alone; only the one that kills its process
    fails, with a clear message; a rerun retries it."""
    import os

    real = api.diagnose

    def dies(ledger, **kwargs):  # type: ignore[no-untyped-def]
        if any("gruber-paul" in f for f in ledger.files):
            os._exit(9)
        return real(ledger, **kwargs)

    monkeypatch.setattr(api, "diagnose", dies)  # the forked workers inherit it
    out = tmp_path / "out"
    first = run_batch(clients, out, jobs=2)
    frame = triage(out).set_index("client")
    assert "worker process ended without a result" in frame.loc["gruber-paul"].error
    assert set(first.failed) == {"gruber-paul", "bad-ledger", "bad-settings"}
    assert frame.loc["tiny"].fictitious_gain == Decimal("6000.00")

    monkeypatch.setattr(api, "diagnose", real)
    again = run_batch(clients, out, jobs=2)
    assert [o.client for o in again.outcomes if not o.resumed] == ["gruber-paul"]
    assert triage(out).set_index("client").loc["gruber-paul"].status != "error"
