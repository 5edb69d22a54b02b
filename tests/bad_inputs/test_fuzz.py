"""Fuzzing every reader: random bytes and mutated samples end in a result or an InputError —
never another exception, never a hang (hypothesis' deadline) — and a hidden character put into
a valid row is refused, named, or (in free text) changes no figure."""

from __future__ import annotations

import csv
import io
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taxsim.corrections import load_corrections
from taxsim.dac8 import read_platform_report
from taxsim.diagnosis import read_onchain_balances
from taxsim.inputs.text import is_hidden
from taxsim.model import InputError
from taxsim.readers import read_ledger

from .faults import LAYOUTS, SAMPLES, table

FUZZ = settings(
    max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow], database=None
)
READERS = {
    "ledger.csv": read_ledger,
    "ledger.xlsx": read_ledger,
    "report.xml": read_platform_report,
    "report.csv": read_platform_report,
    "onchain.csv": read_onchain_balances,
    "corrections.toml": load_corrections,
}
SOURCES = {
    "ledger.csv": LAYOUTS["import"],
    "ledger.xlsx": None,
    "report.xml": SAMPLES / "client" / "carf_kraken_2026.xml",
    "report.csv": SAMPLES / "client" / "dac8_kraken_2026.csv",
    "onchain.csv": SAMPLES / "client" / "onchain_balances.csv",
    "corrections.toml": SAMPLES / "client" / "corrections.toml",
}


def _read(name: str, data: bytes) -> None:
    """Read ``data`` as file ``name``: a result or InputError, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            READERS[name](path)
        except InputError as exc:
            assert exc.file == str(path)
            assert "\n" not in str(exc).strip() or name.endswith(".toml")


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.binary(max_size=3000))
def test_random_bytes(name: str, data: bytes) -> None:
    _read(name, data)


def _source(name: str) -> bytes:
    if name == "ledger.xlsx":
        return table("import").xlsx_bytes()
    return SOURCES[name].read_bytes()  # type: ignore[union-attr]


@FUZZ
@given(
    st.sampled_from(sorted(READERS)),
    st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8), st.integers(0, 8)),
        min_size=1,
        max_size=4,
    ),  # fmt: skip
)
def test_mutated_samples(name: str, edits: list[tuple[float, bytes, int]]) -> None:
    """Bytes replaced, inserted or cut at random places of a valid file."""
    data = bytearray(_source(name))
    for where, new, cut in edits:
        at = int(where * len(data))
        data[at : at + cut] = new
    _read(name, bytes(data))


# --- a character put into a valid row -------------------------------------------------------------

#: (layout, column, role): identifiers and tickers refuse a hidden character, free text shows it.
TARGETS = [
    ("canonical", "wallet", "identifier"), ("canonical", "buy_asset", "ticker"),
    ("canonical", "txid", "identifier"), ("canonical", "comment", "free"),
    ("import", "Exchange", "identifier"), ("import", "Cur.", "ticker"),
    ("import", "Tx-ID", "identifier"), ("import", "Comment", "free"),
]  # fmt: skip
_CLEAN: dict[str, list[tuple[object, ...]]] = {}


def _figures_of(path: Path) -> list[tuple[object, ...]]:
    """What the figures depend on: kind, time, wallet and legs of every transaction."""
    return [(t.kind, t.time, t.wallet, t.to_wallet, t.buy, t.sell, t.fee)
            for t in read_ledger(path).transactions]  # fmt: skip


def _head(layout: str, rows: int = 25) -> tuple[list[str], list[list[str]], str]:
    t = table(layout)
    return t.header, t.rows[:rows], t.delimiter


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@settings(max_examples=300, deadline=5000, database=None)
@given(
    st.sampled_from(TARGETS),
    st.integers(0, 24),
    st.characters(exclude_categories=("Cs",)),  # any code point a UTF-8 file can hold
    st.floats(0.01, 0.99),
)
def test_a_character_in_a_valid_row(
    target: tuple[str, str, str], k: int, ch: str, where: float
) -> None:
    layout, name, role = target
    header, rows, delimiter = _head(layout)
    i = header.index(name)
    k %= len(rows)
    if role != "free":  # a row where the cell names something
        k = next((j for j in range(k, len(rows)) if rows[j][i].strip()), None) or next(
            j for j in range(len(rows)) if rows[j][i].strip()
        )
    with tempfile.TemporaryDirectory() as folder:
        clean = Path(folder) / "clean.csv"
        _write(clean, header, rows, delimiter)
        if layout not in _CLEAN:
            _CLEAN[layout] = _figures_of(clean)
        text = rows[k][i].strip() or "note"
        at = max(1, min(len(text) - 1, int(where * len(text)))) if len(text) > 1 else 1
        rows[k][i] = text[:at] + ch + text[at:]
        path = Path(folder) / "bad.csv"
        _write(path, header, rows, delimiter)
        hidden = is_hidden(ch)
        try:
            got = _figures_of(path)
        except InputError as exc:
            assert exc.row == k + 2, str(exc)
            assert role != "free", str(exc)
            if hidden:
                assert exc.column is not None and name in exc.column
                assert f"U+{ord(_first_hidden(rows[k][i], role)):04X}" in str(exc), str(exc)
            return
        assert not hidden or role == "free", (ch, role)
        if role == "free":
            assert got == _CLEAN[layout]  # a comment changes no figure


def _first_hidden(text: str, role: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    return next(c for c in text if is_hidden(c))
