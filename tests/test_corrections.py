"""Corrections file: parsing, each kind applied to a hand-built ledger, errors, audit, CLI."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taxsim.corrections import (
    AddInflow,
    Applied,
    MarkScam,
    _to_decimal,
    apply_corrections,
    load_corrections,
    loads_corrections,
)
from taxsim.model import IncomeType, InputError, Kind, Ledger, Leg, TaxsimError, Transaction

D = Decimal
SCAM = "0xdeadbeef00000000000000000000000000000001"


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def tx(id: str, time: str, kind: Kind, wallet: str, **kw: object) -> Transaction:
    return Transaction(id=id, time=t(time), kind=kind, wallet=wallet, **kw)  # type: ignore[arg-type]


def ledger(*rows: Transaction) -> Ledger:
    return Ledger(list(rows), files=["ledger.csv"], format="test")


def run(text: str, book: Ledger, tmp_path: Path | None = None, **kw: object) -> Applied:
    cs = loads_corrections(text, "c.toml")
    return apply_corrections(book, cs, base_dir=tmp_path or Path("."), **kw)  # type: ignore[arg-type]


def ids(applied: Applied) -> list[str]:
    return [row.id for row in applied.ledger.transactions]


def row(applied: Applied, tx_id: str) -> Transaction:
    return next(r for r in applied.ledger.transactions if r.id == tx_id)


# A small MetaMask ledger used by several tests (the constructed example of
# /work/shared/domain/formats-and-peers.md §1c plus a scam airdrop).
BUY = tx(
    "KX-7741", "2024-02-03T09:15:00Z", Kind.TRADE, "Kraken",
    buy=Leg(D("0.25"), "ETH", D("612.40")), sell=Leg(D("612.40"), "EUR", D("612.40")),
    fee=Leg(D("1.20"), "EUR", D("1.20")), txid="KX-7741",
)  # fmt: skip
OUT = tx(
    "W1", "2024-02-05T18:02:11Z", Kind.WITHDRAWAL, "Kraken",
    sell=Leg(D("0.248"), "ETH", D("600")), fee=Leg(D("0.002"), "ETH", D("4.84")), txid="0xaaa",
)  # fmt: skip
IN = tx(
    "D1", "2024-02-05T18:20:00Z", Kind.DEPOSIT, "MetaMask",
    buy=Leg(D("0.248"), "ETH", D("600")), txid="0xaaa",
)  # fmt: skip
AIRDROP = tx(
    "A1", "2024-03-01T10:00:00Z", Kind.DEPOSIT, "MetaMask",
    buy=Leg(D("50000"), "USDC"), contract=SCAM, chain="ethereum", txid="0xscam1",
)  # fmt: skip
SCAM_SALE = tx(
    "A2", "2024-03-02T10:00:00Z", Kind.TRADE, "MetaMask",
    buy=Leg(D("1"), "ETH", D("3000")), sell=Leg(D("50000"), "USDC", D("45000")),
    contract=SCAM, chain="ethereum", txid="0xscam2",
)  # fmt: skip
BOOK = ledger(BUY, OUT, IN, AIRDROP, SCAM_SALE)


def head(cid: str, kind: str, reason: str = "because") -> str:
    return f'[[correction]]\nid = "{cid}"\nkind = "{kind}"\nreason = "{reason}"\n'


# --------------------------------------------------------------------------------------------
# Parsing


def test_load_file_with_meta_evidence_and_exact_values(tmp_path: Path) -> None:
    path = tmp_path / "corrections.toml"
    path.write_text(
        '[meta]\nclient = "Muster"\nauthor = "StB"\ncreated = 2025-01-15\n\n'
        + head("C1", "add_inflow", "Cowswap inflow missing")
        + 'evidence = ["https://etherscan.io/tx/0xbbb", "cowswap.pdf"]\n'
        'asset = "usdc"\namount = "1450.000000000000000001"\nwallet = "MetaMask"\n'
        'time = "2024-03-11T22:40:05+01:00"\neur = 1335\n',
        encoding="utf-8",
    )
    cs = load_corrections(path)
    (c,) = cs.corrections
    assert isinstance(c, AddInflow)
    assert cs.meta.client == "Muster" and cs.file == str(path)
    assert c.evidence == ("https://etherscan.io/tx/0xbbb", "cowswap.pdf")
    # 18 decimals survive exactly (a float would give 1450.0); the integer 1335 becomes Decimal
    assert c.amount == D("1450.000000000000000001") and c.eur == D(1335)
    assert c.asset == "USDC"  # tickers upper-cased
    # 22:40:05 at +01:00 is 21:40:05 UTC
    assert c.time == datetime(2024, 3, 11, 21, 40, 5, tzinfo=UTC)


def test_toml_offset_datetime_is_accepted() -> None:
    cs = loads_corrections(
        head("C1", "set_cost_basis")
        + 'disposal = "A2"\nquantity = "1"\ncost = "100"\nacquired = 2021-05-01T12:00:00+02:00\n'
    )
    assert cs.corrections[0].acquired == datetime(2021, 5, 1, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "column", "words"),
    [
        # TOML float: precision already lost → refused, naming id and key
        (
            'asset = "ETH"\namount = 0.1\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"\neur = "1"',
            "amount",
            ["'C7'", "TOML float 0.1", 'string, e.g. "0.1"'],
        ),
        (
            'asset = "ETH"\namount = "1"\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"\neur = 2.5',
            "eur",
            ["'C7'", "TOML float 2.5"],
        ),
        # unknown key lists what is allowed
        (
            'asset = "ETH"\namount = "1"\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"\n'
            'eur = "1"\namout = "1"',
            "amout",
            ["unknown key", "amount", "counterpart_txid"],
        ),
        # time without offset
        (
            'asset = "ETH"\namount = "1"\nwallet = "W"\ntime = "2024-01-01T00:00:00"\neur = "1"',
            "time",
            ["no UTC offset"],
        ),
        # time that is no time
        (
            'asset = "ETH"\namount = "1"\nwallet = "W"\ntime = "yesterday"\neur = "1"',
            "time",
            ["ISO 8601", "'yesterday'"],
        ),
        # TOML local date instead of a time
        (
            'asset = "ETH"\namount = "1"\nwallet = "W"\ntime = 2024-01-01\neur = "1"',
            "time",
            ["got the date 2024-01-01"],
        ),
        ('asset = "ETH"\namount = "1"\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"', "eur", []),
        (
            'asset = "ETH"\namount = "-1"\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"\neur = "1"',
            "amount",
            ["greater than 0"],
        ),
        (
            'asset = "ETH"\namount = "1,5"\nwallet = "W"\ntime = "2024-01-01T00:00:00Z"\neur = "1"',
            "amount",
            ["'1,5'"],
        ),
    ],
)
def test_bad_values_name_correction_and_key(body: str, column: str, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        loads_corrections(head("C7", "add_inflow") + body, "c.toml")
    assert err.value.file == "c.toml" and err.value.column == column
    assert "correction 'C7' (#1, add_inflow)" in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_structural_errors() -> None:
    with pytest.raises(InputError, match=r"row 3.*not valid TOML") as err:
        loads_corrections('[[correction]]\nid = "C1"\nkind = = "x"\n', "c.toml")
    assert err.value.row == 3
    with pytest.raises(InputError, match="kind to be one of .*'mark_spam'"):
        loads_corrections(head("C1", "mark_spam"))
    with pytest.raises(InputError, match="used twice \\(#1 and #2\\)"):
        loads_corrections(
            head("C1", "delete") + 'ids = ["a"]\n' + head("C1", "delete") + 'ids = ["b"]\n'
        )
    with pytest.raises(InputError, match="required key is missing") as err:
        loads_corrections('[[correction]]\nid = "C1"\nkind = "delete"\nids = ["a"]\n')
    assert err.value.column == "reason"
    with pytest.raises(InputError, match="at least 1 character"):
        loads_corrections(head("C1", "delete", "  ") + 'ids = ["a"]\n')
    with pytest.raises(InputError, match="exactly one of 'contract', 'txids'"):
        loads_corrections(head("C1", "mark_scam") + f'contract = "{SCAM}"\ntxids = ["0x1"]\n')
    with pytest.raises(InputError, match="unknown top-level key"):
        loads_corrections("[corrections]\n")
    with pytest.raises(InputError, match="use kind = 'link_transfer'"):
        loads_corrections(head("C1", "reclassify") + 'ids = ["a"]\nto_kind = "transfer"\n')


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_amount_strings_are_exact(value: Decimal) -> None:
    # written out plainly (str() of a Decimal may use an exponent, which is refused below)
    assert _to_decimal(format(value, "f")) == value


JAN1 = "2024-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "text", ["1e3", "1E+3", "2.5e-1", "NaN", "Infinity", "1_000", ".5", "5.", "1,000.5", "١٢", "+1"]
)
def test_amounts_must_be_plain_numbers_like_in_a_ledger(text: str) -> None:
    """The ledger readers refuse exponents and other non-plain numbers; so do corrections:
    "1e3" must not quietly become 1000 in one file while the ledger rejects it."""
    body = f'asset = "ETH"\namount = "{text}"\nwallet = "W"\ntime = "{JAN1}"\neur = "1"'
    with pytest.raises(InputError) as err:
        loads_corrections(head("C7", "add_inflow") + body, "c.toml")
    assert (err.value.file, err.value.column) == ("c.toml", "amount")
    assert "correction 'C7' (#1, add_inflow)" in str(err.value)
    assert "expected a plain decimal number" in str(err.value) and repr(text) in str(err.value)
    assert "no exponent" in str(err.value)
    # inline restore rows too
    inline = (
        head("C8", "restore") + '[correction.transaction]\ntime = "2024-01-01T00:00:00Z"\n'
        f'kind = "deposit"\nwallet = "W"\nbuy_amount = "1"\nbuy_asset = "ETH"\nbuy_eur = "{text}"\n'
    )
    with pytest.raises(InputError, match="expected a plain decimal number") as err:
        loads_corrections(inline, "c.toml")
    assert err.value.column == "transaction.buy_eur"
    # plain numbers still read exactly
    ok = head("C7", "add_inflow") + body.replace(f'"{text}"', '"0001450.000000000000000001"')
    assert loads_corrections(ok).corrections[0].amount == D("1450.000000000000000001")  # type: ignore[union-attr]


def test_corrections_file_that_is_not_utf8_names_file_line_and_byte(tmp_path: Path) -> None:
    """A file saved as Windows-1252 ('Käse' → byte e4) is an InputError naming the file and
    the line, never a UnicodeDecodeError traceback; also through `simulate -c`."""
    path = tmp_path / "c.toml"
    path.write_bytes(b'[meta]\nclient = "K\xe4se"\n')
    with pytest.raises(InputError) as err:
        load_corrections(path)
    assert (err.value.file, err.value.row) == (str(path), 2)
    message = str(err.value)
    assert "not UTF-8" in message and "byte e4 at line 2, character 12" in message
    assert "(byte offset 18)" in message and "saved as UTF-8" in message
    with_bom = tmp_path / "bom.toml"  # a BOM is fine, and offsets count it
    with_bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(InputError, match=r"line 2, character 12 \(byte offset 21\)"):
        load_corrections(with_bom)
    book, _ = _cli_files(tmp_path)
    result = _invoke("simulate", str(book), "-c", str(path), "--jurisdiction", "de")
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "not UTF-8" in result.output and "Traceback" not in result.output  # type: ignore[attr-defined]
    assert not isinstance(result.exception, UnicodeDecodeError)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Each kind


def test_mark_scam_by_contract_removes_rows_and_keeps_them_in_audit() -> None:
    before = copy.deepcopy(BOOK)
    applied = run(head("C1", "mark_scam", "fake USDC") + f'contract = "{SCAM.upper()}"\n', BOOK)
    assert ids(applied) == ["KX-7741", "W1", "D1"]
    assert [(e.action, e.tx_id) for e in applied.by_correction["C1"]] == [
        ("removed", "A1"),
        ("removed", "A2"),
    ]
    first = applied.audit[0]
    assert first.before == (
        "2024-03-01T10:00:00Z | deposit | MetaMask | +50000 USDC | txid 0xscam1 | contract " + SCAM
    )
    assert first.after == "" and first.reason == "fake USDC" and first.kind == "mark_scam"
    # the input ledger is untouched
    assert before == BOOK and len(BOOK.transactions) == 5
    assert applied.ledger is not BOOK and applied.ledger.transactions is not BOOK.transactions


def test_mark_scam_by_txids_and_by_asset_wallet_period() -> None:
    by_txid = run(head("C1", "mark_scam") + 'txids = ["0xscam1"]\n', BOOK)
    assert ids(by_txid) == ["KX-7741", "W1", "D1", "A2"]
    # USDC in MetaMask between 1 and 1 March 23:59 → only the airdrop A1 (A2 is 2 March)
    period = run(
        head("C1", "mark_scam")
        + 'asset = "USDC"\nwallet = "MetaMask"\nfrom = "2024-03-01T00:00:00Z"\n'
        'to = "2024-03-01T23:59:59Z"\n',
        BOOK,
    )
    assert ids(period) == ["KX-7741", "W1", "D1", "A2"]
    with pytest.raises(
        TaxsimError, match=r"C1 \(mark_scam\) matches no transaction.*chain 'solana'"
    ):
        run(head("C1", "mark_scam") + f'contract = "{SCAM}"\nchain = "solana"\n', BOOK)
    with pytest.raises(
        TaxsimError, match="matches no transaction: no transaction with txid '0xnope'"
    ):
        run(head("C1", "mark_scam") + 'txids = ["0xscam1", "0xnope"]\n', BOOK)


def test_rename_ticker_by_contract_renames_only_that_asset() -> None:
    applied = run(
        head("C1", "rename_ticker")
        + f'from_asset = "USDC"\nto_asset = "USDC-SCAM"\ncontract = "{SCAM}"\n',
        BOOK,
    )
    assert row(applied, "A1").buy == Leg(D("50000"), "USDC-SCAM")
    sale = row(applied, "A2")
    assert sale.sell == Leg(D("50000"), "USDC-SCAM", D("45000"))
    assert sale.buy == Leg(D("1"), "ETH", D("3000"))  # the ETH leg keeps its ticker
    assert [e.action for e in applied.audit] == ["changed", "changed"]
    assert (
        "+50000 USDC-SCAM" in applied.audit[0].after and "+50000 USDC |" in applied.audit[0].before
    )
    with pytest.raises(TaxsimError, match="give a scope"):
        run(head("C1", "rename_ticker") + 'from_asset = "USDC"\nto_asset = "X"\n', BOOK)
    with pytest.raises(TaxsimError, match="no 'USDC' leg in scope with txid '0xaaa'"):
        run(
            head("C1", "rename_ticker")
            + 'from_asset = "USDC"\nto_asset = "X"\ntxids = ["0xscam1", "0xaaa"]\n',
            BOOK,
        )


def test_add_inflow_deposit_income_and_full_trade() -> None:
    applied = run(
        head("C3", "add_inflow")
        + 'asset = "SOL"\namount = "12.5"\nwallet = "Phantom"\ntime = "2023-06-01T08:00:00Z"\n'
        'eur = "250.00"\n'
        + head("C4", "add_inflow")
        + 'asset = "ETH"\namount = "0.01"\nwallet = "Ledger"\ntime = "2023-07-01T00:00:00Z"\n'
        'eur = "18.5"\ntx_kind = "income"\nincome_type = "staking"\n'
        + head("C5", "add_inflow")
        + 'asset = "BTC"\namount = "0.1"\nwallet = "Kraken"\ntime = "2020-01-01T00:00:00Z"\n'
        'eur = "650"\ntx_kind = "trade"\nsell_amount = "650"\nsell_asset = "EUR"\n'
        'sell_eur = "650"\ntxid = "KX-1"\n',
        ledger(BUY),
    )
    assert ids(applied) == ["KX-7741", "C3:1", "C4:1", "C5:1"]
    # the deposit carries its cost basis (eur): a purchase of 12.5 SOL for 250.00 EUR, marked
    # as added by add_inflow (a deposit row would enter the engines at cost 0)
    dep = row(applied, "C3:1")
    assert (dep.kind, dep.wallet, dep.buy, dep.sell, dep.group) == (
        Kind.TRADE, "Phantom", Leg(D("12.5"), "SOL", D("250.00")),
        Leg(D("250.00"), "EUR", D("250.00")), "taxsim:add_inflow",
    )  # fmt: skip
    assert dep.time == datetime(2023, 6, 1, 8, tzinfo=UTC)
    assert applied.audit[0].after == (
        "2023-06-01T08:00:00Z | trade | Phantom | +12.5 SOL (EUR 250) | -250 EUR (EUR 250) | "
        "deposit of 12.5 SOL at cost basis EUR 250, written as a purchase for EUR so that the "
        "tax engines book that cost (the EUR leg is a counter-entry, not a payment)"
    )
    inc = row(applied, "C4:1")
    assert (inc.kind, inc.income_type) == (Kind.INCOME, IncomeType.STAKING)
    trade = row(applied, "C5:1")
    assert trade.sell == Leg(D("650"), "EUR", D("650")) and trade.txid == "KX-1"
    assert [e.action for e in applied.audit] == ["added"] * 3


def test_add_inflow_deposit_enters_at_its_cost_basis() -> None:
    from taxsim.rules import load_rules
    from taxsim.whatif import compare

    # K1 sells 1 ETH for 3,000 € on 2024-06-01 with no ETH in Kraken. C1 adds the missing
    # inflow of 1 ETH on 2024-01-01 at a cost basis of 2,500 € (DE, FIFO, wallet lots):
    #   raw:       short at cost 0 → 3,000 − 0 = 3,000 € taxable (≥ 1,000 € Freigrenze 2024)
    #   corrected: held 5 months → 3,000 − 2,500 = 500 € taxable, < 1,000 € → 0 after it
    #   worth of C1: 500 − 3,000 = −2,500 €. As a zero-cost deposit ("ghost" lot) the short
    #   went away but the gain stayed 3,000 € (the bug: eur was ignored).
    sale = tx(
        "K1", "2024-06-01T10:00:00Z", Kind.TRADE, "Kraken",
        buy=Leg(D("3000"), "EUR", D("3000")), sell=Leg(D("1"), "ETH", D("3000")),
    )  # fmt: skip
    cs = loads_corrections(
        head("C1", "add_inflow", "bought on Bitpanda, statement 2024-01")
        + 'asset = "ETH"\namount = "1"\nwallet = "Kraken"\ntime = "2024-01-01T10:00:00Z"\n'
        'eur = "2500"\n',
        "c.toml",
    )
    comp = compare(ledger(sale), load_rules("de"), cs, base_dir=Path("."))
    raw, cor = comp.raw.figures[2024], comp.corrected.figures[2024]
    assert (raw.taxable_gain, raw.taxable_after_allowance) == (D(3000), D(3000))
    assert (cor.taxable_gain, cor.taxable_after_allowance) == (D(500), D(0))
    assert cor.short_count == 0
    (d,) = comp.corrected.result.disposals
    (m,) = d.matches
    assert (m.lot_id, m.cost, m.origin.value) == ("C1:1", D(2500), "lot")
    (worth,) = comp.worth
    assert worth.alone == {2024: D(-2500)} and worth.left_out == {2024: D(-2500)}


def test_add_inflow_deposit_at_zero_eur_stays_a_deposit() -> None:
    # eur = "0" states a cost basis of 0 €: that is what the engines book for a deposit, so the
    # row stays a deposit (a purchase for 0 EUR would need a 0-unit EUR leg)
    applied = run(
        head("C1", "add_inflow")
        + 'asset = "ETH"\namount = "1"\nwallet = "Kraken"\ntime = "2024-01-01T10:00:00Z"\n'
        'eur = "0"\n',
        ledger(BUY),
    )
    dep = row(applied, "C1:1")
    assert (dep.kind, dep.buy, dep.sell) == (Kind.DEPOSIT, Leg(D(1), "ETH", D(0)), None)


def test_add_inflow_with_counterpart_turns_withdrawal_into_swap() -> None:
    # Cowswap: 0.248 ETH left MetaMask (row W9), the 1450 USDC never showed up.
    out = tx(
        "W9", "2024-03-11T21:40:05Z", Kind.WITHDRAWAL, "MetaMask",
        sell=Leg(D("0.248"), "ETH", D("700")), fee=Leg(D("0.001"), "ETH", D("2.8")),
        txid="0x7f3e21",
    )  # fmt: skip
    applied = run(
        head("C2", "add_inflow", "Cowswap inflow")
        + 'asset = "USDC"\namount = "1450"\nwallet = "MetaMask"\neur = "1335.40"\n'
        'counterpart_txid = "0x7f3e21"\ntime = "2024-03-11T21:41:00Z"\n',
        ledger(IN, out),
    )
    swap = row(applied, "W9")
    assert swap.kind is Kind.TRADE and swap.is_swap
    assert swap.buy == Leg(D("1450"), "USDC", D("1335.40"))
    assert swap.sell == out.sell and swap.fee == out.fee and swap.time == out.time
    assert ids(applied) == ["D1", "W9"]  # one row, not two
    (entry,) = applied.audit
    assert (entry.action, entry.tx_id) == ("changed", "W9")
    assert entry.before.startswith("2024-03-11T21:40:05Z | withdrawal | MetaMask | -0.248 ETH")
    assert entry.after.startswith(
        "2024-03-11T21:40:05Z | trade | MetaMask | +1450 USDC (EUR 1335.4) | -0.248 ETH (EUR 700)"
    )
    with pytest.raises(TaxsimError, match="is in wallet 'MetaMask', not 'Rabby'"):
        run(
            head("C2", "add_inflow") + 'asset = "USDC"\namount = "1"\nwallet = "Rabby"\neur = "1"\n'
            'counterpart_txid = "0x7f3e21"\n',
            ledger(out),
        )
    with pytest.raises(TaxsimError, match="more than 10 minutes"):
        run(
            head("C2", "add_inflow")
            + 'asset = "USDC"\namount = "1"\nwallet = "MetaMask"\neur = "1"\n'
            'counterpart_txid = "0x7f3e21"\ntime = "2024-03-12T21:40:05Z"\n',
            ledger(out),
        )


def test_restore_from_previous_export_and_inline(tmp_path: Path) -> None:
    (tmp_path / "previous.csv").write_text("stand-in; read by the fake reader\n")
    lost = tx("T-17", "2022-01-10T12:00:00Z", Kind.DEPOSIT, "Ledger", buy=Leg(D("2"), "ETH"))
    reads: list[Path] = []

    def reader(path: Path) -> Ledger:
        reads.append(path)
        return ledger(BUY, lost)

    text = (
        head("C4", "restore", "deleted by mistake in 2023")
        + 'from_file = "previous.csv"\nids = ["T-17"]\n'
        + head("C6", "restore")
        + '[correction.transaction]\ntime = "2021-12-01T00:00:00+01:00"\nkind = "income"\n'
        'income_type = "airdrop"\nwallet = "Ledger"\nbuy_amount = "100"\nbuy_asset = "uni"\n'
        'buy_eur = "1234.56"\ncomment = "=HYPERLINK(1)"\n'
    )
    applied = run(text, ledger(BUY), tmp_path, read_ledger=reader)
    assert reads == [tmp_path / "previous.csv"]
    assert ids(applied) == ["KX-7741", "T-17", "C6:1"]
    assert row(applied, "T-17") == lost  # restored unchanged, with its id
    inline = row(applied, "C6:1")
    assert inline.buy == Leg(D("100"), "UNI", D("1234.56"))
    assert inline.time == datetime(2021, 11, 30, 23, tzinfo=UTC)
    assert inline.comment == "=HYPERLINK(1)"  # kept as data; writers neutralise it
    assert str(tmp_path / "previous.csv") in applied.ledger.files

    with pytest.raises(
        TaxsimError, match=r"C4 \(restore\) matches no transaction: id 'T-99' not in"
    ):
        run(head("C4", "restore") + 'from_file = "previous.csv"\nids = ["T-99"]\n',
            ledger(BUY), tmp_path, read_ledger=reader)  # fmt: skip
    with pytest.raises(TaxsimError, match="'T-17' is still in the ledger"):
        run(text, ledger(BUY, lost), tmp_path, read_ledger=reader)
    twin = lost.with_(id="other-id")
    with pytest.raises(TaxsimError, match="looks like 'other-id'.*count it twice"):
        run(text, ledger(twin), tmp_path, read_ledger=reader)
    with pytest.raises(TaxsimError, match="file not found"):
        run(head("C4", "restore") + 'from_file = "gone.csv"\nids = ["x"]\n', ledger(BUY), tmp_path)


INLINE_TRANSFER = (
    head("C9", "restore", "bridge")
    + '[correction.transaction]\ntime = "2024-01-01T00:00:00Z"\nkind = "transfer"\n'
    'wallet = "Kraken"\nto_wallet = "Ledger"\nsell_amount = "1"\nsell_asset = "ETH"\n'
)


@pytest.mark.parametrize(
    ("buy", "key", "words"),
    [
        ('buy_amount = "1"\nbuy_asset = "BTC"\n', "buy_asset",
         ["sends ETH and receives BTC", "a swap is a trade"]),
        ('buy_amount = "1.5"\nbuy_asset = "ETH"\n', "buy_amount",
         ["1.5 received, 1 sent", "buy_amount <= sell_amount"]),
    ],
)  # fmt: skip
def test_restore_of_a_transfer_that_is_a_swap_is_refused(
    tmp_path: Path, buy: str, key: str, words: list[str]
) -> None:
    """A transfer moves one asset and receives no more than it sends (as the ledger readers
    judge it); otherwise it is a swap hidden as a transfer, which would escape the tax."""
    with pytest.raises(InputError) as err:
        loads_corrections(INLINE_TRANSFER + buy, "c.toml")
    assert (err.value.file, err.value.column) == ("c.toml", f"transaction.{key}")
    assert "correction 'C9' (#1, restore)" in str(err.value)
    for word in words:
        assert word in str(err.value)
    # the same row read from an earlier export (a reader that lets it through) is refused
    # when applied, naming the correction, the row and the key
    (tmp_path / "previous.csv").write_text("stand-in; read by the fake reader\n")
    amount, asset = (D("1"), "BTC") if key == "buy_asset" else (D("1.5"), "ETH")
    swap = tx("T-1", "2024-01-01T00:00:00Z", Kind.TRANSFER, "Kraken", to_wallet="Ledger",
              sell=Leg(D("1"), "ETH"), buy=Leg(amount, asset))  # fmt: skip
    text = head("C4", "restore") + 'from_file = "previous.csv"\nids = ["T-1"]\n'
    with pytest.raises(TaxsimError, match=rf"correction C4 \(restore\): transaction 'T-1'.*{key}"):
        run(text, ledger(BUY), tmp_path, read_ledger=lambda path, **kw: ledger(swap))
    # a real transfer (less arrives: the fee came out of the amount) is restored
    fine = loads_corrections(INLINE_TRANSFER + 'buy_amount = "0.99"\nbuy_asset = "eth"\n')
    applied = apply_corrections(ledger(BUY), fine, base_dir=tmp_path)
    assert row(applied, "C9:1").buy == Leg(D("0.99"), "ETH")


TZ_LEDGER = (
    '"Type","Buy","Cur.","Value in BTC","Value in EUR","Sell","Cur.","Value in BTC",'
    '"Value in EUR","Spread","Exchange","Group","Date"\n'
    '"Trade","1.00000000","BTC","1.00000000","30000.00","30000.00","EUR","1.00000000",'
    '"30000.00","-","Kraken","","01.01.2024 10:00:00"\n'
)
TZ_STAKING = (
    '"Staking","0.10000000","ETH","-","-","-","","-","-","-","Kraken","","02.01.2024 10:00:00"\n'
)


def test_restore_and_merge_export_read_files_in_the_commands_timezone(tmp_path: Path) -> None:
    """The ledger is read in America/New_York (apply --timezone): the earlier export must be
    read in that zone too. Read in Europe/Berlin its trade at 10:00 local is 09:00Z instead of
    15:00Z, 6 h from the ledger's row, so the duplicate check missed it and the trade was
    written twice. A correction's own ``timezone`` wins over the command's."""
    from taxsim.readers import read_ledger

    zone = "America/New_York"
    (tmp_path / "L2.csv").write_text(TZ_LEDGER, encoding="utf-8")
    (tmp_path / "prev.csv").write_text(TZ_LEDGER + TZ_STAKING, encoding="utf-8")
    book = read_ledger(tmp_path / "L2.csv", timezone=zone)
    assert book.transactions[0].time == datetime(2024, 1, 1, 15, tzinfo=UTC)
    restore = head("C1", "restore") + 'from_file = "prev.csv"\nids = ["prev:2"]\n'
    with pytest.raises(TaxsimError, match=r"'prev:2' looks like 'L2:2'.*count it twice"):
        run(restore, book, tmp_path, timezone=zone)
    # the staking row is restored at 10:00 New York time = 15:00Z
    staking = head("C1", "restore") + 'from_file = "prev.csv"\nids = ["prev:3"]\n'
    applied = run(staking, book, tmp_path, timezone=zone)
    assert row(applied, "prev:3").time == datetime(2024, 1, 2, 15, tzinfo=UTC)
    # the correction's own timezone wins: read in Berlin the trade is another row (09:00Z)
    own = restore + 'timezone = "Europe/Berlin"\n'
    assert row(run(own, book, tmp_path, timezone=zone), "prev:2").time == datetime(
        2024, 1, 1, 9, tzinfo=UTC
    )
    # merge_export: the export's trade is the ledger's (dropped), only the staking is new
    merge = head("C2", "merge_export") + 'file = "prev.csv"\nwallet = "Kraken"\n'
    merged = run(merge, book, tmp_path, timezone=zone)
    assert [(e.action, e.tx_id) for e in merged.audit] == [("added", "C2:1")]
    assert row(merged, "C2:1").time == datetime(2024, 1, 2, 15, tzinfo=UTC)
    own_merge = run(merge + 'timezone = "Europe/Berlin"\n', book, tmp_path, timezone=zone)
    assert len(own_merge.audit) == 2  # in Berlin time the trade is 6 h away: added again
    # what reaches the reader: the command's zone, or the correction's
    seen: list[object] = []

    def reader(path: Path, **kw: object) -> Ledger:
        seen.append(kw.get("timezone"))
        return read_ledger(path, **kw)  # type: ignore[arg-type]

    run(staking, book, tmp_path, timezone=zone, read_ledger=reader)
    run(staking + 'timezone = "UTC"\n', book, tmp_path, timezone=zone, read_ledger=reader)
    run(staking, book, tmp_path, read_ledger=reader)  # neither: the reader's default
    assert seen == [zone, "UTC", None]
    with pytest.raises(TaxsimError, match="--timezone: expected an IANA time zone"):
        run(staking, book, tmp_path, timezone="Mars/Olympus")


def test_link_transfer_pairs_withdrawal_and_deposit() -> None:
    applied = run(head("C5", "link_transfer") + 'withdrawal = "W1"\ndeposit = "D1"\n', BOOK)
    move = row(applied, "W1")
    assert move.kind is Kind.TRANSFER and move.to_wallet == "MetaMask" and move.wallet == "Kraken"
    assert move.sell == OUT.sell and move.buy == IN.buy and move.fee == OUT.fee
    assert move.time == OUT.time and move.txid == "0xaaa"
    assert "D1" not in ids(applied)
    assert [(e.action, e.tx_id) for e in applied.audit] == [("removed", "D1"), ("changed", "W1")]
    assert applied.audit[1].after.startswith(
        "2024-02-05T18:02:11Z | transfer | Kraken -> MetaMask | +0.248 ETH"
    )


def test_link_transfer_refuses_a_deposit_larger_than_the_withdrawal() -> None:
    # W1 sends 0.248 ETH (fee apart); a deposit of 0.3 ETH cannot be its other side: an own
    # transfer creating 0.05 ETH would be a transfer row the reader itself refuses.
    bigger = tx("D9", "2024-02-05T18:30:00Z", Kind.DEPOSIT, "MetaMask",
                buy=Leg(D("0.3"), "ETH"))  # fmt: skip
    with pytest.raises(TaxsimError, match="receives 0.3 ETH, more than the 0.248 withdrawn"):
        run(head("C5", "link_transfer") + 'withdrawal = "W1"\ndeposit = "D9"\n',
            ledger(OUT, bigger))  # fmt: skip


def test_link_transfer_to_wallet_adds_the_missing_side_of_a_bridge() -> None:
    bridge = tx(
        "B1", "2024-04-01T10:00:00Z", Kind.WITHDRAWAL, "MetaMask",
        sell=Leg(D("0.5"), "ETH", D("1000")), txid="0xbridge", chain="ethereum",
    )  # fmt: skip
    applied = run(
        head("C6", "link_transfer")
        + 'withdrawal = "B1"\nto_wallet = "MetaMask Arbitrum"\namount = "0.499"\n',
        ledger(bridge),
    )
    move = row(applied, "B1")
    assert move.to_wallet == "MetaMask Arbitrum" and move.kind is Kind.TRANSFER
    # EUR value of the received leg pro rata: 1000 × 0.499 / 0.5 = 998
    assert move.buy == Leg(D("0.499"), "ETH", D("998"))
    with pytest.raises(TaxsimError, match="amount 0.6 is more than the 0.5 ETH"):
        run(head("C6", "link_transfer") + 'withdrawal = "B1"\nto_wallet = "X"\namount = "0.6"\n',
            ledger(bridge))  # fmt: skip
    with pytest.raises(TaxsimError, match="'D1' is a deposit, not a withdrawal"):
        run(head("C6", "link_transfer") + 'withdrawal = "D1"\nto_wallet = "X"\n', BOOK)


def test_merge_export_drops_duplicates_and_adds_new_rows(tmp_path: Path) -> None:
    (tmp_path / "binance.csv").write_text("x")
    have_txid = tx("B-1", "2023-01-01T10:00:00Z", Kind.TRADE, "Binance",
                   buy=Leg(D("1"), "BNB"), sell=Leg(D("250"), "EUR"), txid="T1")  # fmt: skip
    no_txid = tx("B-2", "2023-01-02T10:00:00Z", Kind.DEPOSIT, "Binance", buy=Leg(D("0.5"), "ETH"))
    other = tx("M-1", "2023-01-03T10:00:00Z", Kind.DEPOSIT, "MetaMask", buy=Leg(D("0.5"), "ETH"))
    export = ledger(
        have_txid.with_(id="E1", time=t("2023-01-01T10:00:07Z")),  # same txid → duplicate
        no_txid.with_(id="E2", time=t("2023-01-02T10:00:01Z")),  # same legs within 1 s → dup
        no_txid.with_(id="E3", time=t("2023-01-02T10:00:02Z")),  # 2 s later → new (second one)
        tx(
            "E4",
            "2022-06-01T00:00:00Z",
            Kind.TRADE,
            "Binance",
            buy=Leg(D("0.3"), "ETH"),
            sell=Leg(D("300"), "EUR"),
            txid="T0",
        ),  # fmt: skip
    )
    applied = run(
        head("C5", "merge_export") + 'file = "binance.csv"\nwallet = "Binance"\n',
        ledger(have_txid, no_txid, other),
        tmp_path,
        read_ledger=lambda path: export,
    )
    assert ids(applied) == ["B-1", "B-2", "M-1", "C5:1", "C5:2"]
    assert row(applied, "C5:1").time == t("2023-01-02T10:00:02Z")
    assert row(applied, "C5:2").txid == "T0"
    assert [e.action for e in applied.audit] == ["added", "added"]
    # by txid only: E2/E3 have no txid, so both are new
    only_txid = run(
        head("C5", "merge_export")
        + 'file = "binance.csv"\nwallet = "Binance"\nduplicate_by = "txid"\n',
        ledger(have_txid, no_txid), tmp_path, read_ledger=lambda path: export,
    )  # fmt: skip
    assert len(only_txid.audit) == 3
    dups = ledger(have_txid.with_(id="x"), no_txid.with_(id="y"))
    with pytest.raises(TaxsimError, match="all 2 rows of .* are already in the ledger"):
        run(head("C5", "merge_export") + 'file = "binance.csv"\nwallet = "Binance"\n',
            ledger(have_txid, no_txid), tmp_path, read_ledger=lambda p: dups)  # fmt: skip
    with pytest.raises(TaxsimError, match="in wallet 'MetaMask', not 'Binance'"):
        run(head("C5", "merge_export") + 'file = "binance.csv"\nwallet = "Binance"\n',
            ledger(have_txid), tmp_path, read_ledger=lambda path: ledger(other))  # fmt: skip


def test_reclassify_set_cost_basis_and_delete() -> None:
    applied = run(
        head("C7", "reclassify")
        + 'ids = ["D1"]\nto_kind = "income"\nincome_type = "staking"\n'
        + head("C8", "set_cost_basis", "purchase invoice 2019")
        + 'disposal = "A2"\nquantity = "20000"\nacquired = "2019-05-01T00:00:00Z"\ncost = "18000"\n'
        + head("C9", "delete", "exported twice")
        + 'ids = ["KX-7741"]\n',
        BOOK,
    )
    assert row(applied, "D1").kind is Kind.INCOME
    assert row(applied, "D1").income_type is IncomeType.STAKING
    basis = row(applied, "C8:1")
    assert basis.kind is Kind.TRADE and basis.wallet == "MetaMask"
    assert basis.buy == Leg(D("20000"), "USDC", D("18000"))
    assert basis.sell == Leg(D("18000"), "EUR", D("18000"))
    assert basis.group == "taxsim:set_cost_basis" and basis.time == t("2019-05-01T00:00:00Z")
    assert "KX-7741" not in ids(applied)
    assert {k: [e.action for e in v] for k, v in applied.by_correction.items()} == {
        "C7": ["changed"], "C8": ["added"], "C9": ["removed"],
    }  # fmt: skip
    with pytest.raises(TaxsimError, match="needs an income_type"):
        run(head("C7", "reclassify") + 'ids = ["D1"]\nto_kind = "income"\n', BOOK)
    with pytest.raises(TaxsimError, match="as withdrawal needs a sell leg"):
        run(head("C7", "reclassify") + 'txids = ["0xscam1"]\nto_kind = "withdrawal"\n', BOOK)
    with pytest.raises(TaxsimError, match="not before the disposal"):
        run(head("C8", "set_cost_basis")
            + 'disposal = "A2"\nquantity = "1"\nacquired = "2024-03-03T00:00:00Z"\ncost = "1"\n',
            BOOK)  # fmt: skip
    with pytest.raises(TaxsimError, match=r"C9 \(delete\) matches no transaction: .*'nope'"):
        run(head("C9", "delete") + 'ids = ["nope"]\n', BOOK)


# --------------------------------------------------------------------------------------------
# Conflicts, selection, immutability


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (  # C1 deletes what C2 renames
            head("C1", "delete")
            + 'ids = ["A1"]\n'
            + head("C2", "rename_ticker")
            + f'from_asset = "USDC"\nto_asset = "X"\ncontract = "{SCAM}"\n',
            "corrections C1 and C2 conflict: .*'A1', which C1 removed",
        ),
        (  # C1 renames what C2 deletes
            head("C1", "rename_ticker")
            + f'from_asset = "USDC"\nto_asset = "X"\ncontract = "{SCAM}"\n'
            + head("C2", "delete")
            + 'ids = ["A1"]\n',
            "corrections C1 and C2 conflict: C2 \\(delete\\) would remove transaction 'A1', which "
            "C1 already changed \\(asset\\)",
        ),
        (  # two kind changes on one row
            head("C1", "reclassify")
            + 'ids = ["D1"]\nto_kind = "gift"\n'
            + head("C2", "link_transfer")
            + 'withdrawal = "W1"\ndeposit = "D1"\n',
            "corrections C1 and C2 conflict: C2 \\(link_transfer\\) would remove transaction 'D1'",
        ),
        (
            head("C1", "reclassify")
            + 'ids = ["D1"]\nto_kind = "gift"\n'
            + head("C2", "reclassify")
            + 'txids = ["0xaaa"]\nto_kind = "withdrawal"\n',
            "corrections C1 and C2 conflict",
        ),
        (  # two corrections add the same row
            head("C1", "add_inflow") + 'asset = "SOL"\namount = "1"\nwallet = "P"\n'
            'time = "2024-01-01T00:00:00Z"\neur = "90"\n'
            + head("C2", "add_inflow")
            + 'asset = "SOL"\namount = "1.0"\nwallet = "P"\n'
            'time = "2024-01-01T00:00:01Z"\neur = "95"\n',
            "corrections C1 and C2 conflict: both add the same row .*'C1:1'",
        ),
        (  # restoring what another correction deleted
            head("C1", "delete")
            + 'ids = ["A1"]\n'
            + head("C2", "restore")
            + '[correction.transaction]\nid = "A1"\ntime = "2024-03-01T10:00:00Z"\n'
            'kind = "deposit"\nwallet = "MetaMask"\nbuy_amount = "5"\nbuy_asset = "ETH"\n',
            "corrections C1 and C2 conflict: C2 \\(restore\\) adds transaction 'A1', "
            "which C1 removed",
        ),
        (  # documented acquisitions beyond what was sold (50000 USDC)
            head("C1", "set_cost_basis")
            + 'disposal = "A2"\nquantity = "30000"\nacquired = "2020-01-01T00:00:00Z"\n'
            'cost = "1"\n'
            + head("C2", "set_cost_basis")
            + 'disposal = "A2"\nquantity = "20001"\nacquired = "2020-01-01T00:00:00Z"\n'
            'cost = "1"\n',
            "corrections C1 and C2 conflict: documented acquisitions of 50001 USDC exceed the "
            "50000 sold in 'A2'",
        ),
    ],
)
def test_conflicts_name_both_corrections(text: str, pattern: str) -> None:
    with pytest.raises(TaxsimError, match=pattern):
        run(text, BOOK)


def test_rename_then_link_is_not_a_conflict() -> None:
    # different aspects of one row: the ticker, then the kind
    applied = run(
        head("C1", "rename_ticker") + 'from_asset = "ETH"\nto_asset = "WETH"\nwallet = "MetaMask"\n'
        'txids = ["0xaaa"]\n'
        + head("C2", "rename_ticker") + 'from_asset = "ETH"\nto_asset = "WETH"\nwallet = "Kraken"\n'
        'txids = ["0xaaa"]\n'
        + head("C3", "link_transfer") + 'withdrawal = "W1"\ndeposit = "D1"\n',
        BOOK,
    )  # fmt: skip
    assert row(applied, "W1").buy == Leg(D("0.248"), "WETH", D("600"))


def test_only_exclude_and_file_order() -> None:
    text = (
        head("C1", "delete") + 'ids = ["A1"]\n'
        + head("C2", "delete") + 'ids = ["A2"]\n'
        + head("C3", "delete") + 'ids = ["KX-7741"]\n'
    )  # fmt: skip
    assert ids(run(text, BOOK, only={"C1", "C3"})) == ["W1", "D1", "A2"]
    assert ids(run(text, BOOK, exclude={"C1"})) == ["W1", "D1", "A1"]
    assert list(run(text, BOOK).by_correction) == ["C1", "C2", "C3"]
    with pytest.raises(TaxsimError, match="--only: no correction with id C4"):
        run(text, BOOK, only={"C4"})


def test_python_built_corrections_apply_too() -> None:
    from taxsim.corrections import CorrectionSet

    c = MarkScam.model_validate(
        {"id": "X", "kind": "mark_scam", "reason": "r", "txids": ["0xscam2"]}
    )
    applied = apply_corrections(BOOK, CorrectionSet((c,)), base_dir=Path("."))
    assert ids(applied) == ["KX-7741", "W1", "D1", "A1"]


# --------------------------------------------------------------------------------------------
# Balances (shared with the sample test)


def replay(book: Ledger) -> tuple[dict[tuple[str, str], Decimal], dict[tuple[str, str], Decimal]]:
    """(lowest, final) balance of every wallet × asset, fiat included, in processing order:
    +buy −sell −fee on ``wallet``; the buy leg of a transfer lands in ``to_wallet``."""
    running: dict[tuple[str, str], Decimal] = {}
    lowest: dict[tuple[str, str], Decimal] = {}

    def move(wallet: str, leg: Leg | None, sign: int) -> None:
        if leg is None:
            return
        key = (wallet, leg.asset)
        running[key] = running.get(key, D(0)) + sign * leg.amount
        lowest[key] = min(lowest.get(key, D(0)), running[key])

    for r in book.sorted():
        move(r.to_wallet or "" if r.kind is Kind.TRANSFER else r.wallet, r.buy, 1)
        move(r.wallet, r.sell, -1)
        move(r.wallet, r.fee, -1)
    return lowest, running


def negatives(book: Ledger) -> dict[tuple[str, str], Decimal]:
    return {key: low for key, low in replay(book)[0].items() if low < 0}


def test_balance_helper_on_the_small_ledger() -> None:
    # MetaMask USDC: +50000 (A1), −50000 (A2) → never below 0; Kraken ETH 0.25 − 0.248 − 0.002 = 0
    # Kraken EUR: −612.40 − 1.20 with no EUR deposit → −613.60 (fiat counts too)
    assert negatives(BOOK) == {("Kraken", "EUR"): D("-613.60")}
    # Without the airdrop the scam sale leaves MetaMask USDC at −50000
    assert negatives(ledger(SCAM_SALE))[("MetaMask", "USDC")] == D(-50000)
    # A transfer's buy leg lands in to_wallet: Kraken ETH 0.25 − 0.248 − 0.002 = 0, MetaMask +0.248
    linked = run(
        head("C1", "link_transfer") + 'withdrawal = "W1"\ndeposit = "D1"\n', ledger(BUY, OUT, IN)
    )
    assert replay(linked.ledger)[1] == {
        ("Kraken", "ETH"): D("0.000"),
        ("Kraken", "EUR"): D("-613.60"),
        ("MetaMask", "ETH"): D("0.248"),
    }


# --------------------------------------------------------------------------------------------
# The sample client (samples/client/README.md: five planted gaps)

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "client"


def test_sample_corrections_close_all_five_gaps() -> None:
    import csv

    from taxsim.readers import read_ledger

    raw = read_ledger(SAMPLE / "ledger.csv")
    # README table "Replaying ledger.csv makes exactly these five balances negative"
    assert negatives(raw) == {
        ("MetaMask", "USDC"): D("-4998000"),  # 2,000 − 5,000,000 (fake USDC, MM-0007)
        ("Phantom", "USDC"): D("-6000"),  # 0 − 6,000 (Jupiter inflow missing)
        ("Ledger", "BTC"): D("-0.4"),  # 0.2 − 0.6 (LG-0002 deleted)
        ("MetaMask Arbitrum", "ETH"): D("-1.45"),  # 0.05 − 1.5 (bridge side missing)
        ("Binance", "ETH"): D("-1.5"),  # 3 × −0.5 (history before 2023-05 missing)
    }
    corrections = load_corrections(SAMPLE / "corrections.toml")
    assert [c.kind for c in corrections.corrections] == [
        "mark_scam", "add_inflow", "restore", "link_transfer", "merge_export",
    ]  # fmt: skip
    assert all(c.evidence for c in corrections.corrections)
    applied = apply_corrections(raw, corrections, base_dir=SAMPLE)
    assert negatives(applied.ledger) == {}
    # 471 rows − MM-0007 − MM-0008 + LG-0002 + 2 new Binance rows (6 duplicates dropped)
    assert len(applied.ledger.transactions) == 471 - 2 + 1 + 2
    assert {k: [e.action for e in v] for k, v in applied.by_correction.items()} == {
        "C1": ["removed", "removed"], "C2": ["changed"], "C3": ["added"], "C4": ["changed"],
        "C5": ["added", "added"],
    }  # fmt: skip
    # Binance: the export's UTC times are kept (timezone = "UTC"): 2.0 ETH bought 2022-01-15 10:20
    bought = next(r for r in applied.ledger.transactions if r.txid == "1043265571")
    assert bought.time == datetime(2022, 1, 15, 10, 20, tzinfo=UTC)
    assert bought.buy == Leg(D("2"), "ETH", D("5000"))
    # the corrected on-chain balances equal the chain today (onchain_balances.csv)
    final = replay(applied.ledger)[1]
    with (SAMPLE / "onchain_balances.csv").open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            assert final.get((line["wallet"], line["asset"]), D(0)) == D(line["balance"]), line


def test_sample_cli_round_trip_through_cointracking_import(tmp_path: Path) -> None:
    from taxsim.readers import read_ledger

    out = tmp_path / "corrected.csv"
    result = _invoke("apply", str(SAMPLE / "ledger.csv"), "-c", str(SAMPLE / "corrections.toml"),
                     "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "C5 merge_export: 2 added" in result.output  # type: ignore[attr-defined]
    again = read_ledger(out)
    # 472 rows; the transfer MM-0010 is written as Withdrawal + Deposit → 473 rows
    assert len(again.transactions) == 473
    assert negatives(again) == {}


# --------------------------------------------------------------------------------------------
# taxsim apply


def _cli_files(tmp_path: Path) -> tuple[Path, Path]:
    from taxsim.writers import write_canonical_csv

    book = tmp_path / "ledger.csv"
    write_canonical_csv(BOOK.transactions, book)
    corrections = tmp_path / "corrections.toml"
    corrections.write_text(
        head("C1", "mark_scam", "=HYPERLINK(\\\"http://x\\\")") + f'contract = "{SCAM}"\n'
        + head("C2", "link_transfer", "own Kraken → MetaMask")
        + 'withdrawal = "W1"\ndeposit = "D1"\n',
        encoding="utf-8",
    )  # fmt: skip
    return book, corrections


def _invoke(*args: str) -> object:
    from typer.testing import CliRunner

    from taxsim.cli import _register, app

    _register()
    return CliRunner().invoke(app, list(args))


def test_cli_apply_writes_corrected_ledger_and_audit(tmp_path: Path) -> None:
    import csv

    from taxsim.readers import read_ledger

    book, corrections = _cli_files(tmp_path)
    original = book.read_bytes()
    out = tmp_path / "corrected.csv"
    result = _invoke("apply", str(book), "--corrections", str(corrections), "-o", str(out),
                     "--format", "canonical")  # fmt: skip
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "C1 mark_scam: 2 removed" in result.output  # type: ignore[attr-defined]
    assert "C2 link_transfer: 1 removed, 1 changed" in result.output  # type: ignore[attr-defined]
    assert book.read_bytes() == original  # input untouched
    corrected = read_ledger(out)
    assert [r.id for r in corrected.transactions] == ["KX-7741", "W1"]
    assert corrected.transactions[1].kind is Kind.TRANSFER
    with (tmp_path / "corrected.audit.csv").open(encoding="utf-8", newline="") as handle:
        audit = list(csv.reader(handle))
    assert audit[0] == ["correction", "kind", "action", "tx_id", "before", "after", "reason"]
    assert [row[:4] for row in audit[1:]] == [
        ["C1", "mark_scam", "removed", "A1"],
        ["C1", "mark_scam", "removed", "A2"],
        ["C2", "link_transfer", "removed", "D1"],
        ["C2", "link_transfer", "changed", "W1"],
    ]
    # a reason that looks like a formula is neutralised in the spreadsheet cell
    assert audit[1][6] == '\'=HYPERLINK("http://x")'


def test_cli_apply_cointracking_only_and_refusals(tmp_path: Path) -> None:
    from taxsim.readers import read_ledger

    book, corrections = _cli_files(tmp_path)
    out, audit = tmp_path / "ct.csv", tmp_path / "trail.csv"
    result = _invoke("apply", str(book), "-c", str(corrections), "-o", str(out),
                     "--audit", str(audit), "--only", "C1")  # fmt: skip
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert out.read_text(encoding="utf-8").startswith('"Type","Buy","Cur."')
    # CoinTracking import format: only C1 applied → KX-7741, W1, D1 remain (3 rows)
    assert len(read_ledger(out).transactions) == 3
    assert len(audit.read_text(encoding="utf-8").splitlines()) == 3  # header + 2 removals

    refused = _invoke("apply", str(book), "-c", str(corrections), "-o", str(book))
    # A TaxsimError becomes one "error: …" line and exit code 2 (taxsim.cli._Group).
    assert refused.exit_code == 2  # type: ignore[attr-defined]
    assert "input is never overwritten" in refused.output  # type: ignore[attr-defined]
    bad = _invoke("apply", str(book), "-c", str(corrections), "-o", str(out), "--only", "C9")
    assert bad.exit_code == 2  # type: ignore[attr-defined]
    assert "no correction with id C9" in bad.output  # type: ignore[attr-defined]


def test_contracts_match_whatever_their_case() -> None:
    # EVM explorers show checksum (mixed-case) addresses; Solana mints are case-sensitive and
    # must be kept as written. A correction matches either way, and the ledger keeps its text.
    mint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
    book = ledger(
        tx(
            "S1",
            "2024-03-01T10:00:00Z",
            Kind.DEPOSIT,
            "Phantom",
            buy=Leg(Decimal(5), "USDC"),
            contract=mint,
            chain="solana",
        ),
        tx(
            "S2",
            "2024-03-02T10:00:00Z",
            Kind.DEPOSIT,
            "Phantom",
            buy=Leg(Decimal(7), "USDC"),
            contract="OtherMint111",
            chain="solana",
        ),
    )
    applied = run(head("C1", "mark_scam") + f'contract = "{mint}"\n', book)
    assert ids(applied) == ["S2"]
    renamed = run(
        head("C1", "rename_ticker")
        + 'from_asset = "USDC"\nto_asset = "USDC-X"\ncontract = "othermint111"\n',
        book,
    )
    assert row(renamed, "S2").buy == Leg(Decimal(7), "USDC-X")
    assert row(renamed, "S2").contract == "OtherMint111"


def test_a_ledger_with_a_repeated_id_is_refused() -> None:
    twice = ledger(BUY, OUT, IN, OUT.with_(time=t("2024-02-06T10:00:00Z")), AIRDROP)
    with pytest.raises(TaxsimError, match="ledger has two transactions with id 'W1'"):
        run(head("C1", "mark_scam", "fake USDC") + f'contract = "{SCAM}"\n', twice)


def test_the_readers_id_index_gives_the_same_corrected_ledger():
    # The canonical reader hands its id → position index to the corrections (no second index
    # of a million ids). Reference: the same ledger with the index dropped, and with a wrong
    # (stale) index, which must be noticed and rebuilt.
    from dataclasses import replace

    from taxsim.readers import read_ledger

    client = Path(__file__).resolve().parents[1] / "samples" / "client"
    book = read_ledger(client / "ledger.csv")
    assert book.positions is not None and len(book.positions) == len(book.transactions)
    assert all(book.transactions[p].id == i for i, p in book.positions.items())
    corrections = load_corrections(client / "corrections.toml")

    def corrected(ledger: Ledger) -> list[Transaction]:
        return apply_corrections(ledger, corrections, base_dir=client).ledger.transactions

    expected = corrected(replace(book, positions=None))
    assert corrected(book) == expected
    ids = list(book.positions)
    stale = dict(zip(ids, reversed(range(len(ids))), strict=True))
    assert corrected(replace(book, positions=stale)) == expected
    # the sample's corrections remove, change and add rows: all three paths are exercised
    audit = {e.action for e in apply_corrections(book, corrections, base_dir=client).audit}
    assert {"removed", "changed", "added"} <= {str(a) for a in audit}


@given(st.lists(st.tuples(st.sampled_from(["set", "pop", "add"]), st.integers(0, 9)), max_size=30))
def test_rows_being_corrected_behave_like_an_ordered_dict(ops):
    # corrections._Rows keeps the ledger's list and records changes aside; the reference is
    # what it replaced: a dict of all rows by id (insertion order = ledger order, added rows
    # at the end; a removed id is never added again, the corrections refuse that).
    from taxsim.corrections import _Rows

    base = [
        tx(f"r{i}", "2024-01-01T10:00:00Z", Kind.DEPOSIT, "W", buy=Leg(D(1), "BTC"))
        for i in range(5)
    ]
    book = Ledger(list(base))
    rows, model = _Rows(book), {t.id: t for t in base}
    removed: set[str] = set()
    for op, n in ops:
        tx_id = f"r{n}"
        changed = tx(tx_id, "2024-02-01T10:00:00Z", Kind.DEPOSIT, "V", buy=Leg(D(n + 1), "ETH"))
        if op == "set" and tx_id in model:
            rows[tx_id] = model[tx_id] = changed
        elif op == "pop" and tx_id in model:
            assert rows.pop(tx_id) == model.pop(tx_id)
            removed.add(tx_id)
        elif op == "add" and tx_id not in model and tx_id not in removed:
            rows[tx_id] = model[tx_id] = changed
        assert (tx_id in rows) == (tx_id in model)
        assert rows.values() == list(model.values())
    assert book.transactions == base  # the ledger the user gave is never modified
