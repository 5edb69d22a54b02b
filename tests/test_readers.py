"""Tests for taxsim.readers.

Expected UTC times are worked out by hand from the Europe/Berlin offsets: CET = UTC+1 in
winter, CEST = UTC+2 from the last Sunday of March 02:00 to the last Sunday of October 03:00
(2017: 26.3.–29.10., 2019: 31.3.–27.10., 2023: 26.3.–29.10., 2024: 31.3.–27.10.).
Row numbers count the header as row 1, so the first data row is row 2.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from taxsim.model import IncomeType, InputError, Kind, Leg
from taxsim.readers import (
    canonical,
    cells,
    csv_file,
    dates,
    detect_format,
    read_ledger,
    read_ledgers,
)

DATA = Path(__file__).parent / "data" / "readers"
D = Decimal


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


V1_HEADER = '"Type","Buy","Cur.","Sell","Cur.","Fee","Cur.","Exchange","Group","Comment","Date"\n'


# --- formats-and-peers.md §1c: the constructed example ------------------------------------


def test_example_v2_with_german_dates() -> None:
    ledger = read_ledger(DATA / "example_v2_german.csv")
    assert ledger.format == "cointracking-trade-list-v2"
    assert ledger.files == [str(DATA / "example_v2_german.csv")]
    t1, t2, t3 = ledger.transactions
    # 03.02.2024 09:15:00 CET (UTC+1) -> 08:15:00 UTC
    assert t1.time == utc(2024, 2, 3, 8, 15)
    assert (t1.id, t1.txid, t1.kind, t1.wallet) == ("KX-7741", "KX-7741", Kind.TRADE, "Kraken")
    assert t1.buy == Leg(D("0.25"), "ETH")
    assert t1.sell == Leg(D("612.4"), "EUR")
    assert t1.fee == Leg(D("1.2"), "EUR")
    # no Tx-ID: id is "<file stem>:<row>"; the withdrawal is the 2nd data row = row 3
    assert t2.id == "example_v2_german:3"
    assert t2.source is not None and t2.source.row == 3
    assert t2.time == utc(2024, 2, 5, 17, 2, 11)
    assert (t2.kind, t2.buy, t2.comment) == (Kind.WITHDRAWAL, None, "to MetaMask")
    assert t2.sell == Leg(D("0.248"), "ETH") and t2.fee == Leg(D("0.002"), "ETH")
    # 11.03.2024 21:40:05 CET -> 20:40:05 UTC
    assert t3.time == utc(2024, 3, 11, 20, 40, 5)
    assert (t3.id, t3.wallet, t3.chain, t3.contract) == ("0x7f3e21", "MetaMask", "", "")
    # the gap the example shows: ETH at MetaMask = 0 in - 0.248 out = -0.248
    metamask_eth = sum(
        (t.buy.amount if t.buy and t.buy.asset == "ETH" else 0)
        - (t.sell.amount if t.sell and t.sell.asset == "ETH" else 0)
        for t in ledger.transactions
        if t.wallet == "MetaMask"
    )
    assert metamask_eth == D("-0.248")


def test_example_import_format() -> None:
    ledger = read_ledger(DATA / "example_import.csv")
    assert ledger.format == "cointracking-import"
    trade, deposit, staking = ledger.transactions
    # Buy/Sell Value in your Account Currency -> the legs' EUR values
    assert trade.buy == Leg(D("0.25"), "ETH", D("612.40"))
    assert trade.sell == Leg(D("612.40"), "EUR", D("612.40"))
    assert trade.fee == Leg(D("1.20"), "EUR", None)
    # 2024-02-05 18:20:00 CET -> 17:20 UTC
    assert deposit.time == utc(2024, 2, 5, 17, 20)
    assert (deposit.kind, deposit.wallet, deposit.id) == (
        Kind.DEPOSIT,
        "Ledger",
        "example_import:3",
    )
    # 2024-03-01 00:00:00 CET -> 2024-02-29 23:00 UTC (leap year)
    assert staking.time == utc(2024, 2, 29, 23, 0)
    assert (staking.kind, staking.income_type) == (Kind.INCOME, IncomeType.STAKING)
    assert staking.buy == Leg(D("0.0031"), "ETH", D("7.95"))


# --- the other layouts ---------------------------------------------------------------------


def test_v1_types_dashes_and_special_exchanges() -> None:
    ledger = read_ledger(DATA / "v1_rotki_style.csv")
    assert ledger.format == "cointracking-trade-list-v1"
    tx = {t.source.row: t for t in ledger.transactions if t.source}
    assert sorted(tx) == list(range(2, 10))
    # "-" and "" are empty: a withdrawal with no buy leg; 13:00:00 CEST -> 11:00 UTC
    assert (tx[2].kind, tx[2].buy, tx[2].wallet) == (Kind.WITHDRAWAL, None, "ETH Transaction")
    assert tx[2].sell == Leg(D("0.001367"), "ETH") and tx[2].fee == Leg(D("0.0001"), "ETH")
    assert tx[2].time == utc(2019, 9, 20, 11, 0)
    assert tx[3].time == utc(2019, 9, 20, 0, 1, 10)  # 02:01:10 CEST
    assert (tx[4].kind, tx[4].buy, tx[4].wallet) == (
        Kind.GIFT,
        Leg(D("0.001"), "BTC"),
        "no exchange",
    )
    assert tx[4].group == "what is trade group?"
    # minutes only: 03.09.2019 10:00 CEST -> 08:00 UTC
    assert (tx[5].kind, tx[5].income_type, tx[5].time) == (
        Kind.INCOME,
        IncomeType.OTHER,
        utc(2019, 9, 3, 8, 0),
    )
    assert tx[7].income_type is IncomeType.STAKING
    assert tx[7].time == utc(2022, 1, 5, 11, 38)  # 12:38 CET
    # "Stolen / Hacked / Fraud" with spaces; ticker upper-cased
    assert (tx[8].kind, tx[8].sell) == (Kind.STOLEN, Leg(D("0.5"), "AXS"))
    # Other Fee with only a Fee amount: a spend of the fee, marked in group and comment
    assert (tx[9].kind, tx[9].sell, tx[9].fee) == (Kind.SPEND, Leg(D("0.001"), "ETH"), None)
    assert (tx[9].group, tx[9].comment) == ("fee", "Other Fee: account fee")
    assert [t.id for t in ledger.transactions][:2] == ["v1_rotki_style:2", "v1_rotki_style:3"]


def test_v3_addresses_trade_id_and_shared_hash() -> None:
    ledger = read_ledger(DATA / "v3_extended.csv")  # has a BOM
    assert ledger.format == "cointracking-trade-list-v3"
    dep, wd, swap1, swap2 = ledger.transactions
    assert (dep.id, dep.txid, dep.from_address, dep.to_address) == (
        "0xhash1",
        "0xhash1",
        "0xaaa",
        "0xbbb",
    )
    assert dep.time == utc(2024, 3, 1, 8, 59)  # "Date", not "Add Date"; 09:59 CET
    # Trade ID is the id, Tx Hash the txid; addresses from the Sell From/To columns
    assert (wd.id, wd.txid, wd.from_address, wd.to_address) == ("T-9", "0xhash2", "0xbbb", "0xccc")
    # two legs of one on-chain transaction: ids <hash>#1, #2 in file order, txid keeps the hash
    assert (swap1.id, swap2.id) == ("0xhash3#1", "0xhash3#2")
    assert swap1.txid == swap2.txid == "0xhash3"
    assert swap1.is_swap and swap2.buy == Leg(D("0.04"), "ETH")


def test_v4_values_in_eur() -> None:
    ledger = read_ledger(DATA / "v4_values.csv")
    assert ledger.format == "cointracking-trade-list-v4"
    trade, staking, withdrawal = ledger.transactions
    assert trade.buy == Leg(D("0.1"), "BTC", D("2500.00"))
    assert trade.sell == Leg(D("2500"), "EUR", D("2500.00"))
    assert trade.fee is None and trade.comment == ""
    assert trade.time == utc(2023, 6, 1, 10, 0)  # 12:00 CEST
    # 2023-06-02 00:30 CEST -> 2023-06-01 22:30 UTC: the UTC date is the day before
    assert staking.time == utc(2023, 6, 1, 22, 30)
    assert staking.buy == Leg(D("0.01"), "DOT", D("0.05"))
    assert withdrawal.sell == Leg(D("0.05"), "BTC", D("1300.50"))


def test_v4_values_in_usd_are_not_taken_as_eur(tmp_path: Path) -> None:
    text = (DATA / "v4_values.csv").read_text().replace("Value in EUR", "Value in USD")
    ledger = read_ledger(write(tmp_path, "usd.csv", text))
    assert ledger.format == "cointracking-trade-list-v4"
    assert ledger.transactions[0].buy == Leg(D("0.1"), "BTC", None)


def test_import_alias_header() -> None:
    ledger = read_ledger(DATA / "import_alias.csv")
    assert ledger.format == "cointracking-import"
    trade, airdrop, lending = ledger.transactions
    assert trade.time == utc(2024, 1, 15, 7, 30)  # 08:30 CET
    assert trade.buy == Leg(D("0.5"), "SOL", D("10.25"))
    assert trade.fee == Leg(D("0.01"), "EUR")
    assert (airdrop.income_type, airdrop.buy) == (IncomeType.AIRDROP, Leg(D("100"), "JUP", D("55")))
    assert (lending.income_type, lending.buy) == (
        IncomeType.LENDING,
        Leg(D("3.2"), "USDC", D("2.95")),
    )


def test_german_excel_semicolon_comma_decimal_euro_sign() -> None:
    ledger = read_ledger(DATA / "german_excel.csv")
    trade, mining = ledger.transactions
    assert trade.sell == Leg(D("612.40"), "EUR")  # "612,40 €"
    assert trade.buy == Leg(D("0.25"), "ETH") and trade.fee == Leg(D("1.2"), "EUR")
    assert trade.comment == "Kauf; mit Semikolon"
    assert trade.time == utc(2024, 2, 3, 8, 15)  # "03.02.2024 09:15" CET
    assert (mining.income_type, mining.buy) == (IncomeType.MINING, Leg(D("0.00012345"), "BTC"))
    assert mining.id == "german_excel:3"


def test_canonical_csv() -> None:
    ledger = read_ledger(DATA / "canonical.csv")
    assert ledger.format == "taxsim-canonical"
    swap, transfer, staking = ledger.transactions
    assert swap.id == "a1" and swap.time == utc(2024, 3, 11, 21, 40, 5)
    assert swap.fee == Leg(D("0.0012"), "ETH", D("3.10"))
    assert (swap.chain, swap.contract) == ("ethereum", "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")
    assert (swap.from_address, swap.to_address, swap.txid) == ("0x1", "0x2", "0xabc")
    # +01:00 offset: 08:00 local -> 07:00 UTC
    assert transfer.time == utc(2024, 3, 12, 7, 0)
    assert (transfer.kind, transfer.wallet, transfer.to_wallet) == (
        Kind.TRANSFER,
        "Kraken",
        "Ledger",
    )
    # safe_cell escapes are undone: "'=HYPERLINK(1)" -> "=HYPERLINK(1)"
    assert (staking.group, staking.comment) == ("=HYPERLINK(1)", "-note")
    assert staking.income_type is IncomeType.STAKING


# --- dates and time zones ------------------------------------------------------------------


def _dates(tmp_path: Path, dates: list[str], timezone: str = "Europe/Berlin") -> list[datetime]:
    rows = "".join(f'"Deposit","1","BTC","","","","","K","","","{d}"\n' for d in dates)
    ledger = read_ledger(write(tmp_path, "d.csv", V1_HEADER + rows), timezone=timezone)
    return [t.time for t in ledger.transactions]


def test_date_formats(tmp_path: Path) -> None:
    assert _dates(
        tmp_path,
        [
            "2020-05-14 11:46:20",  # ISO, CEST -> 09:46:20
            "2020-05-14T11:46",  # T, no seconds
            "2020-05-14T11:46:20+05:30",  # offset wins over the time zone -> 06:16:20
            "2020-05-14T11:46:20Z",
            "20.09.2019 13:00:00",  # German, CEST
            "20.09.2019 13:00",
            "1.2.2020 9:05",  # German without leading zeros, CET
        ],
    ) == [
        utc(2020, 5, 14, 9, 46, 20),
        utc(2020, 5, 14, 9, 46),
        utc(2020, 5, 14, 6, 16, 20),
        utc(2020, 5, 14, 11, 46, 20),
        utc(2019, 9, 20, 11, 0),
        utc(2019, 9, 20, 11, 0),
        utc(2020, 2, 1, 8, 5),
    ]


def test_slash_dates_month_first_unless_a_day_exceeds_12() -> None:
    # us_dates.csv: no first number > 12 -> m/d: 9 May 2017 21:14 CEST, 1 Dec 2017 09:00:30 CET
    us = [t.time for t in read_ledger(DATA / "us_dates.csv").transactions]
    assert us == [utc(2017, 5, 9, 19, 14), utc(2017, 12, 1, 8, 0, 30)]
    # dm_dates.csv: "13/9/2017" -> the whole file is d/m, so "5/9/2017" is 5 September
    dm = [t.time for t in read_ledger(DATA / "dm_dates.csv").transactions]
    assert dm == [utc(2017, 9, 5, 19, 14), utc(2017, 9, 13, 7, 0)]


def test_slash_dates_that_fit_no_single_order(tmp_path: Path) -> None:
    rows = '"Deposit","1","BTC","","","","","K","","","13/9/2017 09:00"\n'
    rows += '"Deposit","1","BTC","","","","","K","","","9/13/2017 09:00"\n'
    with pytest.raises(InputError) as err:
        read_ledger(write(tmp_path, "mixed.csv", V1_HEADER + rows))
    assert (err.value.row, err.value.column) == (3, "Date")
    assert "day/month" in str(err.value)


def test_dst_ambiguous_and_missing_hours(tmp_path: Path) -> None:
    assert _dates(
        tmp_path,
        [
            # 27.10.2024: 02:00-02:59 happens twice; the first (CEST, UTC+2) is taken
            "2024-10-27 02:10:00",
            "2024-10-27 02:50:00",  # same hour, served from the per-hour cache
            "2024-10-27 03:30:00",  # CET again
            # 31.03.2024: 02:00-02:59 does not exist; taken as the moment of the change,
            # 03:00 CEST = 01:00 UTC, so it stays before 03:30 as written (inputs.timezones)
            "2024-03-31 02:30:00",
            "2024-03-31 03:30:00",
            "2024-03-31 01:59:59",
        ],
    ) == [
        utc(2024, 10, 27, 0, 10),
        utc(2024, 10, 27, 0, 50),
        utc(2024, 10, 27, 2, 30),
        utc(2024, 3, 31, 1, 0),
        utc(2024, 3, 31, 1, 30),
        utc(2024, 3, 31, 0, 59, 59),
    ]


def test_half_hour_time_zone_and_hour_cache(tmp_path: Path) -> None:
    # Asia/Kolkata is UTC+05:30: the cached hour start 10:00 local is 04:30 UTC
    times = ["2024-05-01 10:15:00", "2024-05-01 10:45:30", "01.05.2024 10:59:59"]
    assert _dates(tmp_path, times, timezone="Asia/Kolkata") == [
        utc(2024, 5, 1, 4, 45),
        utc(2024, 5, 1, 5, 15, 30),
        utc(2024, 5, 1, 5, 29, 59),
    ]
    assert _dates(tmp_path, ["2024-05-01 10:15:00"], timezone="UTC") == [utc(2024, 5, 1, 10, 15)]


def test_unknown_time_zone(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        _dates(tmp_path, ["2024-05-01 10:15:00"], timezone="Mars/Olympus")


# --- errors name file, row (header = row 1) and column -------------------------------------


def _error(tmp_path: Path, rows: str, header: str = V1_HEADER, name: str = "bad.csv") -> InputError:
    path = write(tmp_path, name, header + rows)
    with pytest.raises(InputError) as err:
        read_ledger(path)
    return err.value


def test_negative_amount_is_an_error(tmp_path: Path) -> None:
    ok = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n'
    bad = '"Withdrawal","","","-0.5","BTC","","","K","","","2024-01-02 00:00:00"\n'
    err = _error(tmp_path, ok + bad)
    path = str(tmp_path / "bad.csv")
    assert (err.file, err.row, err.column) == (path, 3, "Sell")
    assert str(err) == (
        f"{path}, row 3, column 'Sell': expected an amount > 0, got '-0.5' "
        "(negative numbers are errors)"
    )


def test_bad_numbers(tmp_path: Path) -> None:
    for text in ("1,234.5", "1e5", "NaN", "1 000", "0x10", ".5"):
        row = f'"Deposit","{text}","BTC","","","","","K","","","2024-01-01 00:00:00"\n'
        err = _error(tmp_path, row)
        assert (err.row, err.column) == (2, "Buy"), text
        assert "expected a plain decimal number like 1234.5678" in str(err)


def test_comma_decimal_only_in_semicolon_files(tmp_path: Path) -> None:
    header = V1_HEADER.replace(",", ";")
    err = _error(
        tmp_path, '"Deposit";"1.234,5";"BTC";"";"";"";"";"K";"";"";"01.01.2024 00:00"\n', header
    )
    assert (err.row, err.column) == (2, "Buy")
    assert "1234,5678" in str(err)


def test_currency_missing_names_the_repeated_cur_column(tmp_path: Path) -> None:
    err = _error(tmp_path, '"Trade","1","BTC","100","","","","K","","","2024-01-01 00:00:00"\n')
    assert (err.row, err.column) == (2, "Cur. (column 5)")


def test_unknown_types_fail_once_listing_all_then_read_after_mapping(tmp_path: Path) -> None:
    rows = [
        '"Swapperoo","1","BTC","","","","","K","","","2024-01-01 00:00:00"',
        '"Trade","1","BTC","100","EUR","","","K","","","2024-01-02 00:00:00"',
        '"LP Add","","","1","ETH","","","K","","","2024-01-03 00:00:00"',
        '"Swapperoo","2","BTC","","","","","K","","","2024-01-04 00:00:00"',
        '"Swapperoo","3","BTC","","","","","K","","","2024-01-05 00:00:00"',
        '"Swapperoo","4","BTC","","","","","K","","","2024-01-06 00:00:00"',
    ]
    path = write(tmp_path, "u.csv", V1_HEADER + "\n".join(rows) + "\n")
    with pytest.raises(InputError) as info:
        read_ledger(path)
    err = info.value
    # one error: the first unknown row, both types with their counts and first three rows
    assert (err.row, err.column) == (2, "Type")
    assert "2 unknown transaction types: 'Swapperoo' × 4 (rows 2, 5, 6, …); " in str(err)
    assert "'LP Add' × 1 (row 4)" in str(err) and "--type-map" in str(err)
    types = write(tmp_path, "map.toml", '[types]\n"Swapperoo" = "Deposit"\n"lp add" = "Spend"\n')
    txs = read_ledger(path, type_map=types).transactions
    assert [t.kind for t in txs] == [Kind.DEPOSIT, Kind.TRADE, Kind.SPEND] + [Kind.DEPOSIT] * 3
    # a map to a type taxsim does not know is itself an error naming the key
    bad = write(tmp_path, "bad.toml", '[types]\n"Swapperoo" = "Deposits"\n')
    with pytest.raises(InputError) as info:
        read_ledger(path, type_map=bad)
    assert info.value.column == "types.Swapperoo" and "no CoinTracking type" in str(info.value)


def test_legs_that_do_not_fit_the_type(tmp_path: Path) -> None:
    err = _error(tmp_path, '"Deposit","","","1","BTC","","","K","","","2024-01-01 00:00:00"\n')
    assert (err.row, err.column) == (2, "Buy")
    assert "a deposit row needs a Buy amount > 0" in str(err)
    err = _error(tmp_path, '"Spend","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n')
    assert (err.row, err.column, "a spend row needs a Sell amount" in str(err)) == (2, "Sell", True)


def test_bad_date_and_wrong_column_count(tmp_path: Path) -> None:
    err = _error(tmp_path, '"Deposit","1","BTC","","","","","K","","","2024-13-01 00:00:00"\n')
    assert (err.row, err.column) == (2, "Date")
    err = _error(tmp_path, '"Deposit","1","BTC","","","","","K","","","31.02.2024 00:00"\n')
    assert "no such date" in str(err)
    err = _error(tmp_path, '"Deposit","1","BTC"\n')
    assert (err.row, err.column, "expected 11 columns, found 3" in str(err)) == (2, None, True)


def test_unrecognised_header(tmp_path: Path) -> None:
    err = _error(tmp_path, "", header="Date,Amount,Currency\n")
    assert (err.row, err.column) == (1, None)
    assert "unrecognised header" in str(err) and "Date, Amount, Currency" in str(err)


def test_blank_lines_are_counted_but_give_no_transaction(tmp_path: Path) -> None:
    rows = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n\n'
    rows += '"Deposit","2","BTC","","","","","K","","","2024-01-02 00:00:00"\n'
    ledger = read_ledger(write(tmp_path, "blank.csv", V1_HEADER + rows))
    assert [t.source.row for t in ledger.transactions if t.source] == [2, 4]


def test_duplicate_tx_ids_in_v2(tmp_path: Path) -> None:
    header = V1_HEADER.replace('"Date"', '"Date","Tx-ID"')
    rows = "".join(
        f'"Deposit","{n}","BTC","","","","","K","","","2024-01-0{n} 00:00:00","{txid}"\n'
        for n, txid in ((1, "0xa"), (2, "0xb"), (3, "0xa"))
    )
    ledger = read_ledger(write(tmp_path, "dup.csv", header + rows))
    assert [(t.id, t.txid) for t in ledger.transactions] == [
        ("0xa#1", "0xa"),
        ("0xb", "0xb"),
        ("0xa#2", "0xa"),
    ]


def test_canonical_errors(tmp_path: Path) -> None:
    header = (DATA / "canonical.csv").read_text().splitlines()[0] + "\n"
    row = "x,2024-03-11 21:40:05,deposit,,K,,1,BTC,,,,,,,,,,,,,,\n"
    err = _error(tmp_path, row, header)
    assert (err.row, err.column) == (2, "time")
    assert "with offset" in str(err)
    ok = "x,2024-03-11T21:40:05Z,deposit,,K,,1,BTC,,,,,,,,,,,,,,\n"
    err = _error(tmp_path, ok + ok, header)
    assert (err.row, err.column) == (3, "id") and "already used in row 2" in str(err)
    err = _error(tmp_path, ok.replace("deposit,", "income,"), header)
    assert (err.row, err.column) == (2, "income_type")
    err = _error(tmp_path, ok.replace(",1,BTC,", ",0,BTC,"), header)
    assert (err.row, err.column) == (2, "buy_amount")
    err = _error(tmp_path, "", header.replace("to_address", "to_addr"))
    assert (err.row, err.column) == (1, "to_addr")


# Canonical cells: (kind, income_type, buy_amount, buy_asset, buy_eur) → the leg read, or the
# column and message of the error. Expected values from docs/canonical-csv.md: amounts plain
# decimals > 0, values plain decimals >= 0 (surrounding spaces allowed), no exponents, no
# leading or trailing dot; income_type only and always with kind income.
CANONICAL_CELLS = [
    (("deposit", "", "12", "btc", ""), (Decimal("12"), "BTC", None)),
    (("deposit", "", "0.5", "BTC", "0"), (Decimal("0.5"), "BTC", Decimal("0"))),
    (("deposit", "", " 1.50 ", "BTC", "20.10"), (Decimal("1.50"), "BTC", Decimal("20.10"))),
    (("income", "staking", "1", "ETH", "2000"), (Decimal("1"), "ETH", Decimal("2000"))),
    (("deposit", "", "-1", "BTC", ""), ("buy_amount", "expected an amount > 0, got '-1'")),
    (("deposit", "", "0.0", "BTC", ""), ("buy_amount", "expected an amount > 0, got '0.0'")),
    (("deposit", "", ".5", "BTC", ""), ("buy_amount", "plain decimal number")),
    (("deposit", "", "5.", "BTC", ""), ("buy_amount", "plain decimal number")),
    (("deposit", "", "1e5", "BTC", ""), ("buy_amount", "plain decimal number")),
    (("deposit", "", "1", "BTC", "-3"), ("buy_eur", "expected a value >= 0, got '-3'")),
    (("deposit", "", "1", "BTC", "3."), ("buy_eur", "plain decimal number")),
    (("deposit", "", "1", "", ""), ("buy_asset", "required with buy_amount")),
    (("deposit", "", "", "BTC", ""), ("buy_asset", "given without buy_amount")),
    (("deposit", "staking", "1", "BTC", ""), ("income_type", "only allowed for kind income")),
    (("income", "", "1", "BTC", ""), ("income_type", "expected one of staking")),
    (("income", "salary", "1", "BTC", ""), ("income_type", "expected one of staking")),
]


@pytest.mark.parametrize(("cells", "expected"), CANONICAL_CELLS)
def test_canonical_leg_cells(tmp_path: Path, cells: tuple[str, ...], expected: tuple) -> None:
    header = (DATA / "canonical.csv").read_text().splitlines()[0] + "\n"
    kind, income_type, amount, asset, eur = cells
    row = f"x,2024-03-11T21:40:05Z,{kind},{income_type},K,,{amount},{asset},{eur}" + "," * 13
    path = write(tmp_path, "cells.csv", header + row + "\n")
    if isinstance(expected[0], Decimal):
        leg = read_ledger(path).transactions[0].buy
        assert leg is not None
        assert (leg.amount, leg.asset, leg.eur) == expected
        assert str(leg.amount) == str(expected[0])  # the exact digits, trailing zeros kept
        return
    with pytest.raises(InputError) as err:
        read_ledger(path)
    assert (err.value.row, err.value.column) == (2, expected[0])
    assert expected[1] in str(err.value)


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_import_template_with_two_row_header(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["CoinTracking Excel Import data (see docs: https://cointracking.info/import/import_xls/)"]
    )
    ws.append(
        ["Type", "Buy Amount", "Buy Cur.", "Sell Amount", "Sell Cur.", "Feel Amount", "Fee Cur."]
        + ["Exchange", "Trade Group", "Comment", "Date"]
    )
    ws.append(
        [
            "Trade",
            0.1,
            "BTC",
            2500,
            "EUR",
            1.5,
            "EUR",
            "Kraken",
            "",
            "bought",
            datetime(2024, 7, 1, 12, 0),
        ]
    )
    ws.append(
        ["Deposit", -1, "BTC", None, None, None, None, "Kraken", None, None, datetime(2024, 7, 2)]
    )
    path = tmp_path / "import.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_ledger(path)
    # title row 1, header row 2, first data row 3: the bad deposit is row 4
    assert (err.value.row, err.value.column) == (4, "Buy Amount")

    ws.delete_rows(4)
    wb.save(path)
    ledger = read_ledger(path)
    assert ledger.format == "cointracking-import"
    (trade,) = ledger.transactions
    # float cell 0.1 is read as the decimal Excel shows, not 0.1000000000000000055...
    assert trade.buy == Leg(D("0.1"), "BTC") and trade.sell == Leg(D("2500"), "EUR")
    assert trade.fee == Leg(D("1.5"), "EUR")
    assert trade.time == utc(2024, 7, 1, 10, 0)  # date cell, local 12:00 CEST
    assert trade.source is not None and trade.source.row == 3
    assert trade.comment == "bought"


def test_xlsx_v2_layout_on_a_named_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Notes"
    ws = wb.create_sheet("CoinTracking")
    ws.append(
        [
            "Type",
            "Buy",
            "Cur.",
            "Sell",
            "Cur.",
            "Fee",
            "Cur.",
            "Exchange",
            "Group",
            "Comment",
            "Date",
            "Tx-ID",
        ]
    )
    ws.append(
        [
            "Trade",
            "0.25000000",
            "ETH",
            "612.40",
            "EUR",
            None,
            None,
            "Kraken",
            None,
            None,
            "03.02.2024 09:15:00",
            "KX-7741",
        ]
    )
    ws.append([None] * 12)  # empty rows openpyxl reports at the end
    path = tmp_path / "v2.xlsx"
    wb.save(path)
    ledger = read_ledger(path, sheet="CoinTracking")
    assert ledger.format == "cointracking-trade-list-v2"
    assert [(t.id, t.time, t.buy) for t in ledger.transactions] == [
        ("KX-7741", utc(2024, 2, 3, 8, 15), Leg(D("0.25"), "ETH"))
    ]
    with pytest.raises(InputError, match="no sheet 'Missing'"):
        read_ledger(path, sheet="Missing")


def test_xlsx_whole_numbers_and_date_cells(tmp_path: Path) -> None:
    """Excel stores 2500 as the float 2500.0: read as the 2500 Excel shows. A date cell without
    a time is local midnight: 2024-07-01 00:00 CEST = 2024-06-30 22:00 UTC."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group"]
              + ["Comment", "Date"])  # fmt: skip
    ws.append(["Trade", 0.1, "BTC", 2500, "EUR", None, None, "Kraken", None, None,
               date(2024, 7, 1)])  # fmt: skip
    ws["K2"].number_format = "yyyy-mm-dd"
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    (trade,) = read_ledger(path).transactions
    assert str(trade.sell.amount) == "2500" and str(trade.buy.amount) == "0.1"
    assert trade.time == utc(2024, 6, 30, 22, 0)


def test_xlsx_damaged_file_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.xlsx", "this is not a workbook")
    with pytest.raises(InputError, match="cannot read the XLSX file") as err:
        read_ledger(path)
    assert err.value.file == str(path)


# --- detection and merging -----------------------------------------------------------------


def test_detect_format() -> None:
    v1 = [
        "Type",
        "Buy",
        "Cur.",
        "Sell",
        "Cur.",
        "Fee",
        "Cur.",
        "Exchange",
        "Group",
        "Comment",
        "Date",
    ]
    assert detect_format(v1) == "cointracking-trade-list-v1"
    assert detect_format([*v1, "Tx-ID"]) == "cointracking-trade-list-v2"
    assert detect_format([c.upper() for c in v1] + ["", ""]) == "cointracking-trade-list-v1"
    assert detect_format(["id", "time", "kind", "wallet"]) == "taxsim-canonical"
    assert detect_format(["Date", "Sent Amount"]) == "unknown"


def test_read_ledgers_keeps_ids_unique() -> None:
    path = DATA / "example_v2_german.csv"
    ledger = read_ledgers([path, path, DATA / "example_import.csv"])
    ids = [t.id for t in ledger.transactions]
    assert len(ids) == len(set(ids)) == 9
    assert ids[:4] == ["KX-7741", "example_v2_german:3", "0x7f3e21", "example_v2_german/KX-7741"]
    # KX-7741 again in the third file: prefixed with that file's stem
    assert ids[6] == "example_import/KX-7741"
    assert ledger.format == "cointracking-trade-list-v2+cointracking-import"
    assert ledger.files == [str(path), str(path), str(DATA / "example_import.csv")]


def test_fallback_id_never_clashes_with_a_tx_id(tmp_path: Path) -> None:
    header = V1_HEADER.replace('"Date"', '"Date","Tx-ID"')
    rows = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00","f:3"\n'
    rows += '"Deposit","2","BTC","","","","","K","","","2024-01-02 00:00:00",""\n'
    ledger = read_ledger(write(tmp_path, "f.csv", header + rows))
    # row 3 has no Tx-ID; its fallback "f:3" is taken by row 2's Tx-ID
    assert [t.id for t in ledger.transactions] == ["f:3", "f:3+"]


# --- fast paths: each must give exactly what the general path gives ------------------------


@given(st.text(alphabet="0123456789.-+eE_ ,\t٣²", max_size=8) | st.text(max_size=6))
@example("1e5")
@example("NaN")
@example("Infinity")
@example(".5")
@example("5.")
@example("1..2")
@example("")
@example("٣")
def test_plain_number_check_is_the_strict_rule(text: str) -> None:
    # _is_plain (string strip, cheap) must agree with the rule [0-9]+(\.[0-9]+)? everywhere:
    # a text it wrongly accepted would reach Decimal(), which reads "1e5", "NaN", " 1", "+1",
    # "1_0" and Arabic-Indic digits.
    assert cells._is_plain(text) == bool(cells._PLAIN_NUMBER(text))


def test_plain_number_check_examples() -> None:
    assert all(cells._is_plain(t) for t in ["0", "1667", "0.00000001", "138.80099917"])
    rejected = ["1e5", "1E-5", "NaN", "sNaN", "Inf", "-1", "+1", " 1", "1 ", "1_000", ".5"]
    rejected += ["5.", ".", "1.2.3", "1,5", "", "٣", "²"]
    assert not any(cells._is_plain(t) for t in rejected)


def _csv_module(path: Path, delimiter: str) -> tuple[list[object], str]:
    rows: list[object] = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(enumerate(csv.reader(f, delimiter=delimiter, strict=True), start=1))
    except csv.Error as exc:
        return rows, str(exc)
    return rows, ""


def _fast_records(path: Path, delimiter: str, chunk: int) -> tuple[list[object], str]:
    rows: list[object] = []
    saved = csv_file._CHUNK
    csv_file._CHUNK = chunk
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv_file._csv_records(f, delimiter))
    except csv.Error as exc:
        return rows, str(exc)
    finally:
        csv_file._CHUNK = saved
    return rows, ""


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet='ab ;,"\r\n\x00€', max_size=4), min_size=1, max_size=4),
        max_size=6,
    ),
    st.sampled_from([",", ";"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.integers(min_value=1, max_value=40),
)
def test_fast_csv_split_gives_what_the_csv_module_gives(
    table: list[list[str]], delimiter: str, newline: str, quote_all: bool, chunk: int
) -> None:
    # Lines built both ways: quoted like CoinTracking's export (every field in quotes) and
    # as raw text (which is often no valid CSV at all: stray quotes, NUL, lone CR). For each,
    # the records (with their numbers) and any error must be the csv module's, whatever the
    # chunk size (small sizes cut lines and CRLF pairs at every position).
    def line(cells: list[str]) -> str:
        if quote_all:
            return delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)
        return delimiter.join(cells)

    text = newline.join(line(cells) for cells in table)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        assert _fast_records(path, delimiter, chunk) == _csv_module(path, delimiter)


def test_fast_csv_split_keeps_the_field_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "a,b\n" + "x" * 20 + ",y\n")
    saved = csv.field_size_limit(10)
    try:
        assert _fast_records(path, ",", 1 << 18) == _csv_module(path, ",")
        assert _csv_module(path, ",")[1].startswith("field larger than field limit")
    finally:
        csv.field_size_limit(saved)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2008, 1, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from(["%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]),
    st.sampled_from(["Europe/Berlin", "Europe/Vienna", "America/New_York", "UTC"]),
)
@example(datetime(2024, 3, 31, 2, 30), "%d.%m.%Y %H:%M:%S", "Europe/Berlin")  # skipped hour
@example(datetime(2024, 10, 27, 2, 30), "%d.%m.%Y %H:%M:%S", "Europe/Berlin")  # repeated hour
def test_date_fast_path_matches_the_general_parser(when: datetime, fmt: str, zone: str) -> None:
    text = when.strftime(fmt)
    fast = dates._Clock("f", zone, lambda: iter(()))
    general = dates._Clock("f", zone, lambda: iter(()))
    first = fast.parse(text, 2, "Date")  # a new hour: read by position and cached
    again = fast.parse(text, 3, "Date")  # the same hour: from the cache
    assert first == again == general._parse(text, require_offset=False)


def test_date_fast_path_leaves_odd_dates_to_the_general_parser(tmp_path: Path) -> None:
    # Position-wise these look like the usual shape; the general parser must still decide.
    err = _error(tmp_path, '"Deposit","1","BTC","","","","","K","","","31.02.2024 10:00:00"\n')
    assert (err.row, err.column) == (2, "Date") and "no such date" in str(err)
    err = _error(tmp_path, '"Deposit","1","BTC","","","","","K","","","2024-01-01 24:00:00"\n')
    assert (err.row, err.column) == (2, "Date")
    # Arabic-Indic digits: the regular expression's \d reads them, so the fast path must not
    # decide; 01.01.2024 10:00 CET -> 09:00 UTC
    assert _dates(tmp_path, ["٠١.٠١.٢٠٢٤ 10:00:00"]) == [utc(2024, 1, 1, 9)]


def test_repeated_legs_are_reused_but_never_mixed_up(tmp_path: Path) -> None:
    # The same (amount, currency, value) texts give the same leg, also after the leg cache
    # was cleared (bound set to 4 here: row 3 clears it); a different value text is a
    # different leg.
    header = (DATA / "canonical.csv").read_text().splitlines()[0] + "\n"
    rows = "".join(
        f"r{i},2024-01-0{i}T10:00:00Z,trade,,K,,0.5,BTC,{eur},{eur},EUR,{eur},1.5,EUR,1.5,,,,,,,\n"
        for i, eur in enumerate(["100", "100", "101", "100", "100.0"], start=1)
    )
    saved = canonical._LEG_CACHE
    canonical._LEG_CACHE = 4
    try:
        txs = read_ledger(write(tmp_path, "c.csv", header + rows)).transactions
    finally:
        canonical._LEG_CACHE = saved
    assert [t.buy for t in txs] == [
        Leg(D("0.5"), "BTC", D(e)) for e in ["100", "100", "101", "100", "100.0"]
    ]
    assert [t.sell.eur for t in txs if t.sell] == [
        D(e) for e in ["100", "100", "101", "100", "100.0"]
    ]
    assert str(txs[4].sell.eur if txs[4].sell else "") == "100.0"  # written form kept
    assert all(t.fee == Leg(D("1.5"), "EUR", D("1.5")) for t in txs)
    assert txs[1].buy is txs[0].buy  # reused, not rebuilt


@pytest.mark.parametrize("comment", ["plain", '"a ""quoted"" word"'])  # fast split / csv module
def test_progress_reports_rows_read(tmp_path: Path, comment: str) -> None:
    header = (DATA / "canonical.csv").read_text().splitlines()[0]
    rows = [
        f"r{n},2024-03-11T21:40:05Z,deposit,,K,,1,BTC,,,,,,,,,{comment},,,,," for n in range(25_000)
    ]
    path = write(tmp_path, "many.csv", "\n".join([header, *rows]) + "\n")
    seen: list[int] = []
    ledger = read_ledger(path, progress=seen.append)
    assert len(ledger.transactions) == 25_000
    # about every 10,000 rows (per chunk on the fast path), increasing, never past the end
    assert len(seen) == 2 and seen == sorted(seen)
    assert 10_000 <= seen[0] < 20_000 <= seen[1] <= 25_001


def test_xlsx_error_cell_is_an_input_error(tmp_path: Path) -> None:
    """A cell holding an Excel error (#DIV/0!, #N/A …) is refused with its row and column:
    read as empty, a value cell would silently be replaced by an estimate."""
    import re
    import zipfile

    wb = Workbook()
    ws = wb.active
    ws.append(["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group"]
              + ["Comment", "Date"])  # fmt: skip
    ws.append(["Deposit", 1, "BTC", None, None, None, None, "K", None, None, "2024-01-01"])
    ws.append(["Deposit", 2, "BTC", None, None, None, None, "K", None, "x", "2024-01-02"])
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    assert len(read_ledger(path).transactions) == 2
    # Excel's way of storing a formula whose cached result is an error, in cell J3
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, n = re.subn(r'<c r="J3"[^>]*>.*?</c>', '<c r="J3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
                       sheet)  # fmt: skip
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(InputError, match="cell J3 holds the Excel error #DIV/0!") as err:
        read_ledger(path)
    # named by its header (the cell's letter is in the message)
    assert (err.value.row, err.value.column) == (3, "Comment")


# --- review findings: nothing read wrongly, every error names file, row and column ---------


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "book.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Type", "Buy", "Cur.", "Sell", "Cur.", "Fee", "Cur.", "Exchange", "Group"]
              + ["Comment", "Date"])  # fmt: skip
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_xlsx_formula_without_saved_value_is_refused(tmp_path: Path) -> None:
    """openpyxl (and other generators) store a formula without its result; calamine reads
    such a cell as empty, which silently dropped the leg."""
    day = datetime(2024, 3, 1, 10)
    path = _xlsx(tmp_path, [["Trade", 1, "BTC", 100, "EUR", None, None, "K", None, None, day],
                            ["Trade", "=0.5*2", "BTC", 100, "EUR", None, None, "K", None, None,
                             day]])  # fmt: skip
    with pytest.raises(InputError) as err:
        read_ledger(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), 3, "Buy")
    assert "cell B3 holds a formula without a saved value" in str(err.value)


def test_xlsx_formula_with_saved_value_is_read(tmp_path: Path) -> None:
    """Excel and LibreOffice save a formula's result with it: that value is read."""
    import zipfile

    day = datetime(2024, 3, 1, 10)
    path = _xlsx(tmp_path, [["Trade", "=0.5*2", "BTC", 100, "EUR", None, None, "K", None,
                             "=\"note\"", day]])  # fmt: skip
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert sheet.count("<v />") == 2  # openpyxl: no saved values
    sheet = sheet.replace("<f>0.5*2</f><v />", "<f>0.5*2</f><v>1</v>")
    sheet = sheet.replace('<c r="J2">', '<c r="J2" t="str">').replace(
        '<f>"note"</f><v />', '<f>"note"</f><v>note</v>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (tx,) = read_ledger(path).transactions
    assert (tx.buy, tx.comment) == (Leg(D("1"), "BTC"), "note")


def test_semicolon_file_with_comma_decimals_refuses_a_thousands_dot(tmp_path: Path) -> None:
    """30.000 in a file that writes 2,50: thirty thousand with a German thousands dot, not
    thirty. Never guessed: an error naming the cell and the comma decimal that decides."""
    header = V1_HEADER.replace(",", ";")
    rows = '"Trade";"1";"BTC";"30.000";"EUR";"2,50";"EUR";"K";"";"";"01.03.2024 10:00:00"\n'
    err = _error(tmp_path, rows, header)
    assert (err.row, err.column) == (2, "Sell")
    assert "'30.000' is ambiguous" in str(err) and "'2,50' in row 2" in str(err)
    assert "expected 30000 (no thousands separator) or 30,000" in str(err)
    # the comma decimal may come later in the file
    rows = '"Trade";"31.000";"EUR";"1";"BTC";"";"";"K";"";"";"01.06.2024 10:00:00"\n'
    rows += '"Trade";"1";"BTC";"100";"EUR";"2,50";"EUR";"K";"";"";"02.06.2024 10:00:00"\n'
    err = _error(tmp_path, rows, header)
    assert (err.row, err.column) == (2, "Buy") and "'2,50' in row 3" in str(err)


def test_semicolon_file_decides_from_its_other_decimals(tmp_path: Path) -> None:
    header = V1_HEADER.replace(",", ";")
    # dot decimals elsewhere (0.25) and no comma decimal: 1.500 is one and a half
    rows = '"Trade";"1.500";"BTC";"0.25";"ETH";"";"";"K";"";"";"01.03.2024 10:00:00"\n'
    (tx,) = read_ledger(write(tmp_path, "dots.csv", header + rows)).transactions
    assert tx.buy == Leg(D("1.500"), "BTC") and tx.sell == Leg(D("0.25"), "ETH")
    # nothing else to tell: an error, not a guess
    rows = '"Trade";"1.500";"BTC";"1000";"EUR";"";"";"K";"";"";"01.03.2024 10:00:00"\n'
    err = _error(tmp_path, rows, header)
    assert (err.row, err.column) == (2, "Buy") and "'1.500' is ambiguous" in str(err)
    # comma decimals and unambiguous dot numbers read as before
    rows = '"Trade";"1,500";"BTC";"0.5";"ETH";"";"";"K";"";"";"01.03.2024 10:00:00"\n'
    (tx,) = read_ledger(write(tmp_path, "ok.csv", header + rows)).transactions
    assert tx.buy == Leg(D("1.500"), "BTC") and tx.sell == Leg(D("0.5"), "ETH")
    # comma-delimited files are dot-decimal: 30.000 is thirty
    row = '"Trade","1","BTC","30.000","EUR","","","K","","","01.03.2024 10:00:00"\n'
    (tx,) = read_ledger(write(tmp_path, "comma.csv", V1_HEADER + row)).transactions
    assert tx.sell == Leg(D("30.000"), "EUR")


def test_canonical_semicolon_file_refuses_an_ambiguous_number(tmp_path: Path) -> None:
    header = (DATA / "canonical.csv").read_text().splitlines()[0].replace(",", ";") + "\n"
    row = "x;2024-03-11T21:40:05Z;trade;;K;;1;BTC;;30.000;EUR;;2,5;EUR" + ";" * 8 + "\n"
    err = _error(tmp_path, row, header)
    assert (err.row, err.column) == (2, "sell_amount") and "ambiguous" in str(err)


CANONICAL_HEADER = (DATA / "canonical.csv").read_text().splitlines()[0] + "\n"


def test_canonical_strips_names_like_the_cointracking_reader(tmp_path: Path) -> None:
    """' btc' or 'Kraken ' must not become a separate asset or wallet (a phantom short)."""
    rows = "A,2024-01-01T10:00:00Z,trade,,Kraken,,1,BTC,100,100,EUR,100,,,,,,,,,,\n"
    rows += "B ,2024-02-01T10:00:00Z,trade,,Kraken ,,100,EUR,200,1, btc ,200,,,,,,,,,,\n"
    rows += " C,2024-03-01T10:00:00Z,transfer,, Kraken, Ledger ,1, BTC,,1,BTC,,,,,,,,,,,\n"
    a, b, c = read_ledger(write(tmp_path, "ws.csv", CANONICAL_HEADER + rows)).transactions
    assert (b.id, b.wallet, b.sell) == ("B", "Kraken", Leg(D("1"), "BTC", D("200")))
    assert (c.id, c.wallet, c.to_wallet, c.buy) == ("C", "Kraken", "Ledger", Leg(D("1"), "BTC"))
    assert a.wallet == "Kraken"
    err = _error(tmp_path, rows.replace("B ,", " A,"), CANONICAL_HEADER)
    assert (err.row, err.column) == (3, "id") and "already used in row 2" in str(err)
    err = _error(tmp_path, rows.replace("Kraken ,", "   ,"), CANONICAL_HEADER)
    assert (err.row, err.column) == (3, "wallet")
    err = _error(tmp_path, rows.replace(", btc ,", ",  ,"), CANONICAL_HEADER)
    assert (err.row, err.column) == (3, "sell_asset") and "required with sell_amount" in str(err)


@pytest.mark.parametrize(
    ("legs", "column", "message"),
    [
        ("2,ETH,,1,BTC", "buy_asset", "sends BTC and receives ETH; a swap is a trade"),
        ("1.5,BTC,,1,BTC", "buy_amount", "1.5 received, 1 sent; expected buy_amount <= sell"),
    ],
)
def test_canonical_transfer_moves_one_asset_and_no_more(
    tmp_path: Path, legs: str, column: str, message: str
) -> None:
    header = "id,time,kind,wallet,to_wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset\n"
    err = _error(tmp_path, f"A,2024-01-01T10:00:00Z,transfer,Kraken,Ledger,{legs}\n", header)
    assert (err.row, err.column) == (2, column) and message in str(err)


def test_canonical_transfer_may_receive_less_than_sent(tmp_path: Path) -> None:
    # the network fee taken out of the amount
    header = "id,time,kind,wallet,to_wallet,buy_amount,buy_asset,sell_amount,sell_asset\n"
    row = "A,2024-01-01T10:00:00Z,transfer,Kraken,Ledger,0.999,BTC,1,BTC\n"
    (tx,) = read_ledger(write(tmp_path, "t.csv", header + row)).transactions
    assert (tx.buy, tx.sell) == (Leg(D("0.999"), "BTC"), Leg(D("1"), "BTC"))


@pytest.mark.parametrize("exchange", ["", "-", "  "])
def test_empty_exchange_is_refused(tmp_path: Path, exchange: str) -> None:
    """An empty wallet name would be written to a canonical file that cannot be read back."""
    ok = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n'
    bad = f'"Deposit","1","BTC","","","","","{exchange}","","","2024-01-02 00:00:00"\n'
    err = _error(tmp_path, ok + bad)
    assert (err.row, err.column) == (3, "Exchange") and "exchange or wallet name" in str(err)


@pytest.mark.parametrize(
    "date",
    ["0001-01-01 00:30:00", "01.01.0001 00:30", "0001-01-01T00:30:00+01:00",
     "31.12.9999 23:30:00", "9999-12-31T23:30:00Z", "01.01.2101 00:00:00", "31.12.2007 23:59"],
)  # fmt: skip
def test_dates_outside_the_accepted_years_are_input_errors(tmp_path: Path, date: str) -> None:
    """The calendar's ends overflowed the conversion to UTC (OverflowError) or crashed later in
    the engine; a year outside 2008–2100 is a typo."""
    err = _error(tmp_path, f'"Deposit","1","BTC","","","","","K","","","{date}"\n')
    assert (err.row, err.column) == (2, "Date")
    assert "expected a date in the years 2008–2100" in str(err) and date in str(err)
    if date[4] == "-":
        time = date.replace(" ", "T") + ("" if date[-1] == "Z" or "+" in date else "+01:00")
        row = f"x,{time},deposit,,K,,1,BTC" + "," * 14 + "\n"
        err = _error(tmp_path, row, CANONICAL_HEADER)
        assert (err.row, err.column) == (2, "time") and "2008–2100" in str(err)


def test_dates_at_the_ends_of_the_accepted_years_are_read(tmp_path: Path) -> None:
    # 01.01.2008 00:00 CET = 31.12.2007 23:00 UTC; 31.12.2100 23:59:59 CET = 22:59:59 UTC
    assert _dates(tmp_path, ["01.01.2008 00:00:00", "2100-12-31 23:59:59"]) == [
        utc(2007, 12, 31, 23),
        utc(2100, 12, 31, 22, 59, 59),
    ]


def test_xlsx_date_cell_outside_the_accepted_years(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["Deposit", 1, "BTC", None, None, None, None, "K", None, None,
                             datetime(2204, 1, 1)]])  # fmt: skip
    with pytest.raises(InputError, match="2008–2100") as err:
        read_ledger(path)
    assert (err.value.row, err.value.column) == (2, "Date")


def test_stray_quote_names_row_and_column(tmp_path: Path) -> None:
    ok = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n'
    bad = '"Deposit","1","BTC","","","","","K","","a "quoted" word","2024-01-02 00:00:00"\n'
    err = _error(tmp_path, ok * 3 + bad + ok)
    assert (err.row, err.column) == (5, "Comment")
    assert 'a quote inside a quoted cell must be doubled ("")' in str(err)


def test_overlong_cell_and_unclosed_quote_name_row_and_column(tmp_path: Path) -> None:
    ok = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00"\n'
    long = '"Deposit","1","BTC","","","","","K","' + "x" * 140_000 + '","","2024-01-01"\n'
    err = _error(tmp_path, ok + long)
    assert (err.row, err.column) == (3, "Group")
    assert "a cell longer than 131,072 characters" in str(err)
    unclosed = '"Deposit","1","BTC","","","","","K","","","2024-01-01 00:00:00\n'
    err = _error(tmp_path, ok + ok + unclosed)
    assert (err.row, err.column) == (4, "Date") and "not closed" in str(err)
    # a field spanning lines counts as one row: the stray quote is in row 3, line 4
    multi = '"Deposit","1","BTC","","","","","K","","two\nlines","2024-01-01 00:00:00"\n'
    bad = '"Deposit","1","BTC","","","","","K","x"y","","2024-01-02 00:00:00"\n'
    err = _error(tmp_path, multi + bad)
    assert (err.row, err.column) == (3, "Group")


def test_fee_column_without_its_currency_is_refused_at_the_header(tmp_path: Path) -> None:
    header = "Type,Buy Amount,Buy Currency,Sell Amount,Sell Currency,Exchange,Date,Fee\n"
    err = _error(tmp_path, "Trade,1,BTC,30000,EUR,Kraken,2024-01-01 10:00:00,5\n", header)
    assert (err.row, err.column) == (1, "Fee") and "'Fee Currency'" in str(err)
    header = "Type,Buy Amount,Buy Currency,Sell Amount,Sell Currency,Exchange,Date,Fee Cur.\n"
    err = _error(tmp_path, "Trade,1,BTC,30000,EUR,Kraken,2024-01-01 10:00:00,EUR\n", header)
    assert (err.row, err.column) == (1, "Fee Cur.")


@pytest.mark.parametrize("value", ["$100", "100 $", "£5", "¥500", "₿1"])
def test_currency_signs_other_than_euro_are_refused(tmp_path: Path, value: str) -> None:
    err = _error(tmp_path, f'"Trade","1","BTC","{value}","EUR","","","K","","","2024-01-01"\n')
    assert (err.row, err.column) == (2, "Sell") and "currency sign other than €" in str(err)


def test_canonical_accepts_empty_columns_a_spreadsheet_appends(tmp_path: Path) -> None:
    header = "id,time,kind,wallet,buy_amount,buy_asset,buy_eur,,\n"
    rows = "A,2024-01-01T10:00:00Z,deposit,Kraken,1,BTC,,,\n"
    rows += "   ,  ,,,,,,,\n"  # a row of spaces is blank, as in the CoinTracking reader
    rows += "B,2024-01-02T10:00:00Z,deposit,Kraken,2,BTC,,\n"
    a, b = read_ledger(write(tmp_path, "t.csv", header + rows)).transactions
    assert (a.id, a.buy, b.id, b.source.row if b.source else 0) == ("A", Leg(D("1"), "BTC"), "B", 4)
    err = _error(tmp_path, "A,2024-01-01T10:00:00Z,deposit,Kraken,1,BTC,,x,\n", header)
    assert (err.row, "expected 7 columns, found 9" in str(err)) == (2, True)
