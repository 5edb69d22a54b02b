"""German texts of the engines' notes (``Note.message_de``) and the German report showing them.

Every note carries its English text (``message``: JSON, terminal, tests) and the same in German
(``message_de``) with the same figures: amounts, assets and wallets written exactly as in the
English text. The German PDF shows the German text, the English PDF the English one.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from taxsim.cli import _register, app
from taxsim.engine import run_pass
from taxsim.engine.types import Note, NoteKind
from taxsim.model import IncomeType, Kind, Leg, Transaction
from taxsim.readers import read_ledger
from taxsim.rules import load_rules

_register()

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "client"
#: A number of the ledger (an amount, a price, a date's parts); not a tax rate ("27.5 %"),
#: which the German text names in words ("Sondersteuersatz").
NUMBER = re.compile(r"\d+(?:\.\d+)?(?![\d.]| ?%)")


def at(ts: str) -> datetime:
    return datetime.fromisoformat(ts).replace(tzinfo=UTC)


def leg(qty: str, asset: str, eur: str | None = None) -> Leg:
    return Leg(D(qty), asset, D(eur) if eur is not None else None)


def row(tx_id: str, ts: str, kind: Kind, wallet: str, **kw: object) -> Transaction:
    return Transaction(tx_id, at(ts), kind, wallet, **kw)  # type: ignore[arg-type]


def ledger() -> list[Transaction]:
    """One row (or two) per kind of note, in time order."""
    return [
        row("s1", "2021-06-03T10:00:00", Kind.INCOME, "Kraken",
            buy=leg("0.25", "ETH", "500"), income_type=IncomeType.STAKING),
        row("b1", "2023-01-02T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("1.5", "BTC", "30000"), sell=leg("30000", "EUR", "30000")),
        row("b2", "2023-01-03T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("10", "ETH", "12000"), sell=leg("12000", "EUR", "12000")),
        # withdrawal without a deposit
        row("w1", "2023-02-01T10:00:00", Kind.WITHDRAWAL, "Kraken", sell=leg("0.5", "BTC")),
        # deposit without a withdrawal (ghost)
        row("d1", "2023-02-02T10:00:00", Kind.DEPOSIT, "Ledger", buy=leg("2.25", "SOL")),
        # a swap nobody priced: both legs unvalued
        row("u1", "2023-03-01T10:00:00", Kind.TRADE, "Ledger",
            buy=leg("7", "FOO"), sell=leg("1.25", "SOL")),
        # estimated: the last prices in the ledger, and the other side of the swap
        row("e1", "2023-04-01T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("0.1", "BTC"), sell=leg("1.75", "ETH")),
        row("e2", "2023-04-02T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("3", "XRP"), sell=leg("0.3", "ETH")),
        # more sent than held: a withdrawal and a transfer out of empty wallets
        row("x1", "2023-05-01T10:00:00", Kind.WITHDRAWAL, "Bitpanda", sell=leg("0.75", "LTC")),
        row("t1", "2023-05-02T10:00:00", Kind.TRANSFER, "Bitpanda",
            buy=leg("0.5", "DOT"), sell=leg("0.5", "DOT"), to_wallet="Ledger"),
        # transfers: less and more received than sent
        row("t2", "2023-05-03T10:00:00", Kind.TRANSFER, "Kraken",
            buy=leg("0.99", "ETH"), sell=leg("1", "ETH"), to_wallet="Ledger"),
        row("t3", "2023-05-04T10:00:00", Kind.TRANSFER, "Kraken",
            buy=leg("0.6", "ETH"), sell=leg("0.5", "ETH"), to_wallet="Ledger"),
        row("f1", "2023-06-01T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("0.001", "BTC", "20"), sell=leg("20", "EUR", "20"), fee=leg("0.002", "BTC")),
        row("g1", "2023-06-02T10:00:00", Kind.GIFT, "Kraken", buy=leg("4", "ADA")),
        # hard forks: from BTC held (cost not split) and in a wallet without BTC
        row("h1", "2023-06-03T10:00:00", Kind.INCOME, "Kraken",
            buy=leg("0.5", "BCH", "50"), income_type=IncomeType.HARDFORK),
        row("h2", "2023-06-04T10:00:00", Kind.INCOME, "Bitpanda",
            buy=leg("0.5", "BCH", "50"), income_type=IncomeType.HARDFORK),
        # "Swap (non taxable)": a 1:1 wrap of more than held, then a swap taxed as one
        row("c1", "2023-06-06T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("12", "WETH"), sell=leg("12", "ETH"), treatment="carry_over"),
        row("n1", "2023-06-07T10:00:00", Kind.TRADE, "Kraken",
            buy=leg("0.05", "BTC", "1000"), sell=leg("0.9", "WETH", "1000"),
            treatment="swap_non_taxable"),
    ]  # fmt: skip


#: The kinds the ledger above triggers, per rule set (an AT pass taxes every swap as a swap and
#: has no transfer-fee rule; only AT knows old-law income).
EXPECTED = {
    "de": {
        NoteKind.UNMATCHED_WITHDRAWAL,
        NoteKind.GHOST_DEPOSIT,
        NoteKind.UNVALUED,
        NoteKind.ESTIMATED,
        NoteKind.BEYOND_HOLDINGS,
        NoteKind.TRANSFER_FEE,
        NoteKind.AMOUNTS_DIFFER,
        NoteKind.FEE_EXCEEDS_BUY,
        NoteKind.GIFT_RECEIVED,
        NoteKind.FORK_ORIGIN,
        NoteKind.CARRY_OVER,
        NoteKind.SWAP_NON_TAXABLE,
    },
    "at": {
        NoteKind.UNMATCHED_WITHDRAWAL,
        NoteKind.GHOST_DEPOSIT,
        NoteKind.UNVALUED,
        NoteKind.ESTIMATED,
        NoteKind.BEYOND_HOLDINGS,
        NoteKind.AMOUNTS_DIFFER,
        NoteKind.FEE_EXCEEDS_BUY,
        NoteKind.GIFT_RECEIVED,
        NoteKind.FORK_ORIGIN,
        NoteKind.OLD_LAW_INCOME,
    },
}


def names(txs: list[Transaction]) -> set[str]:
    """Every asset and wallet of the ledger."""
    out: set[str] = set()
    for tx in txs:
        out |= {tx.wallet, tx.to_wallet or ""}
        out |= {part.asset for part in (tx.buy, tx.sell, tx.fee) if part is not None}
    return out - {""}


def assert_same_figures(note: Note, known: set[str]) -> None:
    """The German text names every number, asset and wallet of the English one, written alike."""
    assert note.message_de, note
    assert note.message_de != note.message, note
    de_numbers = NUMBER.findall(note.message_de)
    for number in NUMBER.findall(note.message):
        assert number in de_numbers, (number, note)
    for name in known:
        if re.search(rf"\b{re.escape(name)}\b", note.message):
            assert re.search(rf"\b{re.escape(name)}\b", note.message_de), (name, note)


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_every_note_has_a_german_text_with_the_same_figures(jurisdiction: str):
    txs = ledger()
    notes = run_pass(txs, load_rules(jurisdiction)).notes
    assert EXPECTED[jurisdiction] <= {n.kind for n in notes}
    known = names(txs)
    for note in notes:
        assert_same_figures(note, known)


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_german_texts_of_the_main_kinds(jurisdiction: str):
    notes = run_pass(ledger(), load_rules(jurisdiction)).notes
    by_row: dict[tuple[str, NoteKind], str] = {(n.tx_id, n.kind): n.message_de for n in notes}
    withdrawal = by_row[("w1", NoteKind.UNMATCHED_WITHDRAWAL)]
    assert withdrawal.startswith("Auszahlung von 0.5 BTC aus Kraken ohne passende Einzahlung: ")
    assert "Wallet außerhalb des Ledgers" in withdrawal
    ghost = by_row[("d1", NoteKind.GHOST_DEPOSIT)]
    assert ghost.startswith("Einzahlung von 2.25 SOL in Ledger ohne passende Auszahlung: ")
    assert "Anschaffungskosten 0 ohne Kaufhistorie" in ghost
    assert by_row[("u1", NoteKind.UNVALUED)].startswith("kein EUR-Wert für ")
    assert by_row[("e1", NoteKind.ESTIMATED)] == (
        "Abgang 1.75 ETH mit dem letzten Kurs im Ledger bewertet (1200.00 EUR, 2023-01-03); "
        "EUR-Wert geschätzt"
    )
    assert by_row[("e2", NoteKind.ESTIMATED)] == (
        "Zugang 3 XRP mit dem Wert der im Tausch hingegebenen 0.3 ETH bewertet; EUR-Wert geschätzt"
    )
    assert by_row[("x1", NoteKind.BEYOND_HOLDINGS)] == (
        "Abgang von 0.75 LTC aus Bitpanda: Bestand dort um 0.75 zu gering"
    )
    assert by_row[("f1", NoteKind.FEE_EXCEEDS_BUY)] == "Gebühr übersteigt die gekauften 0.001 BTC"


def test_note_without_german_text_defaults_to_empty():
    note = Note("x", "text", NoteKind.OTHER)
    assert note.message_de == ""


# -- no note without a German text, on real-looking ledgers ---------------------------------


def _generated(tmp: Path) -> list[Transaction]:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    rows, _ = generate.generate(1500, 7, gap_rate=0.2)
    path = tmp / "generated.csv"
    generate.write(rows, path)
    return read_ledger(path).transactions


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_no_note_without_german_text_on_the_sample_and_a_generated_ledger(
    jurisdiction: str, tmp_path: Path
):
    rules = load_rules(jurisdiction)
    for txs in (read_ledger(SAMPLE / "ledger.csv").transactions, _generated(tmp_path)):
        notes = run_pass(txs, rules).notes
        assert notes
        missing = [n for n in notes if not n.message_de]
        assert not missing, missing[:3]
        known = names(txs)
        for note in notes:
            assert_same_figures(note, known)


# -- the client report ---------------------------------------------------------------------


def _notes_section(tmp: Path, *args: str) -> tuple[str, str]:
    """The notes section's text and the whole text of the sample's client report."""
    out = tmp / "report.pdf"
    cmd = ["report", str(SAMPLE / "ledger.csv"), "-c", str(SAMPLE / "corrections.toml")]
    result = CliRunner().invoke(app, [*cmd, "-o", str(out), "-q", *args])
    assert result.exit_code == 0, result.output
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(str(out)).pages]
    text = " ".join(pages)
    start = max(text.rfind("Hinweise und Annahmen"), text.rfind("Notes and assumptions"))
    assert start >= 0
    ends = [i for i in (text.find(h, start) for h in ("Anhang", "Appendix")) if i > 0]
    return text[start : min(ends, default=len(text))], text


def test_german_report_shows_the_notes_in_german(tmp_path: Path):
    section, text = _notes_section(tmp_path)
    assert "ohne passende Einzahlung" in section
    assert "Auszahlung von 0.5 BTC aus Kraken ohne passende Einzahlung" in section
    assert "has no matching deposit" not in section
    assert "has no matching deposit" not in text
    assert "Text der Berechnung" not in text


def test_english_report_keeps_the_english_notes(tmp_path: Path):
    section, _ = _notes_section(tmp_path, "--lang", "en")
    assert "withdrawal of 0.5 BTC from Kraken has no matching deposit" in section
    assert "ohne passende Einzahlung: als" not in section
