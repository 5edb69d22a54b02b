"""DAC8 / CARF: mapping, report readers, comparison, checklist and the CLI.

The ledger below is built by hand; each expected figure is worked out in a comment next to it.
Kraken and Binance are reporting platforms, MetaMask is self-custody, Nexo is not in the list.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from taxsim import dac8
from taxsim.dac8 import Category as C
from taxsim.dac8 import LineKey, Severity, Status
from taxsim.engine.types import Disposal, DisposalKind, PassResult
from taxsim.model import IncomeType, InputError, Kind, Ledger, Leg, Transaction
from taxsim.rules import load_rules

RULES = load_rules("de")
SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "client"


def t(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def tx(id: str, time: datetime, kind: Kind, wallet: str = "Kraken", **kw: object) -> Transaction:
    return Transaction(id=id, time=time, kind=kind, wallet=wallet, **kw)  # type: ignore[arg-type]


def L(amount: str, asset: str, eur: str | None = None) -> Leg:
    return Leg(D(amount), asset, D(eur) if eur is not None else None)


LEDGER = Ledger(
    [
        tx("t1", t(2026, 2, 1), Kind.TRADE, buy=L("0.5", "BTC"), sell=L("15000", "EUR"),
           fee=L("15", "EUR")),
        tx("t2", t(2026, 3, 1), Kind.TRADE, buy=L("0.25", "BTC"), sell=L("8000", "EUR")),
        tx("t3", t(2026, 4, 1), Kind.TRADE, sell=L("0.1", "BTC"), buy=L("3500", "EUR"),
           fee=L("3.50", "EUR")),
        tx("t4", t(2026, 5, 1), Kind.TRADE, sell=L("0.1", "BTC", "3600"),
           buy=L("1.2", "ETH", "3590")),
        tx("t5", t(2026, 6, 1), Kind.WITHDRAWAL, sell=L("1", "ETH", "3000"),
           fee=L("0.002", "ETH", "6")),
        tx("t6", t(2026, 6, 1, 10, 30), Kind.DEPOSIT, "MetaMask", buy=L("0.998", "ETH", "2994"),
           chain="ethereum"),
        tx("t7", t(2026, 7, 1), Kind.INCOME, buy=L("0.05", "ETH", "150"),
           income_type=IncomeType.STAKING),
        tx("t8", t(2026, 7, 15), Kind.DEPOSIT, buy=L("2", "SOL", "300")),
        tx("t9", t(2026, 8, 1), Kind.WITHDRAWAL, "Binance", sell=L("0.2", "BTC", "12000")),
        tx("t10", t(2026, 8, 1, 12), Kind.DEPOSIT, buy=L("0.2", "BTC", "12000")),
        tx("t11", t(2026, 9, 1), Kind.SPEND, sell=L("0.3", "BTC", "60000")),
        tx("t12", t(2026, 9, 2), Kind.SPEND, sell=L("0.01", "ETH", "30")),
        tx("t13", t(2026, 10, 1), Kind.TRADE, "MetaMask", sell=L("0.5", "ETH", "1500"),
           buy=L("1500", "USDC", "1500"), chain="ethereum"),
        # 23:30 UTC on 31 Dec 2025 = 00:30 on 1 Jan 2026 in Berlin: UTC year 2025.
        tx("t14", t(2025, 12, 31, 23, 30), Kind.TRADE, buy=L("0.01", "BTC"), sell=L("300", "EUR")),
        tx("t15", t(2026, 10, 5), Kind.TRADE, buy=L("10", "DOT", "50")),
        tx("t16", t(2026, 11, 1), Kind.INCOME, buy=L("1", "ARB", "1"),
           income_type=IncomeType.OTHER),
        tx("t17", t(2026, 11, 2), Kind.INCOME, "Nexo", buy=L("10", "USDC", "10"),
           income_type=IncomeType.INTEREST),
        tx("t18", t(2026, 11, 5), Kind.TRANSFER, sell=L("0.05", "BTC", "3000"),
           buy=L("0.05", "BTC", "3000"), to_wallet="Binance"),
    ]
)  # fmt: skip


@pytest.fixture(scope="module")
def view() -> dac8.Dac8View:
    return dac8.build_view(LEDGER, rules=RULES, year=2026)


def agg(view: dac8.Dac8View, platform: str, asset: str, cat: C, ttype: str = "") -> dac8.Aggregate:
    return view.aggregates[LineKey(platform, 2026, asset, cat, ttype)]


# --- platforms ------------------------------------------------------------------------------


def test_platform_classification(view: dac8.Dac8View) -> None:
    assert view.platforms == {
        "Binance": dac8.PlatformStatus.REPORTING,
        "Kraken": dac8.PlatformStatus.REPORTING,
        "MetaMask": dac8.PlatformStatus.SELF_CUSTODY,
        "Nexo": dac8.PlatformStatus.UNKNOWN,
    }
    cfg = dac8.load_platforms()
    assert cfg.classify("MetaMask Arbitrum") is dac8.PlatformStatus.SELF_CUSTODY  # pattern
    assert cfg.classify("Exodus Wallet") is dac8.PlatformStatus.SELF_CUSTODY  # "* Wallet"
    assert cfg.classify("kraken") is dac8.PlatformStatus.REPORTING  # case-insensitive
    assert cfg.classify("Hot Box", on_chain=True) is dac8.PlatformStatus.SELF_CUSTODY
    assert cfg.classify("Hot Box") is dac8.PlatformStatus.UNKNOWN


def test_platforms_override_file(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text('[reporting]\nnames = ["Nexo"]\n[not_reporting]\nnames = ["Kraken"]\n')
    cfg = dac8.load_platforms(f)
    assert cfg.classify("Nexo") is dac8.PlatformStatus.REPORTING
    assert cfg.classify("Kraken") is dac8.PlatformStatus.NOT_REPORTING
    assert cfg.classify("Binance") is dac8.PlatformStatus.UNKNOWN  # [reporting] replaced
    assert cfg.classify("Ledger") is dac8.PlatformStatus.SELF_CUSTODY  # default kept
    # the wallets of a ledger under either list: each list's own answer, remembered apart
    rows = [tx("1", t(2026, 1, 5), Kind.DEPOSIT, "Nexo", buy=L("1", "BTC")),
            tx("2", t(2026, 1, 6), Kind.DEPOSIT, "Kraken", buy=L("1", "BTC"))]  # fmt: skip
    for _ in range(2):
        assert dac8.classify_wallets(rows, cfg) == {
            "Kraken": dac8.PlatformStatus.NOT_REPORTING,
            "Nexo": dac8.PlatformStatus.REPORTING,
        }
        assert dac8.classify_wallets(rows, dac8.load_platforms()) == {
            "Kraken": dac8.PlatformStatus.REPORTING,
            "Nexo": dac8.PlatformStatus.UNKNOWN,
        }
    f.write_text("[reporting]\nname = 1\n")
    with pytest.raises(InputError, match="p.toml"):
        dac8.load_platforms(f)


# --- mapping --------------------------------------------------------------------------------


def test_crypto_fiat_in_gross_and_net(view: dac8.Dac8View) -> None:
    a = agg(view, "Kraken", "BTC", C.CRYPTO_FIAT_IN)
    # t1 0.5 + t2 0.25 = 0.75 BTC; paid 15000 + 8000 = 23000 EUR net, + 15 EUR fee = 23015 gross.
    # t14 (31 Dec 2025 UTC) belongs to 2025 and is not counted.
    assert (a.units, a.gross, a.net, a.count, a.tx_ids) == (
        D("0.75"), D("23015"), D("23000"), 2, ["t1", "t2"],
    )  # fmt: skip


def test_crypto_fiat_out(view: dac8.Dac8View) -> None:
    a = agg(view, "Kraken", "BTC", C.CRYPTO_FIAT_OUT)
    # t3: received 3500 EUR gross, less the 3.50 EUR fee = 3496.50 net.
    assert (a.units, a.gross, a.net, a.count) == (D("0.1"), D("3500"), D("3496.50"), 1)


def test_swap_gives_out_and_in(view: dac8.Dac8View) -> None:
    out = agg(view, "Kraken", "BTC", C.CRYPTO_TO_CRYPTO_OUT)
    inn = agg(view, "Kraken", "ETH", C.CRYPTO_TO_CRYPTO_IN)
    # t4: FMV of the BTC given 3600, of the ETH received 3590.
    assert (out.units, out.gross, out.tx_ids) == (D("0.1"), D("3600"), ["t4"])
    assert (inn.units, inn.gross, inn.tx_ids) == (D("1.2"), D("3590"), ["t4"])


def test_withdrawal_to_self_custody_is_606_and_transfer_wallet(view: dac8.Dac8View) -> None:
    out = agg(view, "Kraken", "ETH", C.CRYPTO_TRANSFER_OUT, "CARF606")
    tw = agg(view, "Kraken", "ETH", C.TRANSFER_WALLET)
    # t5: 1 ETH worth 3000 EUR to MetaMask (paired with t6); fee 0.002 ETH = 6 EUR -> net 2994.
    assert (out.units, out.gross, out.net, out.fee_units) == (D(1), D(3000), D(2994), D("0.002"))
    assert (tw.units, tw.gross, tw.tx_ids) == (D(1), D(3000), ["t5"])
    assert view.pairs["t5"] == "t6"


def test_own_transfer_between_platforms_is_601_and_505(view: dac8.Dac8View) -> None:
    # t9 Binance -> t10 Kraken (0.2 BTC, paired by amount and time) and the one-row
    # transfer t18 Kraken -> Binance (0.05 BTC): 601 out, 505 in, no TransferWallet.
    assert agg(view, "Binance", "BTC", C.CRYPTO_TRANSFER_OUT, "CARF601").tx_ids == ["t9"]
    assert agg(view, "Kraken", "BTC", C.CRYPTO_TRANSFER_IN, "CARF505").units == D("0.2")
    assert agg(view, "Kraken", "BTC", C.CRYPTO_TRANSFER_OUT, "CARF601").tx_ids == ["t18"]
    assert agg(view, "Binance", "BTC", C.CRYPTO_TRANSFER_IN, "CARF505").units == D("0.05")
    assert LineKey("Kraken", 2026, "BTC", C.TRANSFER_WALLET) not in view.aggregates


def test_income_deposit_spend_one_sided(view: dac8.Dac8View) -> None:
    assert agg(view, "Kraken", "ETH", C.CRYPTO_TRANSFER_IN, "CARF502").gross == D(150)  # t7
    assert agg(view, "Kraken", "ARB", C.CRYPTO_TRANSFER_IN, "CARF508").tx_ids == ["t16"]
    assert agg(view, "Kraken", "SOL", C.CRYPTO_TRANSFER_IN, "CARF509").units == D(2)  # t8
    # t11: 60000 EUR × 1.08 = 64800 USD > 50000 -> RRPT; t12: 30 EUR -> CARF603.
    assert agg(view, "Kraken", "BTC", C.RRPT).gross == D(60000)
    assert agg(view, "Kraken", "ETH", C.CRYPTO_TRANSFER_OUT, "CARF603").units == D("0.01")
    # t15: a trade with only its buy leg on Kraken is seen as a transfer in.
    assert agg(view, "Kraken", "DOT", C.CRYPTO_TRANSFER_IN, "CARF509").tx_ids == ["t15"]


def test_nothing_for_self_custody_or_unknown(view: dac8.Dac8View) -> None:
    assert {k.platform for k in view.aggregates} == {"Kraken", "Binance"}
    # Kraken: BTC FiatIn, FiatOut, C2C-Out, 505, 601, RRPT; ETH C2C-In, 606, TransferWallet,
    # 502, 603; SOL 509; DOT 509; ARB 508 = 14 lines. Binance: BTC 601 (t9), 505 (t18) = 2.
    assert len(view.lines(platform="Kraken")) == 14
    assert len(view.lines(platform="Binance")) == 2


def test_rrpt_threshold_uses_the_rate() -> None:
    # 47000 EUR × 1.08 = 50760 USD > 50000 -> RRPT; at a rate of 1.06: 49820 USD -> CARF603.
    spend = Ledger([tx("s", t(2026, 3, 1), Kind.SPEND, sell=L("1", "BTC", "47000"))])
    v = dac8.build_view(spend, rules=RULES)
    assert [k.category for k in v.aggregates] == [C.RRPT]
    v = dac8.build_view(spend, rules=RULES, eur_usd=D("1.06"))
    assert [k.transfer_type for k in v.aggregates] == ["CARF603"]


def test_unvalued_legs_take_the_last_price_and_are_marked_estimated() -> None:
    # e1 values BTC at 30000 / 1 = 30000 EUR a unit. e2 withdraws 0.5 BTC without a value:
    # 0.5 × 30000 = 15000 (a transfer leg, estimated for DAC8 only). e3 swaps 0.1 BTC for
    # ETH, neither leg valued: 0.1 × 30000 = 3000 on both legs (the engine's estimate).
    book = Ledger(
        [
            tx("e1", t(2026, 1, 5), Kind.TRADE, buy=L("1", "BTC", "30000"), sell=L("30000", "EUR")),
            tx("e2", t(2026, 2, 5), Kind.WITHDRAWAL, sell=L("0.5", "BTC")),
            tx("e3", t(2026, 3, 5), Kind.TRADE, sell=L("0.1", "BTC"), buy=L("2", "ETH")),
        ]
    )
    v = dac8.build_view(book, rules=RULES)
    out = agg(v, "Kraken", "BTC", C.CRYPTO_TRANSFER_OUT, "CARF606")
    assert (out.gross, out.estimated) == (D(15000), ["e2"])
    swap_out = agg(v, "Kraken", "BTC", C.CRYPTO_TO_CRYPTO_OUT)
    assert (swap_out.gross, swap_out.estimated) == (D(3000), ["e3"])
    assert agg(v, "Kraken", "BTC", C.CRYPTO_FIAT_IN).estimated == []  # e1 carries its own value
    check = dac8._check_rebuild(v)
    assert check.tx_ids == ["e2", "e3"]
    assert "2 transaction(s) valued at the last price" in check.message_en


def test_gift_and_lost() -> None:
    book = Ledger(
        [
            tx("g1", t(2026, 1, 5), Kind.GIFT, buy=L("1", "ETH", "2000")),
            tx("g2", t(2026, 1, 6), Kind.GIFT, sell=L("0.5", "ETH", "1000")),
            tx("l1", t(2026, 1, 7), Kind.LOST, sell=L("0.1", "ETH", "200")),
        ]
    )
    v = dac8.build_view(book, rules=RULES)
    got = sorted((k.category.value, k.transfer_type, a.tx_ids[0]) for k, a in v.aggregates.items())
    assert got == [
        ("CryptoTransferIn", "CARF509", "g1"),
        ("CryptoTransferOut", "CARF605", "l1"),
        ("CryptoTransferOut", "CARF606", "g2"),
        ("TransferWallet", "", "g2"),
    ]  # fmt: skip


# --- reading reports ------------------------------------------------------------------------

NS_XML = """<?xml version="1.0"?>
<carf:CARF_OECD xmlns:carf="urn:oecd:ties:carf:v1"
    xmlns:stf="urn:oecd:ties:carfstf:v5" version="1.5">
  <carf:MessageSpec><carf:ReportingPeriod>2026-12-31</carf:ReportingPeriod></carf:MessageSpec>
  <carf:CARFBody>
    <carf:RCASP><carf:RCASP_ID><carf:Entity><carf:Name>Payward Kraken Europe Ltd</carf:Name>
    </carf:Entity></carf:RCASP_ID></carf:RCASP>
    <carf:CryptoUsers>
      <carf:RelevantTransactions>
        <carf:CryptoAsset>Ethereum</carf:CryptoAsset>
        <carf:CryptoToCryptoIn><carf:NumberofTransactions>1</carf:NumberofTransactions>
          <carf:Amount currCode="EUR">3590.00</carf:Amount>
          <carf:NumberofUnits>1.2</carf:NumberofUnits>
        </carf:CryptoToCryptoIn>
        <carf:CryptoTransferOut><carf:TransferType>CARF606</carf:TransferType>
          <carf:NumberofTransactions>1</carf:NumberofTransactions>
          <carf:Amount currCode="EUR">3000.00</carf:Amount>
          <carf:NumberofUnits>1</carf:NumberofUnits>
        </carf:CryptoTransferOut>
        <carf:TransferWallet><carf:Amount currCode="EUR">3000.00</carf:Amount>
          <carf:NumberofUnits>1</carf:NumberofUnits></carf:TransferWallet>
      </carf:RelevantTransactions>
    </carf:CryptoUsers>
  </carf:CARFBody>
</carf:CARF_OECD>
"""

# The same figures without namespaces, in the other spelling and in odd letter case.
PLAIN_XML = """<CARF_OECD><MESSAGESPEC><reportingperiod>2026-12-31</reportingperiod></MESSAGESPEC>
<CARFBody><RCASP/><CryptoUsers><RelevantTransactions><CryptoAsset>ETH</CryptoAsset>
<CryptotoCryptoIn><NumberOfTransactions>1</NumberOfTransactions>
<amount currcode="eur">3590.00</amount><NumberOfUnits>1.2</NumberOfUnits></CryptotoCryptoIn>
<cryptotransferout><transfertype>carf606</transfertype><numberoftransactions>1</numberoftransactions>
<amount currCode="EUR">3000</amount><numberofunits>1.000</numberofunits></cryptotransferout>
<TRANSFERWALLET><AMOUNT CURRCODE="EUR">3000</AMOUNT>
<NUMBEROFUNITS>1</NUMBEROFUNITS></TRANSFERWALLET>
</RelevantTransactions></CryptoUsers></CARFBody></CARF_OECD>
"""

EXPECTED_LINES = [
    (LineKey("Kraken", 2026, "ETH", C.CRYPTO_TO_CRYPTO_IN), D("1.2"), D("3590"), 1),
    (LineKey("Kraken", 2026, "ETH", C.CRYPTO_TRANSFER_OUT, "CARF606"), D(1), D(3000), 1),
    (LineKey("Kraken", 2026, "ETH", C.TRANSFER_WALLET), D(1), D(3000), None),
]


def _lines(rep: dac8.PlatformReport) -> list[tuple[LineKey, D, D, int | None]]:
    return [(ln.key, ln.units, ln.amount, ln.count) for ln in rep.lines]


def test_read_namespaced_xml_platform_from_rcasp_name(tmp_path: Path) -> None:
    f = tmp_path / "report.xml"
    f.write_text(NS_XML)
    rep = dac8.read_platform_report(f, known_wallets=["Kraken", "MetaMask"])
    # "Payward Kraken Europe Ltd" contains the wallet name Kraken; "Ethereum" -> ETH.
    assert _lines(rep) == EXPECTED_LINES
    assert rep.scopes == [("Kraken", 2026)]


def test_read_plain_xml_other_spelling_platform_from_file_name(tmp_path: Path) -> None:
    f = tmp_path / "carf_kraken_2026.xml"
    f.write_text(PLAIN_XML)
    assert _lines(dac8.read_platform_report(f)) == EXPECTED_LINES
    # --platform wins over the file name.
    rep = dac8.read_platform_report(f, platform="Binance")
    assert {ln.key.platform for ln in rep.lines} == {"Binance"}


def test_xml_platform_unknown(tmp_path: Path) -> None:
    f = tmp_path / "report.xml"
    f.write_text(PLAIN_XML)
    with pytest.raises(InputError, match="--platform"):
        dac8.read_platform_report(f)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (PLAIN_XML.replace("</CryptotoCryptoIn>", ""), None, "not well-formed"),
        # line numbers of PLAIN_XML: 3 CryptotoCryptoIn, 4 its Amount, 5 the TransferType,
        # 7 TransferWallet
        (PLAIN_XML.replace("carf606", "CARF999"), 5, "CARF999"),
        (PLAIN_XML.replace("carf606", "CARF505"), 5, "expected CARF601"),
        (PLAIN_XML.replace("<TRANSFERWALLET>", "<Bogus/><TRANSFERWALLET>"), 7, "Bogus"),
        (PLAIN_XML.replace(">3590.00<", ">3.590,00<"), 4, "3.590,00"),
        (PLAIN_XML.replace('currcode="eur"', 'currcode="€"'), 4, "ISO 4217"),  # JPY is fine
        (PLAIN_XML.replace("CARF_OECD>", "Other>"), 1, "CARF_OECD"),
        ("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><CARF_OECD/>", 1, "DOCTYPE"),
        ("<CARF_OECD><MessageSpec>", 1, "not well-formed"),
        ("", None, "expected the CSV header"),  # empty: not XML, so read as a (bad) CSV
    ],
)
def test_bad_xml_is_an_input_error(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    f = tmp_path / "carf_kraken_2026.xml"
    f.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        dac8.read_platform_report(f)
    assert err.value.file == str(f)
    if line is not None:
        assert err.value.row == line


def test_read_csv(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text(
        "platform,year,asset,category,transfer_type,units,amount,currency,count\n"
        "kraken,2026,Ethereum,cryptotocryptoin,,1.2,3590.00,EUR,1\n"
        "Kraken,2026,ETH,CryptoTransferOut,CARF606,1,3000,EUR,1\n"
        "Kraken,2026,ETH,TransferWallet,,1,3000,EUR,\n"
    )
    assert _lines(dac8.read_platform_report(f, known_wallets=["Kraken"])) == EXPECTED_LINES


def test_csv_rows_are_spreadsheet_rows_and_quoted_cells_may_hold_line_breaks(
    tmp_path: Path,
) -> None:
    """The header is row 1; a quoted cell with a line break (or U+2028, which str.splitlines
    splits on) belongs to its row, and the rows after it keep their numbers."""
    f = tmp_path / "r.csv"
    f.write_text(
        "platform,year,asset,category,transfer_type,units,amount,currency,count\n"
        '"Kraken\nmain",2026,ETH,TransferWallet,,1,3000,EUR,\n'
        'Kraken,2026,"ETH\u2028",CryptoFiatIn,,1,3000,EUR,1\n'
        "Kraken,2026,ETH,CryptoFiatIn,,1,-5,EUR,1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="an amount") as err:
        dac8.read_platform_report(f, known_wallets=["Kraken"])
    assert (err.value.row, err.value.column) == (4, "amount")
    f.write_text(f.read_text(encoding="utf-8").replace(",-5,", ",5,"), encoding="utf-8")
    rep = dac8.read_platform_report(f, known_wallets=["Kraken"])
    assert [line.where for line in rep.lines] == [f"{f}:2", f"{f}:3", f"{f}:4"]
    assert rep.lines[0].key.platform == "Kraken"  # "Kraken\nmain" names the wallet Kraken
    f.write_text(f.read_text(encoding="utf-8") + 'Kraken,2026,ETH,"a"b,,1,5,EUR,1\n')
    with pytest.raises(InputError, match="malformed CSV") as err:
        dac8.read_platform_report(f, known_wallets=["Kraken"])
    assert err.value.row == 5


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Kraken,2026,ETH,CryptoTransferOut,CARF999,1,3000,EUR,1", "transfer_type", "CARF999"),
        ("Kraken,2026,ETH,CryptoSomething,,1,3000,EUR,1", "category", "unknown category"),
        ("Kraken,26,ETH,CryptoFiatIn,,1,3000,EUR,1", "year", "2026"),
        ("Kraken,2026,ETH,CryptoFiatIn,,one,3000,EUR,1", "units", "number of units"),
        ("Kraken,2026,ETH,CryptoFiatIn,,1,-5,EUR,1", "amount", "an amount"),
        ("Kraken,2026,ETH,CryptoFiatIn,,1,5,EUR,", "count", "number of transactions"),
        ("Kraken,2026,ETH,CryptoFiatIn,CARF501,1,5,EUR,1", "transfer_type", "no transfer type"),
    ],
)
def test_bad_csv_is_an_input_error(tmp_path: Path, row: str, column: str, message: str) -> None:
    f = tmp_path / "r.csv"
    f.write_text(
        ",".join(dac8.CSV_COLUMNS) + "\nKraken,2026,ETH,TransferWallet,,1,3000,EUR,\n" + row
    )
    with pytest.raises(InputError, match=message) as err:
        dac8.read_platform_report(f)
    # the header is row 1: the bad row below the first data row is row 3
    assert (err.value.row, err.value.column) == (3, column)


def test_csv_bad_header(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("platform,year,asset\nKraken,2026,ETH\n")
    with pytest.raises(InputError, match="expected the CSV header"):
        dac8.read_platform_report(f)


# --- comparison -----------------------------------------------------------------------------


def _report(
    tmp_path: Path, view: dac8.Dac8View, edit: str = "", new: str = ""
) -> dac8.PlatformReport:
    text = dac8.render_report_csv(view, "Kraken", 2026)
    if edit:
        assert edit in text
        text = text.replace(edit, new)
    f = tmp_path / "kraken.csv"
    f.write_text(text)
    return dac8.read_platform_report(f)


def test_matching_report_has_no_deviation(tmp_path: Path, view: dac8.Dac8View) -> None:
    rep = _report(tmp_path, view)
    assert len(rep.lines) == 14
    assert dac8.compare(view, [rep]) == []


def test_units_mismatch_names_the_transactions(tmp_path: Path, view: dac8.Dac8View) -> None:
    # Report 0.8 BTC bought instead of 0.75: a units failure behind t1 and t2.
    rep = _report(
        tmp_path, view, "CryptoFiatIn,,0.75,23015.00,EUR,2", "CryptoFiatIn,,0.8,23015.00,EUR,2"
    )
    [dev] = dac8.compare(view, [rep])
    assert (dev.field, dev.severity, dev.expected, dev.reported) == (
        "units", Severity.FAIL, D("0.75"), D("0.8"),
    )  # fmt: skip
    assert dev.tx_ids == ["t1", "t2"]
    assert "0.05" in dev.message_en and "Differenz 0.05" in dev.message_de


def test_fee_units_and_net_amount_are_fee_treatment(tmp_path: Path, view: dac8.Dac8View) -> None:
    # 606 line reported as 1.002 ETH: the 0.002 ETH fee counted in -> info, not failure.
    rep = _report(tmp_path, view, "CARF606,1,3000.00", "CARF606,1.002,3000.00")
    [dev] = dac8.compare(view, [rep])
    assert (dev.field, dev.severity, dev.tx_ids) == ("units", Severity.INFO, ["t5"])
    # Sale of 1 ETH for 100 EUR with a 10 EUR fee: gross 100, net 90; tolerance max(1, 5) = 5.
    book = Ledger([tx("f", t(2026, 2, 2), Kind.TRADE, sell=L("1", "ETH"), buy=L("100", "EUR"),
                      fee=L("10", "EUR"))])  # fmt: skip
    small = dac8.build_view(book, rules=RULES)
    f = tmp_path / "net.csv"
    f.write_text(",".join(dac8.CSV_COLUMNS) + "\nKraken,2026,ETH,CryptoFiatOut,,1,90,EUR,1\n")
    [dev] = dac8.compare(small, [dac8.read_platform_report(f)])
    assert (dev.field, dev.severity, dev.expected, dev.reported) == (
        "amount", Severity.INFO, D("100.00"), D("90"),
    )  # fmt: skip
    f.write_text(",".join(dac8.CSV_COLUMNS) + "\nKraken,2026,ETH,CryptoFiatOut,,1,80,EUR,1\n")
    [dev] = dac8.compare(small, [dac8.read_platform_report(f)])
    assert (dev.field, dev.severity) == ("amount", Severity.FAIL)


def test_amount_tolerance_count_and_missing_lines(tmp_path: Path, view: dac8.Dac8View) -> None:
    # CryptoFiatOut BTC gross 3500: tolerance max(1 % = 35, 5) = 35 -> 3534 passes, 3536 fails.
    ok = _report(
        tmp_path, view, "CryptoFiatOut,,0.1,3500.00,EUR,1", "CryptoFiatOut,,0.1,3534,EUR,1"
    )
    assert dac8.compare(view, [ok]) == []
    bad = _report(
        tmp_path, view, "CryptoFiatOut,,0.1,3500.00,EUR,1", "CryptoFiatOut,,0.1,3536,EUR,2"
    )
    assert [(d.field, d.severity) for d in dac8.compare(view, [bad])] == [
        ("count", Severity.INFO), ("amount", Severity.FAIL),
    ]  # fmt: skip
    # Dropping the SOL line and adding an unknown LTC line.
    text = dac8.render_report_csv(view, "Kraken", 2026)
    sol = next(line for line in text.splitlines() if ",SOL," in line)
    f = tmp_path / "k.csv"
    f.write_text(text.replace(sol, "Kraken,2026,LTC,CryptoFiatIn,,3,200,EUR,1"))
    devs = dac8.compare(view, [dac8.read_platform_report(f)])
    assert [(d.key.asset, d.field, d.tx_ids) for d in devs] == [
        ("LTC", "not_in_ledger", []), ("SOL", "not_reported", ["t8"]),
    ]  # fmt: skip


def test_usd_report_is_converted(tmp_path: Path, view: dac8.Dac8View) -> None:
    # 3500 EUR × 1.08 = 3780 USD.
    rep = _report(tmp_path, view, "CryptoFiatOut,,0.1,3500.00,EUR", "CryptoFiatOut,,0.1,3780,USD")
    assert dac8.compare(view, [rep]) == []


def test_xml_written_by_render_reads_back(tmp_path: Path, view: dac8.Dac8View) -> None:
    f = tmp_path / "carf_kraken_2026.xml"
    f.write_text(dac8.render_carf_xml(view, "Kraken", 2026))
    assert dac8.compare(view, [dac8.read_platform_report(f)]) == []


# --- checklist ------------------------------------------------------------------------------


def _statuses(checks: list[dac8.Check]) -> dict[str, tuple[Status, list[str]]]:
    return {c.key: (c.status, c.tx_ids) for c in checks}


def test_checklist_without_report() -> None:
    checks = dac8.build_checklist(LEDGER, rules=RULES, year=2026)
    assert [c.number for c in checks] == list(range(1, 16))
    s = _statuses(checks)
    assert s["rebuild"] == (Status.PASS, [])
    for key in ("units", "count", "amount", "disposals", "identity"):
        assert s[key][0] is Status.NA
    assert s["fees"][0] is Status.PASS
    assert s["swaps"] == (Status.PASS, [])  # t4: |3600 − 3590| / 3600 = 0.28 % < 2 %
    assert s["income"] == (Status.WARN, ["t16"])  # "other" income has no own code (508)
    assert s["own_transfers"] == (Status.PASS, [])  # t5 -> t6, t9 -> t10
    assert s["unmatched_deposits"] == (Status.WARN, ["t8"])
    assert s["year_boundary"] == (Status.WARN, ["t14"])
    assert s["one_sided"] == (Status.WARN, ["t15"])
    assert s["rrpt"] == (Status.PASS, ["t11"])  # 64800 USD: clear of the 10 % band
    assert s["coverage"][0] is Status.WARN  # Nexo unknown, no report loaded
    cov = next(c for c in checks if c.key == "coverage")
    assert "Nexo" in cov.message_en and "Binance, Kraken" in cov.message_en
    assert all(c.message_de and c.message_en and c.title_de for c in checks)


def test_checklist_with_report_and_pass_result(tmp_path: Path, view: dac8.Dac8View) -> None:
    rep = _report(
        tmp_path, view, "CryptoFiatIn,,0.75,23015.00,EUR,2", "CryptoFiatIn,,0.8,23015.00,EUR,2"
    )
    wallet = {x.id: x.wallet for x in LEDGER.transactions}
    disposals = [
        Disposal(i, t(2026, 1, 1), wallet[i], "BTC", D(1), D(0), D(0), k)
        for i, k in (
            ("t3", DisposalKind.SALE), ("t4", DisposalKind.SWAP), ("t11", DisposalKind.SPEND),
            ("t12", DisposalKind.SPEND), ("t13", DisposalKind.SWAP), ("t5", DisposalKind.FEE),
        )
    ]  # fmt: skip
    s = _statuses(
        dac8.build_checklist(LEDGER, rules=RULES, year=2026, reports=[rep],
                             pass_result=PassResult(disposals=disposals))
    )  # fmt: skip
    assert s["units"] == (Status.FAIL, ["t1", "t2"])
    assert s["count"][0] is Status.PASS and s["amount"][0] is Status.PASS
    # t13 is on MetaMask (not reported), t5's fee disposal is not a reportable sale.
    assert s["disposals"] == (Status.PASS, [])
    # One sale missing in the tax computation: reported t3 without a disposal.
    s = _statuses(
        dac8.build_checklist(
            LEDGER, rules=RULES, year=2026, pass_result=PassResult(disposals=disposals[1:])
        )
    )
    assert s["disposals"] == (Status.WARN, ["t3"])


def test_swap_spread_and_rrpt_band() -> None:
    book = Ledger(
        [
            # |1000 − 950| / 1000 = 5 % > 2 % spread.
            tx(
                "w", t(2026, 3, 1), Kind.TRADE, sell=L("1", "ETH", "1000"), buy=L("9", "SOL", "950")
            ),
            # 48000 EUR × 1.08 = 51840 USD: within 10 % of the limit.
            tx("p", t(2026, 3, 2), Kind.SPEND, sell=L("1", "BTC", "48000")),
        ]
    )
    s = _statuses(dac8.build_checklist(book, rules=RULES))
    assert s["swaps"] == (Status.WARN, ["w"])
    assert s["rrpt"] == (Status.WARN, ["p"])


def test_income_relabelled_by_platform(tmp_path: Path, view: dac8.Dac8View) -> None:
    # The platform reports the staking ETH (t7) as CARF509 "unknown".
    rep = _report(tmp_path, view, "CryptoTransferIn,CARF502", "CryptoTransferIn,CARF509")
    s = _statuses(dac8.build_checklist(LEDGER, rules=RULES, year=2026, reports=[rep]))
    assert s["income"] == (Status.WARN, ["t16", "t7"])


# --- CLI ------------------------------------------------------------------------------------


def _app():  # noqa: ANN202
    from taxsim.cli import _register, app

    _register()
    return app


def _canonical(path: Path, book: Ledger) -> None:
    from taxsim.writers import write_canonical_csv

    write_canonical_csv(book.sorted(), path)


def test_cli_json_and_table(tmp_path: Path, view: dac8.Dac8View) -> None:
    pytest.importorskip("taxsim.readers")
    pytest.importorskip("taxsim.writers")
    from typer.testing import CliRunner

    ledger = tmp_path / "ledger.csv"
    _canonical(ledger, LEDGER)
    report = tmp_path / "kraken.csv"
    report.write_text(
        dac8.render_report_csv(view, "Kraken", 2026).replace(
            "CryptoFiatIn,,0.75,23015.00,EUR,2", "CryptoFiatIn,,0.8,23015.00,EUR,2"
        )
    )
    runner = CliRunner()
    res = runner.invoke(
        _app(), ["dac8", str(ledger), "--platform-report", str(report), "--year", "2026", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    [dev] = data["deviations"]
    assert (dev["asset"], dev["field"], dev["tx_ids"]) == ("BTC", "units", ["t1", "t2"])
    line = next(e for e in data["expected"] if e["category"] == "CryptoFiatIn")
    assert (line["units"], line["amount_gross"], line["amount_net"]) == (
        "0.75",
        "23015.00",
        "23000.00",
    )
    assert len(data["checklist"]) == 15
    res = runner.invoke(_app(), ["dac8", str(ledger), "--platform-report", str(report)])
    assert res.exit_code == 0, res.output
    assert "DAC8 checklist" in res.stdout and "Expected DAC8 report: Kraken" in res.stdout


def test_cli_bad_report_is_input_error(tmp_path: Path) -> None:
    pytest.importorskip("taxsim.readers")
    pytest.importorskip("taxsim.writers")
    from typer.testing import CliRunner

    ledger = tmp_path / "ledger.csv"
    _canonical(ledger, LEDGER)
    bad = tmp_path / "carf_kraken_2026.xml"
    bad.write_text(PLAIN_XML.replace("carf606", "CARF999"))
    res = CliRunner().invoke(_app(), ["dac8", str(ledger), "--platform-report", str(bad)])
    # InputError → "error: <file>, …" and exit code 2, no traceback (taxsim.cli._Group)
    assert res.exit_code == 2
    assert "error:" in res.output and "CARF999" in res.output and "Traceback" not in res.output


# --- the sample client (samples/client, Kraken 2026) ----------------------------------------

# Kraken 2026 in samples/client/ledger.csv: 11 monthly savings-plan buys each of BTC (150 EUR +
# 0.39 EUR fee) and ETH (100 EUR + 0.26 EUR fee), Jan-Nov; 10 staking rewards (28th, Jan-Oct);
# one sale K-0312 of 0.05 BTC for 4604.98 EUR (fee 11.97 EUR).
ETH_BUYS = ["K-0275", "K-0279", "K-0283", "K-0287", "K-0291", "K-0295", "K-0299", "K-0303",
            "K-0307", "K-0311", "K-0316"]  # fmt: skip


@pytest.fixture(scope="module")
def sample_view() -> dac8.Dac8View:
    from taxsim.corrections import apply_corrections, load_corrections
    from taxsim.readers import read_ledger

    book = read_ledger(SAMPLES / "ledger.csv")
    corr = SAMPLES / "corrections.toml"
    if corr.exists():
        book = apply_corrections(book, load_corrections(corr), base_dir=SAMPLES).ledger
    return dac8.build_view(book, rules=RULES, year=2026)


def test_sample_expected_view(sample_view: dac8.Dac8View) -> None:
    got = {(a.key.asset, a.key.category.value, a.key.transfer_type): (a.units, a.gross, a.count)
           for a in sample_view.lines(platform="Kraken")}  # fmt: skip
    assert got == {
        # 0.00145129 + 0.00146925 + … + 0.00164903 = 0.01700491; 11 × (150 + 0.39) = 1654.29
        ("BTC", "CryptoFiatIn", ""): (D("0.01700491"), D("1654.29"), 11),
        ("BTC", "CryptoFiatOut", ""): (D("0.05"), D("4604.98"), 1),
        # 0.02644294 + … + 0.03271916 = 0.32302591; 11 × (100 + 0.26) = 1102.86
        ("ETH", "CryptoFiatIn", ""): (D("0.32302591"), D("1102.86"), 11),
        # 23.04 + 22.95 + 22.89 + 22.78 + 22.68 + 22.55 + 22.43 + 22.29 + 22.13 + 21.99 = 225.73
        ("ETH", "CryptoTransferIn", "CARF502"): (D("0.06661916"), D("225.73"), 10),
    }


def test_sample_carf_xml_matches(sample_view: dac8.Dac8View) -> None:
    rep = dac8.read_platform_report(SAMPLES / "carf_kraken_2026.xml")
    assert rep.scopes == [("Kraken", 2026)]  # from the RCASP name "… (Kraken)"
    assert len(rep.lines) == 4
    assert dac8.compare(sample_view, [rep]) == []


def test_sample_csv_has_the_deliberate_mismatch(sample_view: dac8.Dac8View) -> None:
    # dac8_kraken_2026.csv reports one more ETH purchase than the ledger has: 0.05 ETH for
    # 150 EUR, so ETH CryptoFiatIn is 0.37302591 ETH / 1252.86 EUR / 12 transactions.
    rep = dac8.read_platform_report(SAMPLES / "dac8_kraken_2026.csv")
    devs = dac8.compare(sample_view, [rep])
    assert [(d.key.asset, d.key.category, d.field, d.severity) for d in devs] == [
        ("ETH", C.CRYPTO_FIAT_IN, "units", Severity.FAIL),
        ("ETH", C.CRYPTO_FIAT_IN, "count", Severity.INFO),
        # |1252.86 − 1102.86| = 150 > max(1 % × 1102.86 = 11.03, 5)
        ("ETH", C.CRYPTO_FIAT_IN, "amount", Severity.FAIL),
    ]
    assert (devs[0].expected, devs[0].reported) == (D("0.32302591"), D("0.37302591"))
    assert all(d.tx_ids == ETH_BUYS for d in devs)


def test_sample_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    args = ["dac8", str(SAMPLES / "ledger.csv"), "--year", "2026", "--json",
            "-r", str(SAMPLES / "carf_kraken_2026.xml"),
            "-r", str(SAMPLES / "dac8_kraken_2026.csv")]  # fmt: skip
    if (SAMPLES / "corrections.toml").exists():
        args += ["--corrections", str(SAMPLES / "corrections.toml")]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [(d["report"].endswith(".csv"), d["field"]) for d in data["deviations"]] == [
        (True, "units"), (True, "count"), (True, "amount"),
    ]  # fmt: skip
    status = {c["key"]: c["status"] for c in data["checklist"]}
    # Kraken's one sale K-0312 is a disposal of the tax pass and a CryptoFiatOut line.
    assert status["units"] == "fail" and status["disposals"] == "pass"
    assert status["coverage"] == "warn"  # Bitpanda has no report loaded


def test_rows_written_by_corrections_are_seen_as_the_platform_saw_them() -> None:
    # set_cost_basis documents 0.1 BTC bought for 3,000 € outside the ledger, written into
    # Kraken as a EUR purchase: Kraken never reported it, so no CryptoFiatIn line. add_inflow
    # with a cost basis writes a deposit of 2 SOL as a EUR purchase for 200 €: Kraken saw a
    # deposit, a transfer in (CARF509) of 2 SOL, not a purchase.
    book = Ledger(
        [
            tx("C1:1", t(2026, 2, 1), Kind.TRADE, buy=L("0.1", "BTC", "3000"),
               sell=L("3000", "EUR", "3000"), group="taxsim:set_cost_basis"),
            tx("C2:1", t(2026, 3, 1), Kind.TRADE, buy=L("2", "SOL", "200"),
               sell=L("200", "EUR", "200"), group="taxsim:add_inflow"),
            tx("k1", t(2026, 4, 1), Kind.TRADE, buy=L("0.01", "BTC", "500"),
               sell=L("500", "EUR", "500")),
        ]
    )  # fmt: skip
    view = dac8.build_view(book, rules=RULES, year=2026)
    lines = {(a.key.asset, a.key.category, a.key.transfer_type): (a.units, a.tx_ids)
             for a in view.lines(platform="Kraken")}  # fmt: skip
    assert lines == {
        ("BTC", C.CRYPTO_FIAT_IN, ""): (D("0.01"), ["k1"]),
        ("SOL", C.CRYPTO_TRANSFER_IN, "CARF509"): (D("2"), ["C2:1"]),
    }


def test_transfer_legs_are_estimated_only_in_reporting_years() -> None:
    """The view values transfer legs for DAC8 (CARF reports their market value) only from
    2026 on: earlier rows give no entry, they only set the last price. e1 values BTC at
    30,000 EUR; e2 (2025, a withdrawal without value) stays unvalued; e3 (2026) is estimated
    at 0.2 × 30,000 = 6,000 EUR from e1's price."""
    from taxsim.engine.valuation import value_transactions

    book = [
        tx("e1", t(2024, 1, 5), Kind.TRADE, buy=L("1", "BTC", "30000"), sell=L("30000", "EUR")),
        tx("e2", t(2025, 2, 5), Kind.WITHDRAWAL, sell=L("0.5", "BTC")),
        tx("e3", t(2026, 3, 5), Kind.WITHDRAWAL, sell=L("0.2", "BTC")),
    ]
    valued, notes = value_transactions(book, every_leg_from=t(2026, 1, 1))
    assert [x.sell.eur for x in valued] == [D(30000), None, D(6000)]  # type: ignore[union-attr]
    assert [n.tx_id for n in notes] == ["e3"]
    v = dac8.build_view(Ledger(book), rules=RULES)
    assert [x.id for x in v.in_scope] == ["e3"] and [x.id for x in v.reported] == ["e3"]
    out = agg(v, "Kraken", "BTC", C.CRYPTO_TRANSFER_OUT, "CARF606")
    assert (out.gross, out.estimated) == (D(6000), ["e3"])


def test_view_takes_the_tax_pass_transfer_pairs() -> None:
    """``build_view`` with the pairs of the tax pass over the same ledger (what ``report`` and
    the batch pass in) maps every row as when it pairs the transfers itself: the pairing looks
    at no EUR value, and the view values transfer legs the pass leaves unvalued."""
    from taxsim.engine import run_pass
    from taxsim.readers import read_ledger

    book = read_ledger(SAMPLES / "ledger.csv")
    pairs = run_pass(book.transactions, RULES).transfers
    assert pairs  # the sample has own transfers
    own = dac8.build_view(book, rules=RULES)
    given = dac8.build_view(book, rules=RULES, transfers=pairs)
    assert given.pairs == own.pairs == pairs
    assert given.entries == own.entries and given.aggregates == own.aggregates


def test_packaged_platform_list_read_once() -> None:
    """The packaged list is parsed once per process (a batch checks hundreds of clients); a
    file of the user's still replaces its sections."""
    assert dac8.load_platforms() is dac8.load_platforms()
