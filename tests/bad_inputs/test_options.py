"""Command-line options refused the same way by every command: one ``error:`` line naming the
option, exit 2; a usage error (a missing or malformed option) is click's usage message, exit 2,
never the "unexpected failure" line."""

from __future__ import annotations

from pathlib import Path

import pytest

from .faults import invoke, one_error_line

LEDGER = (
    '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Trade-Group","Comment","Date"\n'
    '"Deposit","1","BTC","","","","","Kraken","","","2023-01-02 10:00:00"\n'
)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "l.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["diagnose"],
        ["simulate", "-j", "de"],
        ["dac8"],
        ["report", "-j", "de", "-o", "{tmp}/r.pdf"],
    ],
)
def test_an_unknown_time_zone_is_the_same_line_everywhere(
    command: list[str], ledger: Path, tmp_path: Path
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = invoke(args[0], ledger, *args[1:], "--timezone", "Mars/Base")
    assert one_error_line(result) == "error: --timezone: unknown time zone 'Mars/Base'"
    assert not (tmp_path / "r.pdf").exists()


def test_report_refuses_a_year_out_of_range_as_simulate_does(ledger: Path, tmp_path: Path) -> None:
    want = "error: --year: expected a tax year from 2008 to 2100, got 1999"
    got = invoke("report", ledger, "-j", "de", "-o", tmp_path / "r.pdf", "--year", "1999")
    assert one_error_line(got) == want
    assert one_error_line(invoke("simulate", ledger, "-j", "de", "--year", "1999")) == want


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["apply", "{ledger}", "-o", "{tmp}/x.csv"], "Missing option '--corrections'"),
        (["simulate", "{ledger}", "--year", "abc"], "Invalid value for '--year'"),
    ],
)
def test_usage_errors_are_usage_errors_not_bugs(
    args: list[str], shown: str, ledger: Path, tmp_path: Path
) -> None:
    argv = [a.replace("{ledger}", str(ledger)).replace("{tmp}", str(tmp_path)) for a in args]
    result = invoke(*argv)
    assert result.exit_code == 2, result.output
    assert "unexpected failure" not in result.output
    assert shown in " ".join(result.output.replace("│", " ").split())
