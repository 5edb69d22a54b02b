"""Local times at a daylight-saving change (taxsim.inputs.timezones, docs/formats.md).

The processing order must not depend on how a skipped or repeated local time is resolved:
UTC times are non-decreasing in the written wall-clock time, on both changes, in any zone.
A UTC ledger read as Europe/Berlin gives the figures of reading it as UTC, and a finding
naming the rows and pointing at --timezone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from taxsim.inputs import timezones
from taxsim.readers import read_ledger

from .faults import figures, invoke

HEADER = (
    '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Trade-Group","Comment","Date",'
    '"Tx-ID","Buy Value in your Account Currency","Sell Value in your Account Currency"\n'
)


def row(kind: str, when: str, txid: str, buy: str = "", sell: str = "", eur: str = "") -> str:
    buy_cur, sell_cur = ("BTC", "EUR") if buy else ("EUR", "BTC")
    amount_in, amount_out = (buy, eur) if buy else (eur, sell)
    return (
        f'"{kind}","{amount_in}","{buy_cur}","{amount_out}","{sell_cur}","","","Kraken","","",'
        f'"{when}","{txid}","{eur}","{eur}"\n'
    )


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", "2023-03-26"),
        ("Europe/Berlin", "2023-10-29"),
        ("America/New_York", "2024-03-10"),
        ("America/New_York", "2024-11-03"),
        ("Australia/Lord_Howe", "2024-04-07"),  # a half-hour change
        ("Australia/Lord_Howe", "2024-10-06"),
    ],
)
def test_utc_times_follow_the_written_order_on_both_changes(zone: str, day: str) -> None:
    """Every second of the change day, resolved by the rule: never earlier than the second
    written before it. And the kinds found are the right ones (a skipped hour in spring, a
    repeated one in autumn; Lord Howe moves by 30 minutes)."""
    tz = ZoneInfo(zone)
    start = datetime.fromisoformat(day)
    previous = None
    kinds: set[str] = set()
    for second in range(0, 24 * 3600, 7):
        wall = start + timedelta(seconds=second)
        utc, kind = timezones.resolve(wall, tz)
        if kind is not None:
            kinds.add(kind)
        if previous is not None:
            assert utc >= previous, (wall, utc, previous)
        previous = utc
        if kind is None:  # an ordinary time converts exactly
            assert utc == wall.replace(tzinfo=tz).astimezone(utc.tzinfo)
    assert len(kinds) == 1


def test_skipped_time_is_the_moment_of_the_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    utc, kind = timezones.resolve(datetime(2023, 3, 26, 2, 7), berlin)
    # the change: 2023-03-26 01:00 UTC (02:00 CET → 03:00 CEST)
    assert (utc.isoformat(), kind) == ("2023-03-26T01:00:00+00:00", timezones.SKIPPED)
    utc, kind = timezones.resolve(datetime(2023, 10, 29, 2, 10), berlin)
    # first occurrence, still CEST (UTC+2): 00:10 UTC
    assert (utc.isoformat(), kind) == ("2023-10-29T00:10:00+00:00", timezones.REPEATED)


def _spring_ledger(tmp: Path) -> Path:
    """A ledger written in UTC: a purchase, a sale at 02:07, a purchase at 02:30 and a sale at
    03:01 (UTC). Read as Europe/Berlin with the old rule (the earlier offset), 02:07 became
    01:07 UTC, after 03:01 CEST (01:01 UTC): the 03:01 sale came first, then 02:07 sold
    units not held — a short at cost 0."""
    path = tmp / "utc.csv"
    path.write_text(
        HEADER
        + row("Trade", "2023-03-26 01:50:00", "B1", buy="1", eur="25000")
        + row("Trade", "2023-03-26 02:07:00", "S1", sell="1", eur="25100")
        + row("Trade", "2023-03-26 02:30:00", "B2", buy="1", eur="25200")
        + row("Trade", "2023-03-26 03:01:00", "S2", sell="1", eur="25400"),
        encoding="utf-8",
    )
    return path


def test_a_utc_ledger_read_as_berlin_keeps_its_figures_and_warns(tmp_path: Path) -> None:
    path = _spring_ledger(tmp_path)
    as_utc = invoke("simulate", path, "-j", "de", "--json", "--timezone", "UTC")
    as_berlin = invoke("simulate", path, "-j", "de", "--json")
    # FIFO on the written order: S1 sells B1 (25,100 − 25,000 = 100), S2 sells B2
    # (25,400 − 25,200 = 200): a 2023 gain of 300 € and no short, read either way.
    want = figures(as_utc)["years"]
    got = figures(as_berlin)["years"]
    assert got == want
    year = want[0]
    assert year["year"] == 2023
    assert (year["raw"]["taxable_gain"], year["raw"]["short_count"]) == ("300.00", 0), year
    warning = [line for line in as_berlin.output.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1, as_berlin.output
    assert "rows 3, 4 have a local time on 2023-03-26" in warning[0]
    assert "does not exist in Europe/Berlin" in warning[0]
    assert "--timezone UTC" in warning[0]
    assert not [line for line in as_utc.output.splitlines() if line.startswith("warning:")]


def test_the_repeated_hour_is_reported_and_keeps_the_written_order(tmp_path: Path) -> None:
    path = tmp_path / "autumn.csv"
    path.write_text(
        HEADER
        + row("Trade", "2023-10-29 01:50:00", "B1", buy="1", eur="30000")
        + row("Trade", "2023-10-29 02:10:00", "S1", sell="1", eur="30050")
        + row("Trade", "2023-10-29 02:40:00", "B2", buy="1", eur="30100")
        + row("Trade", "2023-10-29 02:50:00", "S2", sell="1", eur="30400")
        + row("Trade", "2023-10-29 03:05:00", "B3", buy="1", eur="30500"),
        encoding="utf-8",
    )
    ledger = read_ledger(path)
    times = [t.time for t in ledger.transactions]
    assert times == sorted(times)  # the written order
    assert [t.isoformat() for t in times[1:4]] == [
        "2023-10-29T00:10:00+00:00",  # first occurrence: CEST, UTC+2
        "2023-10-29T00:40:00+00:00",
        "2023-10-29T00:50:00+00:00",
    ]
    assert len(ledger.findings) == 1
    assert "rows 3, 4, 5 have a local time on 2023-10-29" in ledger.findings[0]
    assert "occurs twice" in ledger.findings[0] and "--timezone" in ledger.findings[0]
    result = invoke("diagnose", path)
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "occurs twice" in result.output


def test_xlsx_date_cells_follow_the_same_rule(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group",
               "Comment", "Date"])  # fmt: skip
    ws.append(["Trade", "1", "BTC", "25000", "EUR", "", "", "Kraken", "", "",
               datetime(2023, 3, 26, 2, 7)])  # fmt: skip
    path = tmp_path / "dst.xlsx"
    wb.save(path)
    ledger = read_ledger(path)
    assert ledger.transactions[0].time.isoformat() == "2023-03-26T01:00:00+00:00"
    assert "row 2 has a local time on 2023-03-26" in ledger.findings[0]


# --- the finding in every command's output ----------------------------------------------------


def _spring(path: Path) -> str:
    return f"{path}: " + _SPRING


_SPRING = (
    "rows 3, 4 have a local time on 2023-03-26 in the hour that does not exist in "
    "Europe/Berlin (clocks jump forward): a clock in Europe/Berlin never shows it, so the file "
    "is probably in UTC or another zone; if so, read it again with --timezone UTC (or its "
    "zone). Taken as the moment of the change, in the order written"
)


def test_diagnose_json_has_a_time_zone_finding_naming_the_rows(tmp_path: Path) -> None:
    path = _spring_ledger(tmp_path)
    result = invoke("diagnose", path, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["row_findings"]
    # rows 3 and 4 (02:07 and 02:30, S1 and B2) lie in the skipped hour 02:00–03:00 CET
    assert [(f["cause"], f["change"], f["tx_ids"], f["confidence"]) for f in found] == [
        ("time_zone", "dst_skipped", ["S1", "B2"], "medium")
    ]
    assert found[0]["evidence"][0]["text"] == _spring(path)
    # both resolved to the moment of the change, 01:00 UTC
    assert found[0]["time"] == "2023-03-26T01:00:00Z"
    assert [r["source"] for r in found[0]["evidence"][0]["rows"]] == [f"{path}:3", f"{path}:4"]
    as_utc = invoke("diagnose", path, "--json", "--timezone", "UTC")
    assert json.loads(as_utc.stdout)["row_findings"] == []


def test_diagnose_text_lists_the_repeated_hour_as_a_low_finding(tmp_path: Path) -> None:
    path = tmp_path / "autumn.csv"
    path.write_text(
        HEADER
        + row("Trade", "2023-10-29 01:50:00", "B1", buy="1", eur="30000")
        + row("Trade", "2023-10-29 02:10:00", "S1", sell="1", eur="30050"),
        encoding="utf-8",
    )
    result = invoke("diagnose", path)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "time_zone" in text and "dst_repeated" in text
    assert "row 3 has a local time on 2023-10-29 in the hour that occurs twice" in text
    found = json.loads(invoke("diagnose", path, "--json").stdout)["row_findings"]
    assert [(f["change"], f["tx_ids"], f["priority"]) for f in found] == [
        ("dst_repeated", ["S1"], "low")
    ]


def test_simulate_json_carries_the_notice_and_the_report_lists_it(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = _spring_ledger(tmp_path)
    data = figures(invoke("simulate", path, "-j", "de", "--json"))
    assert data["input_notes"] == [
        {
            "file": str(path),
            "zone": "Europe/Berlin",
            "kind": "skipped",
            "day": "2023-03-26",
            "rows": [3, 4],
            "message": _spring(path),
        }
    ]
    assert "input_notes" not in figures(
        invoke("simulate", path, "-j", "de", "--json", "--timezone", "UTC")
    )
    pdf = tmp_path / "r.pdf"
    result = invoke("report", path, "-j", "de", "-o", pdf)
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages).split())
    assert "Hinweise und Annahmen" in text
    assert _SPRING in text  # after the path, which may wrap
