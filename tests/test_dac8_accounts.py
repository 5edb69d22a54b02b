"""Accounts of one platform (issue 17, item 4 last point; legal review #11, #12, #18).

One RCASP reports all accounts of a user together, and a move the provider manages for the
same user is no transfer (Krypto-MPfG § 6(3)). So Binance → "Binance Earn" gives no line, and
a Binance Earn staking reward is a line of Binance's report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

from taxsim import dac8
from taxsim.dac8 import Category as C
from taxsim.dac8 import LineKey, PlatformStatus
from taxsim.model import IncomeType, Kind, Ledger, Leg, Transaction
from taxsim.rules import load_rules

RULES = load_rules("de")


def _tx(id: str, when: datetime, kind: Kind, wallet: str, **kw: object) -> Transaction:
    return Transaction(id=id, time=when, kind=kind, wallet=wallet, **kw)  # type: ignore[arg-type]


def _t(m: int, d: int, h: int = 10) -> datetime:
    return datetime(2026, m, d, h, tzinfo=UTC)


LEDGER = Ledger(
    [
        # 1 ETH moved Binance -> Binance Earn (paired: same asset, same units, 1 h apart)
        _tx("w1", _t(3, 1), Kind.WITHDRAWAL, "Binance", sell=Leg(D("1"), "ETH", D("3000"))),
        _tx("d1", _t(3, 1, 11), Kind.DEPOSIT, "Binance Earn", buy=Leg(D("1"), "ETH", D("3000"))),
        # staking reward in Binance Earn: CryptoTransferIn CARF502 in *Binance's* report
        _tx("s1", _t(4, 1), Kind.INCOME, "Binance Earn", buy=Leg(D("0.01"), "ETH", D("30")),
            income_type=IncomeType.STAKING),
        # a one-row transfer Kraken -> "Kraken Staking": also internal
        _tx("x1", _t(5, 1), Kind.TRANSFER, "Kraken", sell=Leg(D("2"), "DOT", D("10")),
            buy=Leg(D("2"), "DOT", D("10")), to_wallet="Kraken Staking"),
        # Binance Earn -> Kraken: a transfer between two platforms stays 601 / 505
        _tx("w2", _t(6, 1), Kind.WITHDRAWAL, "Binance Earn", sell=Leg(D("0.5"), "ETH", D("1500"))),
        _tx("d2", _t(6, 1, 11), Kind.DEPOSIT, "Kraken", buy=Leg(D("0.5"), "ETH", D("1500"))),
    ]
)  # fmt: skip


def test_moves_between_accounts_of_one_platform_give_no_line() -> None:
    view = dac8.build_view(LEDGER, rules=RULES, year=2026)
    assert view.platforms["Binance Earn"] is PlatformStatus.REPORTING
    assert view.reporting() == ["Binance", "Kraken"]
    got = {(k.platform, k.asset, k.category.value, k.transfer_type): (a.units, a.tx_ids)
           for k, a in view.aggregates.items()}  # fmt: skip
    assert got == {
        ("Binance", "ETH", "CryptoTransferIn", "CARF502"): (D("0.01"), ["s1"]),
        ("Binance", "ETH", "CryptoTransferOut", "CARF601"): (D("0.5"), ["w2"]),
        ("Kraken", "ETH", "CryptoTransferIn", "CARF505"): (D("0.5"), ["d2"]),
    }  # no line for w1/d1 (Binance -> Binance Earn) nor x1 (Kraken -> Kraken Staking)


def test_a_report_of_the_platform_covers_its_accounts(tmp_path: Path) -> None:
    csv = tmp_path / "binance.csv"
    csv.write_text(
        ",".join(dac8.CSV_COLUMNS) + "\n"
        "Binance,2026,ETH,CryptoTransferIn,CARF502,0.01,30.00,EUR,1\n"
        "Binance Earn,2026,ETH,CryptoTransferOut,CARF601,0.5,1500.00,EUR,1\n",
        encoding="utf-8",
    )
    rep = dac8.read_platform_report(csv, known_wallets=["Binance", "Binance Earn", "Kraken"])
    assert {ln.key.platform for ln in rep.lines} == {"Binance"}
    view = dac8.build_view(LEDGER, rules=RULES, year=2026)
    assert dac8.compare(view, [rep]) == []
    checks = {c.key: c for c in dac8.build_checklist(LEDGER, rules=RULES, year=2026,
                                                      reports=[rep], view=view)}  # fmt: skip
    assert "No report loaded for Kraken:" in checks["coverage"].message_en
    assert "Binance" not in checks["coverage"].message_en.replace("Kraken", "")


def test_accounts_table_and_rcasp_names(tmp_path: Path) -> None:
    cfg = dac8.load_platforms()
    assert cfg.platform_of("Kraken Pro") == "Kraken"
    assert cfg.platform_of("Bitpanda Pro") == "Bitpanda Pro"  # [accounts]: its own provider
    assert cfg.classify("Coinbase Wallet") is PlatformStatus.SELF_CUSTODY  # not a sub-account
    assert cfg.rcasp("Payward Europe Solutions Limited") == "Kraken"
    own = tmp_path / "platforms.toml"
    own.write_text('[accounts]\n"Savings" = "Kraken"\n', encoding="utf-8")
    mine = dac8.load_platforms(own)
    assert (mine.classify("Savings"), mine.platform_of("Savings")) == (
        PlatformStatus.REPORTING, "Kraken")  # fmt: skip


def test_nuri_is_not_a_reporting_platform() -> None:
    """Nuri filed for insolvency in August 2022 and closed: it never reports under DAC8."""
    cfg = dac8.load_platforms()
    assert cfg.classify("Nuri") is PlatformStatus.NOT_REPORTING
    nuri = Ledger([_tx("n1", _t(2, 1), Kind.WITHDRAWAL, "Nuri",
                       sell=Leg(D("0.1"), "BTC", D("6000")))])  # fmt: skip
    assert dac8.build_view(nuri, rules=RULES).aggregates == {}


def test_the_legal_name_of_the_rcasp_finds_the_platform(tmp_path: Path) -> None:
    """The review's realistic file: RCASP "Payward Europe Solutions Limited" (no "(Kraken)"):
    found through [rcasp_names], no --platform needed."""
    data = Path(__file__).resolve().parent / "data" / "dac8" / "carf_payward_2026.xml"
    rep = dac8.read_platform_report(data, known_wallets=["Kraken"])
    assert {ln.key.platform for ln in rep.lines} == {"Kraken"}
    assert LineKey("Kraken", 2026, "BTC", C.CRYPTO_FIAT_IN) in {ln.key for ln in rep.lines}
