"""What a platform report holds, and the cell checks the CSV and XML readers share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ...model import InputError
from ..categories import TRANSFER_IN_TYPES, TRANSFER_OUT_TYPES, Category, LineKey


@dataclass(slots=True)
class ReportLine:
    key: LineKey
    units: Decimal
    amount: Decimal
    currency: str
    count: int | None  # TransferWallet has no count in the schema
    where: str  # "file:line" of the element / row, for messages


@dataclass(slots=True)
class PlatformReport:
    file: str
    format: str  # "carf-xml" | "csv"
    lines: list[ReportLine]

    @property
    def scopes(self) -> list[tuple[str, int]]:
        """(platform, year) pairs this report covers."""
        return sorted({(ln.key.platform, ln.key.year) for ln in self.lines})


CSV_COLUMNS = (
    "platform", "year", "asset", "category", "transfer_type", "units", "amount", "currency",
    "count",
)  # fmt: skip
_CURRENCIES = {"EUR", "USD"}


def _resolve_platform(candidates: Iterable[str], known: Sequence[str]) -> str | None:
    """A known wallet whose name occurs (as whole words) in a candidate, longest first."""

    def words(s: str) -> list[str]:
        return [w for w in re.split(r"[^0-9a-z]+", s.casefold()) if w]

    candidates = [c for c in candidates if c]
    for cand in candidates:
        exact = [k for k in known if k.casefold() == cand.strip().casefold()]
        if exact:
            return exact[0]
    for cand in candidates:
        cw = words(cand)
        for k in sorted(known, key=len, reverse=True):
            kw = words(k)
            if kw and any(cw[i : i + len(kw)] == kw for i in range(len(cw) - len(kw) + 1)):
                return k
    return None


def _decimal(text: str, file: str, row: int | None, column: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InputError(file, row, column, f"expected {what}, got {text.strip()!r}") from None
    if not value.is_finite() or value < 0:
        raise InputError(file, row, column, f"expected {what}, got {text.strip()!r}")
    return value


def _count(text: str, file: str, row: int | None, column: str) -> int:
    t = text.strip()
    if not t.isdigit():
        raise InputError(file, row, column, f"expected a whole number of transactions, got {t!r}")
    return int(t)


def _check_type(cat: Category, ttype: str, file: str, row: int | None, column: str) -> str:
    t = ttype.strip().upper()
    if cat is Category.CRYPTO_TRANSFER_IN:
        if t not in TRANSFER_IN_TYPES:
            raise InputError(
                file,
                row,
                column,
                f"unknown transfer type {ttype!r} for CryptoTransferIn: expected CARF501 … CARF509",
            )
    elif cat is Category.CRYPTO_TRANSFER_OUT:
        if t not in TRANSFER_OUT_TYPES:
            raise InputError(
                file,
                row,
                column,
                f"unknown transfer type {ttype!r} for CryptoTransferOut: "
                "expected CARF601 … CARF606",
            )
    elif t:
        raise InputError(file, row, column, f"{cat.value} has no transfer type, got {ttype!r}")
    return t
