"""What a platform report holds, and the cell checks the CSV and XML readers share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ...model import InputError
from ..categories import TRANSFER_IN_TYPES, TRANSFER_OUT_TYPES, Category, LineKey


@dataclass(slots=True)
class ReportLine:
    key: LineKey
    units: Decimal
    amount: Decimal
    currency: str  # ISO 4217 code as the report gives it
    count: int | None  # TransferWallet has no count in the schema
    where: str  # "file:line" of the element / row, for messages
    record: str = ""  # DocRefId of the CryptoUsers record (CARF XML), for corrections


@dataclass(slots=True)
class Record:
    """One CryptoUsers record of a CARF file (its DocSpec), kept for corrections and notes."""

    doc_ref_id: str
    doc_type: str  # OECD0/1/2/3 (10–13 the same as test data)
    corr_doc_ref_id: str
    user: str  # the user's name and TIN, for messages
    where: str


@dataclass(slots=True)
class PlatformReport:
    file: str
    format: str  # "carf-xml" | "csv"
    lines: list[ReportLine]
    #: (platform, year) the report speaks about although it has no line there: a nil report
    #: (CARF703) says "nothing to report", so every ledger line of that platform-year is missing.
    covered: list[tuple[str, int]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # deleted/replaced records, nil report …
    user: str = ""  # the reportable user the lines are of (CARF XML)

    @property
    def scopes(self) -> list[tuple[str, int]]:
        """(platform, year) pairs this report covers."""
        return sorted({(ln.key.platform, ln.key.year) for ln in self.lines} | set(self.covered))


#: DocTypeIndic codes (oecdcarftypes v5.0): 0 resend, 1 new, 2 corrected, 3 deleted; 10–13 the
#: same for test data.
DELETED = frozenset({"OECD3", "OECD13"})
CORRECTED = frozenset({"OECD2", "OECD12"})
DOC_TYPES = frozenset({"OECD0", "OECD1", "OECD2", "OECD3", "OECD10", "OECD11", "OECD12", "OECD13"})


def resolve_corrections(reports: Sequence[PlatformReport]) -> None:
    """Apply the corrections and deletions among the loaded reports, in place.

    A record with DocTypeIndic OECD2 (corrected) or OECD3 (deleted) names the record it
    replaces in ``CorrDocRefId`` (DocSpec, CARF XML schema v1.5). The lines of that record, in
    whichever loaded report it is, are dropped with a note; a corrected record's own lines are
    the data, a deleted record never has lines (the reader skips it).
    """
    replaced: dict[str, tuple[str, str]] = {}
    for rep in reports:
        for rec in rep.records:
            if rec.corr_doc_ref_id and rec.doc_type in CORRECTED | DELETED:
                what = "corrected" if rec.doc_type in CORRECTED else "deleted"
                replaced[rec.corr_doc_ref_id] = (what, rec.where)
    if not replaced:
        return
    for rep in reports:
        gone = sorted({ln.record for ln in rep.lines if ln.record in replaced})
        if not gone:
            continue
        rep.lines = [ln for ln in rep.lines if ln.record not in replaced]
        for ref in gone:
            what, where = replaced[ref]
            rep.notes.append(f"record {ref} is {what} by {where}: its lines are not counted")


CSV_COLUMNS = (
    "platform", "year", "asset", "category", "transfer_type", "units", "amount", "currency",
    "count",
)  # fmt: skip
#: ISO 4217 alphabetic codes are three capital letters; CARF allows any (MonAmnt_Type@currCode).
_CURRENCY = re.compile(r"[A-Z]{3}")


def _currency(text: str, file: str, row: int | None, column: str) -> str:
    code = text.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise InputError(
            file, row, column, f"expected an ISO 4217 currency code like EUR, got {text!r}"
        )
    return code


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
