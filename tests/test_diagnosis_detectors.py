"""The cause detectors one by one, on small ledgers worked out by hand: duplicates, hand edits
(diff of two exports), scam inflows without a contract, bridges between chain-named wallets,
one-sided swaps booked as ``Buy 0``, wallet kinds from names, and the settings file."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from taxsim import diagnosis as dg
from taxsim.corrections import load_corrections
from taxsim.model import IncomeType, Kind, Ledger, Leg, Source, TaxsimError, Transaction
from taxsim.rules import rules_file

D = Decimal
T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


def row(
    n: int,
    kind: Kind,
    wallet: str,
    *,
    at: datetime | None = None,
    buy: tuple[str, str] | tuple[str, str, str] | None = None,
    sell: tuple[str, str] | tuple[str, str, str] | None = None,
    fee: tuple[str, str] | None = None,
    txid: str = "",
    comment: str = "",
    income: IncomeType | None = None,
) -> Transaction:
    def leg(spec: tuple | None) -> Leg | None:
        if spec is None:
            return None
        return Leg(D(spec[0]), spec[1], D(spec[2]) if len(spec) > 2 else None)

    return Transaction(
        id=f"R{n}",
        time=at or T0 + timedelta(days=n),
        kind=kind,
        wallet=wallet,
        buy=leg(buy),
        sell=leg(sell),
        fee=leg(fee),
        income_type=income,
        comment=comment,
        txid=txid,
        source=Source("test.csv", n + 1),
    )


def by_key(findings: list[dg.Finding]) -> dict[tuple[str, str], dg.Finding]:
    return {(f.wallet, f.asset): f for f in findings}


# --- wallets and settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,custody,chain",
    [
        ("ETH Transaction", "chain", "ethereum"),
        ("SOL Transaction", "chain", "solana"),
        ("Arbitrum One", "chain", "arbitrum"),
        ("Base", "chain", "base"),
        ("Polygon", "chain", "polygon"),
        ("MetaMask", "self_custody", "ethereum"),
        ("MetaMask Arbitrum", "self_custody", "arbitrum"),
        ("Ledger", "self_custody", ""),
        ("Coinbase Wallet", "self_custody", ""),  # longer phrase than the exchange "coinbase"
        ("Coinbase", "exchange", ""),  # "base" is no whole word in it
        ("Kraken", "exchange", ""),
        ("Binance", "exchange", ""),
        ("Omas Sparbuch", "unknown", ""),
    ],
)
def test_wallet_kind_from_its_name(name: str, custody: str, chain: str) -> None:
    info = dg.classify_wallets([row(1, Kind.DEPOSIT, name, buy=("1", "ETH"))], dg.load_settings())[
        name
    ]
    assert (info.custody.value, info.chain) == (custody, chain)


def test_wallet_kinds_remembered_per_settings_and_chain() -> None:
    """Names are classified once per settings object and rows' chain (a batch meets the
    same wallets client after client): another list or another chain gets its own answer."""
    settings = dg.load_settings()
    mine = settings.model_copy(
        update={"wallets": settings.wallets.model_copy(update={"exchanges": ["omas sparbuch"]})}
    )
    plain = [row(1, Kind.DEPOSIT, "Omas Sparbuch", buy=("1", "ETH"))]
    chained = [plain[0].with_(chain="base")]
    for _ in range(2):
        assert dg.classify_wallets(plain, settings)["Omas Sparbuch"].custody.value == "unknown"
        assert dg.classify_wallets(plain, mine)["Omas Sparbuch"].custody.value == "exchange"
        info = dg.classify_wallets(chained, settings)["Omas Sparbuch"]
        assert (info.custody.value, info.chain) == ("chain", "base")


def test_settings_file_is_validated(tmp_path: Path) -> None:
    text = rules_file("diagnosis.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["aggregator"]["window_days"] == dg.AGGREGATOR_WINDOW_DAYS
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("window_days = 90", "window_days = -1"), encoding="utf-8")
    with pytest.raises(TaxsimError, match="aggregator.window_days"):
        dg.load_settings(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(text + "\n[oops]\nx = 1\n", encoding="utf-8")
    with pytest.raises(TaxsimError, match="oops"):
        dg.load_settings(unknown)


# --- duplicates ------------------------------------------------------------------------------


def test_a_trade_imported_twice_is_found_and_its_surplus_deleted(tmp_path: Path) -> None:
    # 1 ETH bought; the sale of 1 ETH is in the file twice (API with Tx-ID R2's "K-9", CSV
    # without, the CSV 1 h later: local time vs UTC). Balance 1 − 1 − 1 = −1 at the surplus row.
    at = T0 + timedelta(days=2)
    ledger = Ledger([
        row(1, Kind.TRADE, "Kraken", buy=("1", "ETH", "2000"), sell=("2000", "EUR", "2000")),
        row(2, Kind.TRADE, "Kraken", at=at, sell=("1", "ETH", "2500"),
            buy=("2500", "EUR", "2500"), txid="K-9"),
        row(3, Kind.TRADE, "Kraken", at=at + timedelta(hours=1), sell=("1", "ETH", "2500"),
            buy=("2500", "EUR", "2500")),
    ])  # fmt: skip
    d = dg.diagnose(ledger)
    (f,) = d.findings
    assert (f.wallet, f.asset, f.tipping.tx_id, f.cause) == (
        "Kraken", "ETH", "R3", dg.Cause.DUPLICATE,
    )  # fmt: skip
    assert f.lowest == D(-1)
    (c,) = f.corrections
    assert (c.kind, dict(c.keys)["ids"]) == ("delete", ["R3"])  # the one without a Tx-ID
    (r,) = d.row_findings
    assert (r.cause, r.change, r.tx_ids, r.confidence) == (
        dg.Cause.DUPLICATE, "duplicate", ("R3", "R2"), dg.Confidence.MEDIUM,
    )  # fmt: skip
    # the draft is a valid corrections file
    target = tmp_path / "c.toml"
    target.write_text(
        dg.suggest_corrections(
            d.findings, ledger, corrections_path=target, row_findings=d.row_findings
        ),
        encoding="utf-8",
    )
    kinds = [c.kind for c in load_corrections(target).corrections]
    assert kinds == ["delete"]  # the finding's and the row finding's are one and the same


def test_same_size_trades_with_different_tx_ids_are_not_duplicates() -> None:
    ledger = Ledger([
        row(1, Kind.TRADE, "Kraken", at=T0, buy=("0.1", "BTC"), sell=("4000", "EUR"), txid="A"),
        row(2, Kind.TRADE, "Kraken", at=T0, buy=("0.1", "BTC"), sell=("4000", "EUR"), txid="B"),
    ])  # fmt: skip
    assert dg.diagnose(ledger).row_findings == []


def test_monthly_savings_plan_and_staking_of_equal_size_are_not_duplicates() -> None:
    # the same 150 EUR → 0.005 BTC and the same 0.001 ETH reward, a day or a month apart
    rows = [
        row(n, Kind.TRADE, "Kraken", buy=("0.005", "BTC"), sell=("150", "EUR")) for n in range(3)
    ]
    rows += [
        row(10 + n, Kind.INCOME, "Kraken", buy=("0.001", "ETH"), income=IncomeType.STAKING)
        for n in range(3)
    ]
    assert dg.diagnose(Ledger(rows)).row_findings == []


def test_an_export_imported_twice_without_tx_ids_is_high_confidence() -> None:
    ledger = Ledger([
        row(1, Kind.DEPOSIT, "Ledger", at=T0, buy=("0.3", "BTC")),
        row(2, Kind.DEPOSIT, "Ledger", at=T0, buy=("0.3", "BTC")),
    ])  # fmt: skip
    (r,) = dg.diagnose(ledger).row_findings
    assert (r.tx_ids, r.confidence, r.priority) == (("R2", "R1"), dg.Confidence.HIGH,
                                                    dg.Priority.MEDIUM)  # fmt: skip


# --- hand edits --------------------------------------------------------------------------------


def test_diff_of_two_exports_finds_every_kind_of_edit() -> None:
    # previous export: R1 deposit 1 ETH, R2 deposit 2 ETH, R3 sale 0.5 ETH, R4 staking 0.1,
    # R5 deposit 3 ETH. Now: R1 gone, R2 amount 2 → 0.2, R3 dated 10 days later, R4 booked as
    # a deposit, R5 unchanged, and R6 added inside the old period.
    old = [
        row(1, Kind.DEPOSIT, "MetaMask", buy=("1", "ETH")),
        row(2, Kind.DEPOSIT, "MetaMask", buy=("2", "ETH")),
        row(3, Kind.TRADE, "MetaMask", sell=("0.5", "ETH"), buy=("1000", "USDC")),
        row(4, Kind.INCOME, "MetaMask", buy=("0.1", "ETH"), income=IncomeType.STAKING),
        row(5, Kind.DEPOSIT, "MetaMask", buy=("3", "ETH")),
    ]

    # made-up ids as a reader gives rows without Tx-ID ("<file>:<row>") so only fingerprints
    # can match
    def renamed(tx: Transaction, new_id: str, **changes: object) -> Transaction:
        return tx.with_(id=new_id, **changes)

    previous = Ledger([renamed(t, f"old:{i + 2}") for i, t in enumerate(old)], files=["old.csv"])
    current = Ledger(
        [
            renamed(old[1], "new:2", buy=Leg(D("0.2"), "ETH")),
            renamed(old[2], "new:3", time=old[2].time + timedelta(days=10)),
            renamed(old[3], "new:4", kind=Kind.DEPOSIT, income_type=None),
            renamed(old[4], "new:5"),
            row(6, Kind.WITHDRAWAL, "MetaMask", sell=("0.25", "ETH")).with_(
                id="new:6", time=T0 + timedelta(days=4, hours=12)
            ),
        ],
        files=["new.csv"],
    )
    d = dg.diagnose(current, previous=previous)
    changes = {(r.change, r.tx_ids) for r in d.row_findings}
    assert changes == {
        ("deleted", ("old:2",)),
        ("amount_changed", ("old:3", "new:2")),
        ("date_changed", ("old:4", "new:3")),
        ("type_changed", ("old:5", "new:4")),
        ("added", ("new:6",)),
    }
    # the balance now: 0.2 (day 2) + 0.1 (day 4) − 0.25 (day 4.5) = 0.05; + 3 (day 5) = 3.05;
    # − 0.5 (day 13) = 2.55: never below 0, so the edits explain no negative balance here
    assert d.findings == []


def test_an_edited_inflow_is_the_cause_of_the_gap() -> None:
    # previous: deposit 2 BTC (R1), sale 1.5 BTC (R2). Now R1 reads 0.2 BTC (edited by hand):
    # 0.2 − 1.5 = −1.3 at R2; undone, the edit adds 1.8 ≥ 1.3 → manual_edit, high.
    first = row(1, Kind.DEPOSIT, "Ledger", buy=("2", "BTC"), txid="h1")
    sale = row(2, Kind.WITHDRAWAL, "Ledger", sell=("1.5", "BTC"), txid="h2")
    previous = Ledger([first, sale], files=["old.csv"])
    current = Ledger([first.with_(buy=Leg(D("0.2"), "BTC")), sale], files=["new.csv"])
    (f,) = dg.diagnose(current, previous=previous).findings
    assert (f.cause, f.confidence, f.lowest) == (
        dg.Cause.MANUAL_EDIT, dg.Confidence.HIGH, D("-1.3"),
    )  # fmt: skip
    assert [c.kind for c in f.corrections] == ["delete", "restore"]


# --- scam without a contract ------------------------------------------------------------------


def test_fake_usdc_deposit_on_a_chain_wallet_is_a_low_priority_scam() -> None:
    # ETH Transaction: real 1,000 USDC bought (0.92 €), later a plain Deposit of 2,000,000
    # "USDC" that no withdrawal matches, then the fake tokens "sent" on (poisoning): −1,999,000
    # would show if the deposit came after. Here the deposit comes first: no negative balance,
    # but the free inflow is worth ~1.84 M€ (2,000,000 × 0.92) > 100,000 € and 2,000× the
    # wallet's usual USDC movement → a scam row finding, priority low.
    ledger = Ledger([
        row(1, Kind.TRADE, "Kraken", buy=("1000", "USDC"), sell=("920", "EUR")),
        row(2, Kind.WITHDRAWAL, "Kraken", sell=("1000", "USDC")),
        row(3, Kind.DEPOSIT, "ETH Transaction", buy=("1000", "USDC")),
        row(4, Kind.DEPOSIT, "ETH Transaction", buy=("2000000", "USDC")),
    ])  # fmt: skip
    d = dg.diagnose(ledger)
    assert d.findings == []
    (r,) = d.row_findings
    assert (r.cause, r.change, r.tx_ids, r.priority) == (
        dg.Cause.SCAM_TOKEN, "scam_inflow", ("R4",), dg.Priority.LOW,
    )  # fmt: skip
    assert r.corrections[0].kind == "mark_scam"


def test_scam_words_in_the_comment_mark_the_token() -> None:
    # 100 "USDC" airdropped with a phishing comment, then sent on: no size or value signal
    ledger = Ledger([
        row(1, Kind.INCOME, "MetaMask", buy=("100", "USDC"), income=IncomeType.AIRDROP,
            comment="Visit usdc-bonus.com to claim"),
    ])  # fmt: skip
    (r,) = dg.diagnose(ledger).row_findings
    assert r.cause is dg.Cause.SCAM_TOKEN and r.confidence is dg.Confidence.MEDIUM


# --- swaps and bridges without addresses ------------------------------------------------------


def test_buy_zero_trade_is_a_one_sided_swap() -> None:
    # SOL Transaction: 40 SOL given in a trade whose buy leg is missing (CoinTracking "Buy 0
    # USDC"), then 5,000 USDC sent to Kraken → −5,000 USDC: aggregator swap, high (trade
    # without buy leg +3, within 7 days +1, one-sided outflow +1, value 40 × 135 = 5,400 € vs
    # 5,000 × 0.92 = 4,600 €: 4,600 ≥ 0.65 × 5,400 → comparable +2 → 7).
    ledger = Ledger([
        row(1, Kind.TRADE, "Kraken", buy=("40", "SOL", "5400"), sell=("5400", "EUR", "5400")),
        row(2, Kind.WITHDRAWAL, "Kraken", sell=("40", "SOL", "5400"), txid="s1"),
        row(3, Kind.DEPOSIT, "SOL Transaction", buy=("40", "SOL", "5400"), txid="s1"),
        row(4, Kind.TRADE, "SOL Transaction", sell=("40", "SOL", "5400"), comment="Jupiter"),
        row(5, Kind.WITHDRAWAL, "SOL Transaction", sell=("5000", "USDC", "4600"), txid="u1"),
        row(6, Kind.DEPOSIT, "Kraken", buy=("5000", "USDC", "4600"), txid="u1"),
    ])  # fmt: skip
    f = by_key(dg.diagnose(ledger).findings)[("SOL Transaction", "USDC")]
    assert (f.cause, f.confidence, f.tipping.tx_id) == (
        dg.Cause.AGGREGATOR_SWAP, dg.Confidence.HIGH, "R5",
    )  # fmt: skip
    assert {i for e in f.evidence for i in e.tx_ids} == {"R4"}
    assert f.corrections[0].kind == "add_inflow"


def test_bridge_to_a_wrapped_form_on_a_chain_named_wallet() -> None:
    # 2 ETH leave ETH Transaction for Base (no deposit anywhere, comment "Bridge Base"); a week
    # later Base sells 1.5 WETH → WETH −1.5 on Base: one-sided bridge, ETH/WETH one asset.
    ledger = Ledger([
        row(1, Kind.DEPOSIT, "ETH Transaction", buy=("2", "ETH")),
        row(2, Kind.WITHDRAWAL, "ETH Transaction", sell=("2", "ETH"), comment="Bridge Base"),
        row(9, Kind.TRADE, "Base", sell=("1.5", "WETH"), buy=("4000", "USDC")),
    ])  # fmt: skip
    f = by_key(dg.diagnose(ledger).findings)[("Base", "WETH")]
    assert (f.cause, f.confidence) == (dg.Cause.ONE_SIDED_BRIDGE, dg.Confidence.HIGH)
    assert {i for e in f.evidence for i in e.tx_ids} == {"R2"}


def test_deposit_booked_minutes_before_its_withdrawal_is_no_gap() -> None:
    # Kraken → Ledger: the deposit is booked 5 minutes before the withdrawal (clocks) — a pair,
    # not a free inflow, not a missing deposit, no finding at all
    w = row(2, Kind.WITHDRAWAL, "Kraken", sell=("0.5", "BTC"), fee=("0.0001", "BTC"))
    ledger = Ledger([
        row(1, Kind.TRADE, "Kraken", buy=("0.5001", "BTC"), sell=("20000", "EUR")),
        w,
        row(3, Kind.DEPOSIT, "Ledger", at=w.time - timedelta(minutes=5), buy=("0.5", "BTC")),
    ])  # fmt: skip
    d = dg.diagnose(ledger)
    assert d.findings == [] and d.row_findings == []


# --- end to end: the drafts apply and close the gaps -----------------------------------------


def test_suggested_drafts_apply_and_close_four_of_the_five_sample_gaps(tmp_path: Path) -> None:
    # samples/client: the drafts for the deleted deposit (restore), the Jupiter swap
    # (add_inflow), the bridge (link_transfer) and the fake USDC (mark_scam) apply as written;
    # the fifth (merge_export) needs the exchange's full export, a TODO in the draft. After
    # them only Binance × ETH is left negative, and the JSON names every finding's corrections.
    from typer.testing import CliRunner

    from taxsim.cli import _register, app

    _register()
    runner = CliRunner()
    client = Path(__file__).resolve().parent.parent / "samples" / "client"
    draft = tmp_path / "draft.toml"
    result = runner.invoke(app, [
        "diagnose", str(client / "ledger.csv"), "--previous", str(client / "previous_export.csv"),
        "--suggest", str(draft), "--json",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert all(f["corrections"] and f["confidence"] for f in data["findings"])
    kinds = {c.id: c.kind for c in load_corrections(draft).corrections}
    assert sorted(kinds.values()) == [
        "add_inflow", "link_transfer", "mark_scam", "merge_export", "restore",
    ]  # fmt: skip
    usable = ",".join(i for i, k in kinds.items() if k != "merge_export")
    corrected = tmp_path / "corrected.csv"
    result = runner.invoke(app, [
        "apply", str(client / "ledger.csv"), "-c", str(draft), "-o", str(corrected),
        "--format", "canonical", "--only", usable,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["diagnose", str(corrected), "--json"])
    left = json.loads(result.output)["findings"]
    assert [(f["wallet"], f["asset"], f["cause"]) for f in left] == [
        ("Binance", "ETH", "incomplete_history")
    ]


def test_one_exchange_imported_under_two_names_is_a_duplicate() -> None:
    # "Coinbase API" holds 0.5 ETH and sells 0.3 (Tx-ID); "Coinbase CSV" has the same sale at
    # the same second without Tx-ID and nothing to sell: −0.3 there. One account, two names:
    # a duplicate (the pair medium; the surplus covers the gap exactly: high), not an
    # exchange with incomplete history.
    at = T0 + timedelta(days=3)
    ledger = Ledger([
        row(1, Kind.TRADE, "Coinbase API", buy=("0.5", "ETH"), sell=("1000", "EUR"), txid="c1"),
        row(2, Kind.TRADE, "Coinbase API", at=at, sell=("0.3", "ETH"), buy=("900", "EUR"),
            txid="c2"),
        row(3, Kind.TRADE, "Coinbase CSV", at=at, sell=("0.3", "ETH"), buy=("900", "EUR")),
    ])  # fmt: skip
    (f,) = dg.diagnose(ledger).findings
    assert (f.wallet, f.cause, f.confidence) == (
        "Coinbase CSV", dg.Cause.DUPLICATE, dg.Confidence.HIGH,
    )  # fmt: skip
    assert [dict(c.keys)["ids"] for c in f.corrections] == [["R3"]]
