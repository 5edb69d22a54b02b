"""DAC8 covers reporting years from 2026 only (issue 17, item 3).

Directive (EU) 2023/2226 applies from 1 January 2026; DE KStTG and AT Krypto-MPfG are in force
from 1.1.2026, the first report (for 2026) is due by 31 July 2027 (KStTG § 9(1), Krypto-MPfG
§ 19(2)). A 2022 withdrawal is in no platform's report, so no check may speak of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

from typer.testing import CliRunner

from taxsim import dac8
from taxsim.cli import _register, app
from taxsim.dac8 import Status
from taxsim.model import Kind, Ledger, Leg, Transaction
from taxsim.rules import load_rules

RULES = load_rules("de")


def _tx(id: str, when: datetime, kind: Kind, wallet: str = "Kraken", **kw: object) -> Transaction:
    return Transaction(id=id, time=when, kind=kind, wallet=wallet, **kw)  # type: ignore[arg-type]


# w22: a 2022 withdrawal of 1 ETH from Kraken that arrives nowhere (the review's K-0107 case);
# b24: a 2024 Binance buy (Binance has no row from 2026 on); w26: an unpaired 2026 withdrawal.
W22 = _tx("w22", datetime(2022, 11, 20, 10, tzinfo=UTC), Kind.WITHDRAWAL,
          sell=Leg(D("1"), "ETH", D("1100")))  # fmt: skip
B24 = _tx("b24", datetime(2024, 3, 1, 10, tzinfo=UTC), Kind.TRADE, "Binance",
          buy=Leg(D("0.1"), "BTC"), sell=Leg(D("5000"), "EUR"))  # fmt: skip
W26 = _tx("w26", datetime(2026, 5, 1, 10, tzinfo=UTC), Kind.WITHDRAWAL,
          sell=Leg(D("0.5"), "ETH", D("1500")))  # fmt: skip


def test_without_year_earlier_years_get_one_line_and_no_check_names_them() -> None:
    checks = dac8.build_checklist(Ledger([W22, B24, W26]), rules=RULES)
    first, *rest = checks
    assert (first.number, first.key, first.status) == (0, "reporting_period", Status.NA)
    assert first.message_en.startswith("2022, 2024: not yet reported under DAC8.")
    assert "31 July 2027" in first.message_en and "31. Juli 2027" in first.message_de
    assert [c.number for c in rest] == list(range(1, 16))
    own = next(c for c in rest if c.key == "own_transfers")
    assert (own.status, own.tx_ids) == (Status.WARN, ["w26"])  # w22 is not "seen"
    coverage = next(c for c in rest if c.key == "coverage")
    assert "Binance" not in coverage.message_en  # no Binance row from 2026 on
    assert all("w22" not in c.tx_ids and "b24" not in c.tx_ids for c in rest)


def test_a_year_before_2026_is_one_line_instead_of_the_checks() -> None:
    checks = dac8.build_checklist(Ledger([W22, B24, W26]), rules=RULES, year=2024)
    assert [(c.key, c.status) for c in checks] == [("reporting_period", Status.NA)]
    assert checks[0].message_en.startswith("2024: not yet reported under DAC8.")
    assert "nothing to compare" in checks[0].message_en


def test_a_ledger_ending_before_2026_gets_only_the_line() -> None:
    checks = dac8.build_checklist(Ledger([W22, B24]), rules=RULES)
    assert [c.key for c in checks] == ["reporting_period"]
    assert checks[0].message_en.startswith("2022, 2024: not yet reported")


def test_consecutive_years_are_a_span_and_2026_alone_has_no_line() -> None:
    years = [
        _tx(f"y{y}", datetime(y, 6, 1, tzinfo=UTC), Kind.WITHDRAWAL,
            sell=Leg(D("0.1"), "ETH", D("300")))
        for y in (2021, 2022, 2023, 2024, 2025)
    ]  # fmt: skip
    checks = dac8.build_checklist(Ledger([*years, W26]), rules=RULES)
    assert checks[0].message_en.startswith("2021–2025: not yet reported")
    assert [c.number for c in dac8.build_checklist(Ledger([W26]), rules=RULES)] == list(
        range(1, 16)
    )


def test_the_view_has_no_line_before_2026() -> None:
    view = dac8.build_view(Ledger([W22, B24, W26]), rules=RULES)
    # only w26: 0.5 ETH CryptoTransferOut 606 + TransferWallet, both 2026
    assert sorted((k.year, k.category.value) for k in view.aggregates) == [
        (2026, "CryptoTransferOut"),
        (2026, "TransferWallet"),
    ]


def test_cli_refuses_year_0_like_simulate(tmp_path: Path) -> None:
    _register()
    ledger = Path(__file__).resolve().parent.parent / "samples" / "client" / "ledger.csv"
    for year in ("0", "1999", "2101"):
        res = CliRunner().invoke(app, ["dac8", str(ledger), "--year", year])
        sim = CliRunner().invoke(app, ["simulate", str(ledger), "--year", year])
        assert res.exit_code == sim.exit_code == 2, res.output
        assert f"--year: expected a tax year from 2008 to 2100, got {year}" in res.output


def test_year_boundary_speaks_only_of_reported_new_years() -> None:
    """Check 11 looks at rows within 24 h of a local New Year from 2026 on. Berlin is UTC+1 in
    winter, so local New Year 2026 is 2025-12-31 23:00 UTC: n25 (23:30 UTC, 30 min after it)
    is flagged; n24 (2024-12-31 23:30 UTC = 2025-01-01 00:30 local) is near New Year 2025,
    which no report covers; x24 (2024-12-30 23:30 UTC) is a year and a day before 2026."""
    buy = {"buy": Leg(D("0.01"), "BTC", D("300")), "sell": Leg(D("300"), "EUR")}
    n24 = _tx("n24", datetime(2024, 12, 31, 23, 30, tzinfo=UTC), Kind.TRADE, **buy)
    x24 = _tx("x24", datetime(2024, 12, 30, 23, 30, tzinfo=UTC), Kind.TRADE, **buy)
    n25 = _tx("n25", datetime(2025, 12, 31, 23, 30, tzinfo=UTC), Kind.TRADE, **buy)
    checks = dac8.build_checklist(Ledger([x24, n24, n25, W26]), rules=RULES)
    boundary = next(c for c in checks if c.key == "year_boundary")
    assert (boundary.status, boundary.tx_ids) == (Status.WARN, ["n25"])
    # without n25 nothing lies near a reported New Year
    checks = dac8.build_checklist(Ledger([x24, n24, W26]), rules=RULES)
    boundary = next(c for c in checks if c.key == "year_boundary")
    assert (boundary.status, boundary.tx_ids) == (Status.PASS, [])


def test_the_view_skips_rows_outside_the_year_asked_for() -> None:
    """Entries are only made for rows of reporting years (and of ``year`` when given):
    w26's two lines (606 + TransferWallet) in 2026, none for 2027 or for w22/b24."""
    book = Ledger([W22, B24, W26])
    assert len(dac8.build_view(book, rules=RULES, year=2026).entries) == 2
    assert dac8.build_view(book, rules=RULES, year=2027).entries == []
    assert [e.tx_id for e in dac8.build_view(book, rules=RULES).entries] == ["w26", "w26"]
