"""DAC8 / CARF: what each platform reports about the client, and whether the tax report agrees.

Since 2026 Reporting Crypto-Asset Service Providers (CASPs) report **yearly aggregates** per
user × crypto-asset × category to the tax office (Directive (EU) 2023/2226; DE: KStTG, AT:
Krypto-MPfG; see ``shared/domain/dac8-carf.md``). The client never sees that report, so this
module

1. rebuilds it from the (corrected) ledger — the *expected DAC8 view* (:func:`build_view`),
2. reads a platform's report when one is available: the OECD CARF XML or a simple CSV
   (:func:`read_platform_report`),
3. compares both line by line with tolerances (:func:`compare`), naming the ledger
   transactions behind every deviation, and
4. runs the checklist of the reference's § 5 (:func:`build_checklist`), which the PDF uses.

Every figure is a ``Decimal``. Amounts are EUR values of the ledger legs; both a gross and a
net-of-fees amount are kept because the law says "gross" while HMRC's guidance says "net of
fees" (reference § 2, "Fees conflict"). The mapping of ledger rows to CARF elements is
documented row by row in ``docs/dac8.md``.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any
from xml.parsers import expat
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

from .corrections import ADD_INFLOW_GROUP, SET_COST_BASIS_GROUP
from .engine.transfers import pair_transfers
from .engine.types import DisposalKind, PassResult
from .engine.valuation import value_transactions
from .inputs import limits
from .inputs import xml as xml_guard
from .inputs.encoding import not_utf8
from .inputs.text import Role, checked_row, row_is_clean
from .model import (
    ZERO,
    IncomeType,
    InputError,
    Kind,
    Ledger,
    Leg,
    Transaction,
    in_processing_order,
)
from .rules import RuleSet
from .summary import cents

# --------------------------------------------------------------------------------------------
# Codes and parameters
# --------------------------------------------------------------------------------------------


class Category(StrEnum):
    """The eight per-asset elements of ``RelevantTransactions`` (CARF II(A)(3)(b)–(i))."""

    CRYPTO_FIAT_IN = "CryptoFiatIn"
    CRYPTO_FIAT_OUT = "CryptoFiatOut"
    CRYPTO_TO_CRYPTO_IN = "CryptoToCryptoIn"
    CRYPTO_TO_CRYPTO_OUT = "CryptoToCryptoOut"
    CRYPTO_TRANSFER_IN = "CryptoTransferIn"
    CRYPTO_TRANSFER_OUT = "CryptoTransferOut"
    TRANSFER_WALLET = "TransferWallet"
    RRPT = "RRPT"


#: Categories that bring units to the user: their gross amount includes the fee paid on top.
INBOUND = frozenset(
    {Category.CRYPTO_FIAT_IN, Category.CRYPTO_TO_CRYPTO_IN, Category.CRYPTO_TRANSFER_IN}
)
#: Element names are matched case-insensitively, so ``CryptotoCryptoIn`` (the spelling of some
#: DAC8 code bases) is the same element as ``CryptoToCryptoIn`` (v1.5 bindings), reference § 3.
_CATEGORY_BY_LOWER = {c.value.lower(): c for c in Category}

TRANSFER_IN_TYPES = {
    "CARF501": "Airdrop",
    "CARF502": "Staking income",
    "CARF503": "Mining income",
    "CARF504": "Crypto loan",
    "CARF505": "Transfer from another RCASP",
    "CARF506": "Sale of goods or services",
    "CARF507": "Collateral",
    "CARF508": "Other",
    "CARF509": "Unknown",
}
TRANSFER_OUT_TYPES = {
    "CARF601": "Transfer to another RCASP",
    "CARF602": "Crypto loan",
    "CARF603": "Purchase of goods or services (non-RRPT)",
    "CARF604": "Collateral",
    "CARF605": "Other",
    "CARF606": "Unknown",
}
EXCHANGE_TYPES = {"CARF401", "CARF402", "CARF403", "CARF404"}
ALT_VALUATIONS = {"CARF1001", "CARF1002", "CARF1003", "CARF1004"}

#: Income type → CryptoTransferIn type (reference § 5 check 8; lending/interest → 504 is an
#: inference; bounties, hard forks and "other" have no own code).
INCOME_TRANSFER_TYPE = {
    IncomeType.AIRDROP: "CARF501",
    IncomeType.STAKING: "CARF502",
    IncomeType.MINING: "CARF503",
    IncomeType.LENDING: "CARF504",
    IncomeType.INTEREST: "CARF504",
    IncomeType.BOUNTY: "CARF508",
    IncomeType.HARDFORK: "CARF508",
    IncomeType.OTHER: "CARF508",
}

#: Fixed EUR → USD rate for the USD 50,000 RRPT limit and USD reports. A documented
#: approximation (no network price source at run time); override with ``eur_usd=``.
DEFAULT_EUR_USD = Decimal("1.08")
RRPT_LIMIT_USD = Decimal("50000")
#: Unit tolerance: units do not depend on valuation, so only dust may differ.
UNIT_DUST = Decimal("1E-8")
#: Amount tolerance: max(1 %, EUR 5) — reference § 5 check 4.
AMOUNT_REL_TOL = Decimal("0.01")
AMOUNT_ABS_TOL_EUR = Decimal("5")
#: Swap symmetry: the FMVs of both legs of a swap should agree within this spread (§ 5 check 6).
SWAP_SPREAD = Decimal("0.02")
#: Year boundary: rows this close to 1 January local time may land in the other year.
YEAR_BOUNDARY = timedelta(hours=24)

# --------------------------------------------------------------------------------------------
# Platforms: who reports
# --------------------------------------------------------------------------------------------


class PlatformStatus(StrEnum):
    REPORTING = "reporting"  # a CASP that reports (DAC8/CARF)
    SELF_CUSTODY = "self_custody"  # the client's own wallet: nobody reports it
    NOT_REPORTING = "not_reporting"  # custodial but outside CARF (non-EU, DeFi front end …)
    UNKNOWN = "unknown"  # not in the list: treated as not reporting, the client is asked


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameList(_Strict):
    names: list[str] = []
    patterns: list[str] = []

    def matches(self, wallet: str) -> bool:
        w = wallet.casefold()
        return any(n.casefold() == w for n in self.names) or any(
            fnmatch.fnmatchcase(w, p.casefold()) for p in self.patterns
        )


class PlatformsConfig(_Strict):
    """The shape of ``taxsim/data/reporting_platforms.toml`` (and of ``--platforms FILE``)."""

    reporting: NameList = NameList()
    self_custody: NameList = NameList()
    not_reporting: NameList = NameList()
    asset_names: dict[str, str] = {}

    def classify(self, wallet: str, *, on_chain: bool = False) -> PlatformStatus:
        """Classify a wallet name; ``on_chain`` = some of its rows carry a ``chain``."""
        if self.not_reporting.matches(wallet):
            return PlatformStatus.NOT_REPORTING
        if self.reporting.matches(wallet):
            return PlatformStatus.REPORTING
        if self.self_custody.matches(wallet) or on_chain:
            return PlatformStatus.SELF_CUSTODY
        return PlatformStatus.UNKNOWN

    def ticker(self, crypto_asset: str) -> str:
        """Ledger ticker for a report's ``CryptoAsset`` (full name or ticker)."""
        name = crypto_asset.strip()
        for full, tick in self.asset_names.items():
            if full.casefold() == name.casefold():
                return tick.upper()
        return name.upper()


def load_platforms(path: str | Path | None = None) -> PlatformsConfig:
    """The packaged platform list, with the sections of ``path`` (if given) replacing it."""
    text = resources.files("taxsim.data").joinpath("reporting_platforms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    if path is not None:
        name = str(path)
        try:
            override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError(name, None, None, "file not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(name, None, None, f"not valid TOML: {exc}") from exc
        data.update(override)
    else:
        name = "taxsim/data/reporting_platforms.toml"
    try:
        return PlatformsConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(
            name,
            None,
            None,
            f"expected sections reporting/self_custody/not_reporting "
            f"(names, patterns) and asset_names: {problems}",
        ) from exc


def classify_wallets(
    txs: Iterable[Transaction], platforms: PlatformsConfig
) -> dict[str, PlatformStatus]:
    """Status of every wallet (and ``to_wallet``) that occurs in the ledger."""
    on_chain: dict[str, bool] = {}
    for tx in txs:
        on_chain[tx.wallet] = on_chain.get(tx.wallet, False) or bool(tx.chain)
        if tx.to_wallet:
            on_chain.setdefault(tx.to_wallet, False)
    return {w: platforms.classify(w, on_chain=c) for w, c in sorted(on_chain.items())}


# --------------------------------------------------------------------------------------------
# The expected DAC8 view
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class LineKey:
    """One line of a CARF report: platform × year × asset × category (× transfer type)."""

    platform: str
    year: int
    asset: str
    category: Category
    transfer_type: str = ""  # CARF5xx / CARF6xx for CryptoTransferIn/Out, else ""


@dataclass(slots=True)
class Entry:
    """One ledger row's contribution to one CARF line."""

    tx_id: str
    time: datetime
    key: LineKey
    units: Decimal
    value: Decimal | None  # EUR value of the leg; None if the ledger gives no way to value it
    fee: Decimal = ZERO  # EUR value of the row's fee
    fee_units: Decimal = ZERO  # fee units in the line's own asset (units gross vs net)
    estimated: bool = False  # value taken from the last price in the ledger

    @property
    def gross(self) -> Decimal:
        """Amount before taking out fees: paid incl. fee (inbound), received (outbound)."""
        v = self.value or ZERO
        return v + self.fee if self.key.category in INBOUND else v

    @property
    def net(self) -> Decimal:
        """Amount after taking out fees: paid excl. fee (inbound), received less fee (outbound)."""
        v = self.value or ZERO
        return v if self.key.category in INBOUND else v - self.fee


@dataclass(slots=True)
class Aggregate:
    """Sum of the entries of one line, with the transactions behind it."""

    key: LineKey
    units: Decimal = ZERO
    gross: Decimal = ZERO
    net: Decimal = ZERO
    fees: Decimal = ZERO
    fee_units: Decimal = ZERO
    count: int = 0
    tx_ids: list[str] = field(default_factory=list)
    unvalued: list[str] = field(default_factory=list)
    estimated: list[str] = field(default_factory=list)

    def add(self, e: Entry) -> None:
        self.units += e.units
        self.gross += e.gross
        self.net += e.net
        self.fees += e.fee
        self.fee_units += e.fee_units
        self.count += 1
        self.tx_ids.append(e.tx_id)
        if e.value is None:
            self.unvalued.append(e.tx_id)
        elif e.estimated:
            self.estimated.append(e.tx_id)


@dataclass(slots=True)
class Dac8View:
    """What the reporting platforms will have reported, rebuilt from the ledger."""

    entries: list[Entry]
    aggregates: dict[LineKey, Aggregate]
    platforms: dict[str, PlatformStatus]
    pairs: dict[str, str]  # own transfers: withdrawal id → deposit id
    transactions: list[Transaction]  # valued, in ledger order
    year: int | None = None
    eur_usd: Decimal = DEFAULT_EUR_USD

    def lines(self, platform: str | None = None, year: int | None = None) -> list[Aggregate]:
        return [
            a
            for k, a in sorted(self.aggregates.items())
            if (platform is None or k.platform == platform) and (year is None or k.year == year)
        ]

    def reporting(self) -> list[str]:
        return [w for w, s in self.platforms.items() if s is PlatformStatus.REPORTING]


def build_view(
    ledger: Ledger | Sequence[Transaction],
    *,
    rules: RuleSet,
    platforms: PlatformsConfig | None = None,
    year: int | None = None,
    eur_usd: Decimal = DEFAULT_EUR_USD,
) -> Dac8View:
    """Map every row of a reporting platform to CARF elements and aggregate them.

    Own transfers are paired over the whole ledger (a December withdrawal may arrive in
    January), then entries are filtered by ``year`` (UTC, as platforms count).
    """
    platforms = platforms or load_platforms()
    txs = in_processing_order(ledger.transactions if isinstance(ledger, Ledger) else ledger)
    # The engine's valuation, and for transfer legs too: the engine leaves those unvalued
    # (they change no tax figure), but CARF reports their fair market value.
    txs, notes = value_transactions(txs, every_leg=True)
    estimated = {n.tx_id for n in notes if n.estimate}
    status = classify_wallets(txs, platforms)
    pairs = pair_transfers(txs, rules)
    by_id = {t.id: t for t in txs}
    source_of = {d: w for w, d in pairs.items()}

    entries: list[Entry] = []
    for tx in txs:
        if tx.group in _WRITTEN_BY_CORRECTIONS:
            tx = _as_the_platform_saw_it(tx)
            if tx is None:
                continue
        for e in _entries_for(tx, status, pairs, source_of, by_id, eur_usd):
            e.estimated = tx.id in estimated
            if year is None or e.key.year == year:
                entries.append(e)
    aggregates: dict[LineKey, Aggregate] = {}
    for e in entries:
        aggregates.setdefault(e.key, Aggregate(e.key)).add(e)
    return Dac8View(entries, aggregates, status, pairs, txs, year, eur_usd)


#: Groups of the rows corrections write as documentation (corrections.py): the EUR leg of each
#: is a counter-entry, not something a platform executed.
_WRITTEN_BY_CORRECTIONS = frozenset({SET_COST_BASIS_GROUP, ADD_INFLOW_GROUP})


def _as_the_platform_saw_it(tx: Transaction) -> Transaction | None:
    """A row a correction wrote, as the platform of its wallet saw it: ``set_cost_basis``
    documents an acquisition outside the ledger (no platform of the ledger reported it:
    nothing); ``add_inflow`` with a cost basis is a deposit written as a EUR purchase so that
    the engines book its cost — the platform saw the deposit (a transfer in)."""
    if tx.group == ADD_INFLOW_GROUP and tx.kind is Kind.TRADE:
        return tx.with_(kind=Kind.DEPOSIT, sell=None)
    return None


def _fee_eur(tx: Transaction) -> Decimal:
    fee = tx.fee
    if fee is None:
        return ZERO
    if fee.eur is not None:
        return fee.eur
    return fee.amount if fee.asset == "EUR" else ZERO


def _fiat_value(fiat: Leg, crypto: Leg) -> Decimal | None:
    """The consideration of a crypto↔fiat trade: the fiat leg (its EUR value)."""
    if fiat.asset == "EUR":
        return fiat.amount
    return fiat.eur if fiat.eur is not None else crypto.eur


def _entries_for(
    tx: Transaction,
    status: dict[str, PlatformStatus],
    pairs: dict[str, str],
    source_of: dict[str, str],
    by_id: dict[str, Transaction],
    eur_usd: Decimal,
) -> list[Entry]:
    """The CARF entries of one row, seen from the reporting platform(s) involved."""
    reporting = PlatformStatus.REPORTING
    out: list[Entry] = []
    fee = _fee_eur(tx)

    def add(
        wallet: str, leg: Leg, cat: Category, ttype: str = "", value: Decimal | None = None
    ) -> None:
        """One entry; ``value`` defaults to the leg's own EUR value."""
        val = value if value is not None else leg.eur
        fee_units = tx.fee.amount if tx.fee is not None and tx.fee.asset == leg.asset else ZERO
        key = LineKey(wallet, tx.time.year, leg.asset, cat, ttype)
        out.append(Entry(tx.id, tx.time, key, leg.amount, val, fee, fee_units))

    def transfer_out(wallet: str, leg: Leg, dest: str | None) -> None:
        """Outflow: 601 to another platform, else 606 plus TransferWallet (§ 2 (h), (i))."""
        if dest is not None and status.get(dest) is reporting:
            add(wallet, leg, Category.CRYPTO_TRANSFER_OUT, "CARF601")
        else:
            add(wallet, leg, Category.CRYPTO_TRANSFER_OUT, "CARF606")
            add(wallet, leg, Category.TRANSFER_WALLET)

    w = tx.wallet
    on_platform = status.get(w) is reporting
    buy, sell = tx.buy, tx.sell
    if tx.kind is Kind.TRADE and on_platform:
        if buy is not None and sell is not None:
            if buy.is_fiat and not sell.is_fiat:
                add(w, sell, Category.CRYPTO_FIAT_OUT, value=_fiat_value(buy, sell))
            elif sell.is_fiat and not buy.is_fiat:
                add(w, buy, Category.CRYPTO_FIAT_IN, value=_fiat_value(sell, buy))
            elif not buy.is_fiat and not sell.is_fiat:
                # One swap = Out on the asset given + In on the asset received (§ 2 (d), (e)).
                add(w, sell, Category.CRYPTO_TO_CRYPTO_OUT, value=sell.eur or buy.eur)
                add(w, buy, Category.CRYPTO_TO_CRYPTO_IN, value=buy.eur or sell.eur)
        # One leg only: the platform sees a transfer (IEIM8000530/540).
        elif buy is not None and not buy.is_fiat:
            add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF509")
        elif sell is not None and not sell.is_fiat:
            add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF606")
    elif tx.kind is Kind.DEPOSIT and on_platform and buy is not None and not buy.is_fiat:
        src = by_id[source_of[tx.id]].wallet if tx.id in source_of else None
        paired_from_platform = src is not None and status.get(src) is reporting
        add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF505" if paired_from_platform else "CARF509")
    elif tx.kind is Kind.WITHDRAWAL and on_platform and sell is not None and not sell.is_fiat:
        dest = by_id[pairs[tx.id]].wallet if tx.id in pairs else None
        transfer_out(w, sell, dest)
    elif tx.kind is Kind.TRANSFER and sell is not None and buy is not None and not sell.is_fiat:
        to = tx.to_wallet or ""
        if on_platform:
            transfer_out(w, sell, to)
        if status.get(to) is reporting:
            add(to, buy, Category.CRYPTO_TRANSFER_IN, "CARF505" if on_platform else "CARF509")
    elif tx.kind is Kind.INCOME and on_platform and buy is not None and not buy.is_fiat:
        itype = tx.income_type or IncomeType.OTHER
        add(w, buy, Category.CRYPTO_TRANSFER_IN, INCOME_TRANSFER_TYPE[itype])
    elif tx.kind is Kind.SPEND and on_platform and sell is not None and not sell.is_fiat:
        if sell.eur is not None and sell.eur * eur_usd > RRPT_LIMIT_USD:
            add(w, sell, Category.RRPT)
        else:
            add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF603")
    elif tx.kind is Kind.GIFT and on_platform:
        # The platform sees an inflow from / outflow to an address it does not know.
        if buy is not None and not buy.is_fiat:
            add(w, buy, Category.CRYPTO_TRANSFER_IN, "CARF509")
        elif sell is not None and not sell.is_fiat:
            transfer_out(w, sell, None)
    elif tx.kind in (Kind.LOST, Kind.STOLEN) and on_platform and sell and not sell.is_fiat:
        add(w, sell, Category.CRYPTO_TRANSFER_OUT, "CARF605")
    return out


# --------------------------------------------------------------------------------------------
# Platform reports: OECD CARF XML and the simple CSV
# --------------------------------------------------------------------------------------------


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


def read_platform_report(
    path: str | Path,
    *,
    platform: str | None = None,
    platforms: PlatformsConfig | None = None,
    known_wallets: Iterable[str] = (),
) -> PlatformReport:
    """Read a platform's DAC8 report (CARF XML or CSV, by content).

    The platform is ``platform`` if given; otherwise (XML) the RCASP's name, then the file
    name, matched against the ledger's wallets and the configured platforms.
    """
    platforms = platforms or load_platforms()
    known = list(dict.fromkeys([*known_wallets, *platforms.reporting.names]))
    name = str(path)
    try:
        size = Path(path).stat().st_size
        limits.check_file_size(name, size, "xml_bytes")  # the larger of the two limits
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(name, None, None, "file not found") from exc
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read the file: {exc.strerror}") from None
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        xml_guard.check(name, data)  # size, depth, text nodes, characters (taxsim.inputs)
        return _read_xml(name, data, platform, platforms, known)
    limits.check_file_size(name, size)
    return _read_csv(name, data, platform, platforms, known)


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


def _read_csv(
    name: str, data: bytes, platform: str | None, cfg: PlatformsConfig, known: Sequence[str]
) -> PlatformReport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(name, ",", "platform report CSV (or a CARF XML)") from None
    # The csv module on the whole text: quoted cells may hold line breaks (and U+2028, which
    # str.splitlines would split on). Rows are numbered as a spreadsheet shows them: the
    # header is row 1, and a record spanning several lines is one row.
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0  # the last row read without error
    try:
        header = [h.strip().lower() for h in next(records, [])]
        number = 1
        if sorted(header) != sorted(CSV_COLUMNS):
            raise InputError(
                name,
                1,
                None,
                f"expected the CSV header {','.join(CSV_COLUMNS)} (any order), "
                f"got {','.join(header) or 'an empty file'}",
            )
        rows: list[tuple[int, list[str]]] = []
        # every cell refused, not shown; the platform is matched by its words (free text)
        roles = [Role.FREE if h == "platform" else Role.OTHER for h in header]
        for number, raw in enumerate(records, start=2):
            if not row_is_clean(raw):  # the input boundary (taxsim.inputs)
                raw = checked_row(raw, roles, name, number, header)  # type: ignore[assignment]
            rows.append((number, raw))
    except csv.Error as exc:
        raise InputError(name, number + 1, None, f"malformed CSV: {exc}") from None
    lines: list[ReportLine] = []
    for i, raw in rows:
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            raise InputError(name, i, None, f"expected {len(header)} cells, got {len(raw)}")
        row = dict(zip(header, raw, strict=True))
        pname = row["platform"].strip() or (platform or "")
        if not pname:
            raise InputError(name, i, "platform", "expected a platform name")
        resolved = _resolve_platform([pname], known)
        year_t = row["year"].strip()
        if not (year_t.isdigit() and len(year_t) == 4):
            raise InputError(name, i, "year", f"expected a year like 2026, got {year_t!r}")
        cat = _CATEGORY_BY_LOWER.get(row["category"].strip().lower())
        if cat is None:
            raise InputError(
                name,
                i,
                "category",
                f"unknown category {row['category']!r}: expected one of "
                + ", ".join(c.value for c in Category),
            )
        ttype = _check_type(cat, row["transfer_type"], name, i, "transfer_type")
        asset = row["asset"].strip()
        if not asset:
            raise InputError(name, i, "asset", "expected a crypto-asset (ticker or name)")
        currency = row["currency"].strip().upper()
        if currency not in _CURRENCIES:
            raise InputError(name, i, "currency", f"expected EUR or USD, got {currency!r}")
        count_t = row["count"].strip()
        count = _count(count_t, name, i, "count") if count_t else None
        if count is None and cat is not Category.TRANSFER_WALLET:
            raise InputError(name, i, "count", "expected the number of transactions")
        key = LineKey(resolved or pname, int(year_t), cfg.ticker(asset), cat, ttype)
        lines.append(
            ReportLine(
                key,
                _decimal(row["units"], name, i, "units", "a number of units"),
                _decimal(row["amount"], name, i, "amount", "an amount"),
                currency,
                count,
                f"{name}:{i}",
            )
        )
    return PlatformReport(name, "csv", lines)


# --- XML ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    name: str  # local name, lower-case (namespace-agnostic, case-insensitive)
    tag: str  # local name as written, for messages
    attrs: dict[str, str]  # local attribute names, lower-case
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def child(self, name: str) -> _Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.name == name]

    def find(self, name: str) -> _Node | None:
        """First descendant with this name (depth first)."""
        for c in self.children:
            if c.name == name:
                return c
            hit = c.find(name)
            if hit is not None:
                return hit
        return None


class _Forbidden(Exception):
    pass


def _parse_xml(name: str, data: bytes) -> _Node:
    """Parse with expat into a light tree with line numbers.

    DTDs and entity declarations are refused outright (no entity expansion, no external
    resources: the billion-laughs and XXE attacks need a DOCTYPE). Namespaces are dropped.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    root: list[_Node] = []

    def local(n: str) -> str:
        return n.rsplit(" ", 1)[-1]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(
            local(tag).lower(),
            local(tag),
            {local(k).lower(): v for k, v in attrs.items()},
            parser.CurrentLineNumber,
        )
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        node.text = node.text.strip()

    def chars(text: str) -> None:
        if stack:
            stack[-1].text += text

    def forbid(*_args: object) -> None:
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise InputError(
            name,
            parser.CurrentLineNumber,
            None,
            "a DOCTYPE or ENTITY declaration is not allowed in a CARF report",
        ) from None
    except expat.ExpatError as exc:
        raise InputError(
            name, exc.lineno, None, f"not well-formed XML: {expat.ErrorString(exc.code)}"
        ) from None
    return root[0]


_FIGURES = {"numberoftransactions", "amount", "numberofunits"}
_ALLOWED_CHILDREN = {
    **{c: _FIGURES | {"exchangetype"} for c in (
        "cryptofiatin", "cryptofiatout", "cryptotocryptoin", "cryptotocryptoout")},
    "cryptotransferin": _FIGURES | {"transfertype", "altvaluation"},
    "cryptotransferout": _FIGURES | {"transfertype", "altvaluation"},
    "transferwallet": {"amount", "numberofunits", "altvaluation"},
    "rrpt": set(_FIGURES),
}  # fmt: skip


def _read_xml(
    name: str, data: bytes, platform: str | None, cfg: PlatformsConfig, known: Sequence[str]
) -> PlatformReport:
    root = _parse_xml(name, data)
    if root.name != "carf_oecd":
        raise InputError(name, root.line, root.tag, "expected the root element CARF_OECD")
    spec = root.child("messagespec")
    period = spec.child("reportingperiod") if spec is not None else None
    if period is None:
        raise InputError(name, root.line, "ReportingPeriod", "expected MessageSpec/ReportingPeriod")
    try:
        year = date.fromisoformat(period.text).year
    except ValueError:
        raise InputError(
            name,
            period.line,
            "ReportingPeriod",
            f"expected a date like 2026-12-31, got {period.text!r}",
        ) from None

    lines: list[ReportLine] = []
    bodies = root.all("carfbody")
    if not bodies:
        raise InputError(name, root.line, "CARFBody", "expected at least one CARFBody")
    for body in bodies:
        rcasp = body.child("rcasp")
        rname_node = rcasp.find("name") if rcasp is not None else None
        rname = rname_node.text if rname_node is not None else ""
        pname = platform or _resolve_platform([rname, Path(name).stem], known)
        if not pname:
            raise InputError(
                name,
                body.line,
                "RCASP",
                f"cannot tell which platform this report is from "
                f"(RCASP name {rname!r}); give it with --platform NAME",
            )
        for users in body.all("cryptousers"):
            for rt in users.all("relevanttransactions"):
                lines.extend(_relevant(name, rt, pname, year, cfg))
    return PlatformReport(name, "carf-xml", lines)


def _relevant(
    name: str, rt: _Node, platform: str, year: int, cfg: PlatformsConfig
) -> list[ReportLine]:
    asset_node = rt.child("cryptoasset")
    if asset_node is None or not asset_node.text:
        raise InputError(name, rt.line, "CryptoAsset", "expected the crypto-asset's name")
    asset = cfg.ticker(asset_node.text)
    out: list[ReportLine] = []
    for el in rt.children:
        if el.name == "cryptoasset":
            continue
        cat = _CATEGORY_BY_LOWER.get(el.name)
        if cat is None:
            raise InputError(
                name,
                el.line,
                el.tag,
                "unknown element in RelevantTransactions: expected one "
                "of CryptoAsset, " + ", ".join(c.value for c in Category),
            )
        allowed = _ALLOWED_CHILDREN[el.name]
        for c in el.children:
            if c.name not in allowed:
                raise InputError(name, c.line, c.tag, f"unexpected element in {el.tag}")
        ttype = ""
        if cat in (Category.CRYPTO_TRANSFER_IN, Category.CRYPTO_TRANSFER_OUT):
            tnode = el.child("transfertype")
            if tnode is None:
                raise InputError(
                    name, el.line, "TransferType", f"expected a TransferType in {el.tag}"
                )
            ttype = _check_type(cat, tnode.text, name, tnode.line, "TransferType")
        for code_el, codes in (("exchangetype", EXCHANGE_TYPES), ("altvaluation", ALT_VALUATIONS)):
            n = el.child(code_el)
            if n is not None and n.text.upper() not in codes:
                raise InputError(
                    name,
                    n.line,
                    n.tag,
                    f"unknown code {n.text!r}: expected one of " + ", ".join(sorted(codes)),
                )
        amount = el.child("amount")
        units = el.child("numberofunits")
        if amount is None or units is None:
            raise InputError(name, el.line, el.tag, "expected Amount and NumberofUnits")
        currency = amount.attrs.get("currcode", "").upper()
        if currency not in _CURRENCIES:
            raise InputError(
                name, amount.line, "currCode", f"expected currCode EUR or USD, got {currency!r}"
            )
        count: int | None = None
        if cat is not Category.TRANSFER_WALLET:
            cnode = el.child("numberoftransactions")
            if cnode is None:
                raise InputError(name, el.line, el.tag, "expected NumberofTransactions")
            count = _count(cnode.text, name, cnode.line, "NumberofTransactions")
        out.append(
            ReportLine(
                LineKey(platform, year, asset, cat, ttype),
                _decimal(units.text, name, units.line, "NumberofUnits", "a number of units"),
                _decimal(amount.text, name, amount.line, "Amount", "an amount"),
                currency,
                count,
                f"{name}:{el.line}",
            )
        )
    return out


# --- writers (samples, and for a client who wants to hand the expected report to an adviser)


def render_carf_xml(view: Dac8View, platform: str, year: int, *, user: str = "") -> str:
    """The expected report of ``platform`` for ``year`` as an OECD CARF v1.5 XML skeleton.

    Party details are placeholders; figures are the gross amounts rounded to cents. Every text
    from the ledger is XML-escaped.
    """
    from xml.sax.saxutils import escape, quoteattr

    by_asset: dict[str, list[Aggregate]] = defaultdict(list)
    for a in view.lines(platform=platform, year=year):
        by_asset[a.key.asset].append(a)
    order = list(Category)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<carf:CARF_OECD xmlns:carf="urn:oecd:ties:carf:v1" '
        'xmlns:stf="urn:oecd:ties:carfstf:v5" version="1.5">',
        "  <carf:MessageSpec>",
        "    <carf:TransmittingCountry>DE</carf:TransmittingCountry>",
        "    <carf:ReceivingCountry>DE</carf:ReceivingCountry>",
        "    <carf:MessageType>CARF</carf:MessageType>",
        f"    <carf:MessageRefId>TAXSIM-{year}-0001</carf:MessageRefId>",
        "    <carf:MessageTypeIndic>CARF701</carf:MessageTypeIndic>",
        f"    <carf:ReportingPeriod>{year}-12-31</carf:ReportingPeriod>",
        f"    <carf:Timestamp>{year + 1}-07-01T09:00:00</carf:Timestamp>",
        "  </carf:MessageSpec>",
        "  <carf:CARFBody>",
        "    <carf:RCASP><carf:RCASP_ID><carf:Entity>"
        f"<carf:Name>{escape(platform)}</carf:Name></carf:Entity></carf:RCASP_ID>"
        "<carf:DocSpec><stf:DocTypeIndic>OECD11</stf:DocTypeIndic>"
        f"<stf:DocRefId>TAXSIM-{year}-RCASP</stf:DocRefId></carf:DocSpec></carf:RCASP>",
        "    <carf:CryptoUsers>",
        "      <carf:UserID><carf:Individual><carf:Name><carf:FirstName>"
        f"{escape(user or 'Sample')}</carf:FirstName><carf:LastName>Client</carf:LastName>"
        "</carf:Name></carf:Individual></carf:UserID>",
    ]
    for asset in sorted(by_asset):
        out.append("      <carf:RelevantTransactions>")
        out.append(f"        <carf:CryptoAsset>{escape(asset)}</carf:CryptoAsset>")
        for a in sorted(by_asset[asset], key=lambda a: (order.index(a.key.category), a.key)):
            tag = a.key.category.value
            parts = []
            if a.key.transfer_type:
                parts.append(f"<carf:TransferType>{a.key.transfer_type}</carf:TransferType>")
            if a.key.category is not Category.TRANSFER_WALLET:
                parts.append(f"<carf:NumberofTransactions>{a.count}</carf:NumberofTransactions>")
            parts.append(f"<carf:Amount currCode={quoteattr('EUR')}>{cents(a.gross)}</carf:Amount>")
            parts.append(f"<carf:NumberofUnits>{_fmt(a.units)}</carf:NumberofUnits>")
            out.append(f"        <carf:{tag}>{''.join(parts)}</carf:{tag}>")
        out.append("      </carf:RelevantTransactions>")
    out += [
        "      <carf:DocSpec><stf:DocTypeIndic>OECD11</stf:DocTypeIndic>"
        f"<stf:DocRefId>TAXSIM-{year}-USER-1</stf:DocRefId></carf:DocSpec>",
        "    </carf:CryptoUsers>",
        "  </carf:CARFBody>",
        "</carf:CARF_OECD>",
        "",
    ]
    return "\n".join(out)


def render_report_csv(view: Dac8View, platform: str, year: int) -> str:
    """The expected report of ``platform`` for ``year`` in the simple CSV (docs/dac8.md).

    Text cells are neutralised so a spreadsheet never reads them as a formula."""
    import io

    def safe(text: str) -> str:
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for a in view.lines(platform=platform, year=year):
        k = a.key
        count = "" if k.category is Category.TRANSFER_WALLET else str(a.count)
        w.writerow(
            [safe(k.platform), k.year, safe(k.asset), k.category.value, k.transfer_type,
             _fmt(a.units), cents(a.gross), "EUR", count]
        )  # fmt: skip
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------


class Severity(StrEnum):
    INFO = "info"  # explainable (fee treatment, split fills)
    WARN = "warn"
    FAIL = "fail"


@dataclass(slots=True)
class Deviation:
    key: LineKey
    field: str  # "units" | "count" | "amount" | "not_reported" | "not_in_ledger"
    severity: Severity
    expected: Decimal | int | None
    reported: Decimal | int | None
    message_en: str
    message_de: str
    tx_ids: list[str]
    where: str = ""  # report location(s), "file:line"
    report: str = ""  # the report file compared


def _fmt(d: Decimal | int | None) -> str:
    if d is None:
        return "–"
    if isinstance(d, int):
        return str(d)
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:f}".rstrip("0")


def compare(
    view: Dac8View,
    reports: Iterable[PlatformReport],
    *,
    unit_dust: Decimal = UNIT_DUST,
    rel_tol: Decimal = AMOUNT_REL_TOL,
    abs_tol_eur: Decimal = AMOUNT_ABS_TOL_EUR,
) -> list[Deviation]:
    """Compare the reports with the expected view, per platform × year × asset × category.

    Units must agree within ``unit_dust`` (a gap equal to the fee units is "fee treatment",
    info); counts differing is info (split or merged fills); amounts must agree within
    max(``rel_tol``, ``abs_tol_eur``) with either the gross or the net amount (net = info).
    A line on one side only is a failure. Each report is compared on its own (two reports of
    the same platform and year are two opinions, not two halves); with ``view.year`` set, lines
    of other years are left out.
    """
    out: list[Deviation] = []
    for rep in reports:
        for d in _compare_report(view, rep, unit_dust, rel_tol, abs_tol_eur):
            d.report = rep.file
            out.append(d)
    return out


def _compare_report(
    view: Dac8View,
    rep: PlatformReport,
    unit_dust: Decimal,
    rel_tol: Decimal,
    abs_tol_eur: Decimal,
) -> list[Deviation]:
    reported: dict[LineKey, list[ReportLine]] = defaultdict(list)
    for ln in rep.lines:
        if view.year is None or ln.key.year == view.year:
            reported[ln.key].append(ln)
    scopes = {(k.platform, k.year) for k in reported}
    expected_keys = {k for k in view.aggregates if (k.platform, k.year) in scopes}
    out: list[Deviation] = []
    for key in sorted(expected_keys | set(reported)):
        agg = view.aggregates.get(key)
        lines = reported.get(key)
        label = _label(key)
        if lines is None:
            assert agg is not None
            out.append(
                Deviation(
                    key, "not_reported", Severity.FAIL, agg.units, None,
                    f"{label}: the ledger has {agg.count} transaction(s) "
                    f"({_fmt(agg.units)} {key.asset}) the platform's report does not show.",
                    f"{label}: Im Ledger stehen {agg.count} Transaktion(en) "
                    f"({_fmt(agg.units)} {key.asset}), die in der Meldung der Plattform fehlen.",
                    list(agg.tx_ids), rep.file,
                )
            )  # fmt: skip
            continue
        units = sum((ln.units for ln in lines), ZERO)
        amount = sum((ln.amount for ln in lines), ZERO)
        counts = [ln.count for ln in lines]
        count = None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
        currency = lines[0].currency
        where = ", ".join(ln.where for ln in lines)
        if agg is None:
            out.append(
                Deviation(
                    key, "not_in_ledger", Severity.FAIL, None, units,
                    f"{label}: the platform reports {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}) but the ledger has no such transaction.",
                    f"{label}: Die Plattform meldet {_fmt(units)} {key.asset} "
                    f"({cents(amount)} {currency}), im Ledger gibt es dazu keine Transaktion.",
                    [], where,
                )
            )  # fmt: skip
            continue
        ids = list(agg.tx_ids)
        diff = units - agg.units
        if abs(diff) > unit_dust:
            if agg.fee_units and abs(diff - agg.fee_units) <= unit_dust:
                out.append(
                    Deviation(
                        key, "units", Severity.INFO, agg.units, units,
                        f"{label}: the report counts the fee units too "
                        f"({_fmt(agg.fee_units)} {key.asset}); this is fee treatment, "
                        "not an error.",
                        f"{label}: Die Meldung zählt die Gebühr mit "
                        f"({_fmt(agg.fee_units)} {key.asset}); das ist Gebührenbehandlung, "
                        "kein Fehler.",
                        ids, where,
                    )
                )  # fmt: skip
            else:
                out.append(
                    Deviation(
                        key, "units", Severity.FAIL, agg.units, units,
                        f"{label}: the platform reports {_fmt(units)} {key.asset}, the ledger has "
                        f"{_fmt(agg.units)} (difference {_fmt(diff)}). Units do not depend on "
                        "prices: a transaction is missing, extra or booked differently.",
                        f"{label}: Die Plattform meldet {_fmt(units)} {key.asset}, das Ledger "
                        f"{_fmt(agg.units)} (Differenz {_fmt(diff)}). Stückzahlen hängen nicht "
                        "vom Kurs ab: eine Transaktion fehlt, ist zu viel oder anders gebucht.",
                        ids, where,
                    )
                )  # fmt: skip
        if (
            key.category is not Category.TRANSFER_WALLET
            and count is not None
            and count != agg.count
        ):
            out.append(
                Deviation(
                    key, "count", Severity.INFO, agg.count, count,
                    f"{label}: {count} transaction(s) reported, {agg.count} in the ledger; "
                    "platforms often split or merge order fills, so this alone is no error.",
                    f"{label}: {count} Transaktion(en) gemeldet, {agg.count} im Ledger; "
                    "Plattformen teilen oder bündeln Teilausführungen oft, das allein ist "
                    "kein Fehler.",
                    ids, where,
                )
            )  # fmt: skip
        rate = view.eur_usd if currency == "USD" else Decimal(1)
        gross, net = agg.gross * rate, agg.net * rate
        tol = max(abs(gross) * rel_tol, abs_tol_eur * rate)
        if abs(amount - gross) > tol:
            if agg.fees and abs(amount - net) <= tol:
                out.append(
                    Deviation(
                        key, "amount", Severity.INFO, cents(gross), amount,
                        f"{label}: the platform reports the amount net of fees "
                        f"({cents(amount)} {currency}; gross {cents(gross)}, fees "
                        f"{cents(agg.fees * rate)}); this is fee treatment, not an error.",
                        f"{label}: Die Plattform meldet den Betrag nach Gebühren "
                        f"({cents(amount)} {currency}; brutto {cents(gross)}, Gebühren "
                        f"{cents(agg.fees * rate)}); das ist Gebührenbehandlung, kein Fehler.",
                        ids, where,
                    )
                )  # fmt: skip
            else:
                conv = " (converted at a fixed EUR/USD rate)" if currency == "USD" else ""
                conv_de = " (zum festen EUR/USD-Kurs umgerechnet)" if currency == "USD" else ""
                out.append(
                    Deviation(
                        key, "amount", Severity.FAIL, cents(gross), amount,
                        f"{label}: the platform reports {cents(amount)} {currency}, the ledger "
                        f"gives {cents(gross)} {currency}{conv} — more than the tolerance of "
                        f"{cents(tol)}.",
                        f"{label}: Die Plattform meldet {cents(amount)} {currency}, das Ledger "
                        f"ergibt {cents(gross)} {currency}{conv_de} — mehr als die Toleranz von "
                        f"{cents(tol)}.",
                        ids, where,
                    )
                )  # fmt: skip
    return out


def _label(key: LineKey) -> str:
    t = f" {key.transfer_type}" if key.transfer_type else ""
    return f"{key.platform} {key.year} {key.asset} {key.category.value}{t}"


# --------------------------------------------------------------------------------------------
# Checklist (reference § 5)
# --------------------------------------------------------------------------------------------


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NA = "n/a"


@dataclass(slots=True)
class Check:
    number: int  # reference § 5 numbering
    key: str
    title_en: str
    title_de: str
    status: Status
    message_en: str
    message_de: str
    tx_ids: list[str] = field(default_factory=list)


def build_checklist(
    ledger: Ledger | Sequence[Transaction],
    *,
    rules: RuleSet,
    pass_result: PassResult | None = None,
    reports: Sequence[PlatformReport] = (),
    year: int | None = None,
    platforms: PlatformsConfig | None = None,
    eur_usd: Decimal = DEFAULT_EUR_USD,
    view: Dac8View | None = None,
    deviations: Sequence[Deviation] | None = None,
) -> list[Check]:
    """The 15 checks of the reference's § 5, each pass / warn / fail / n/a, in German and
    English, with the transactions behind each warning. ``view`` and ``deviations`` may be
    passed when already computed (the CLI does), otherwise they are built here."""
    if view is None:
        view = build_view(ledger, rules=rules, platforms=platforms, year=year, eur_usd=eur_usd)
    if deviations is None:
        deviations = compare(view, reports)
    checks = [
        _check_rebuild(view),
        _check_deviation(2, "units", "Units match", "Stückzahlen stimmen", reports, deviations),
        _check_deviation(3, "count", "Counts match", "Anzahl stimmt", reports, deviations),
        _check_deviation(4, "amount", "Amounts match", "Beträge stimmen", reports, deviations),
        _check_fees(view, reports, deviations),
        _check_swaps(view),
        _check_disposals(view, pass_result, year),
        _check_income(view, reports),
        _check_own_transfers(view),
        _check_unmatched_deposits(view),
        _check_year_boundary(view, rules, year),
        _check_one_sided(view),
        _check_rrpt(view),
        Check(
            14,
            "identity",
            "Identity data",
            "Identitätsdaten",
            Status.NA,
            "taxsim has no identity data. Compare the name, tax ID (TIN) and country of "
            "residence the platform holds with your tax return: an outdated residence sends "
            "the data to the wrong country.",
            "taxsim kennt keine Identitätsdaten. Vergleichen Sie Name, Steuer-ID und "
            "Wohnsitzland bei der Plattform mit Ihrer Steuererklärung: ein veralteter Wohnsitz "
            "schickt die Daten an das falsche Land.",
        ),  # fmt: skip
        _check_coverage(view, reports),
    ]
    return checks


def _in_scope(view: Dac8View, tx: Transaction) -> bool:
    return view.year is None or tx.time.year == view.year


def _on_platform(view: Dac8View, tx: Transaction) -> bool:
    return view.platforms.get(tx.wallet) is PlatformStatus.REPORTING and _in_scope(view, tx)


def _check_rebuild(view: Dac8View) -> Check:
    lines = list(view.aggregates.values())
    unvalued = sorted({t for a in lines for t in a.unvalued})
    estimated = sorted({t for a in lines for t in a.estimated})
    n, p = len(lines), len({a.key.platform for a in lines})
    if unvalued:
        return Check(
            1, "rebuild", "Expected report rebuilt", "Erwartete Meldung nachgebildet", Status.WARN,
            f"{n} report lines rebuilt for {p} platform(s), but {len(unvalued)} transaction(s) "
            "have no EUR value, so their amounts count as 0.",
            f"{n} Meldezeilen für {p} Plattform(en) nachgebildet, aber {len(unvalued)} "
            "Transaktion(en) haben keinen EUR-Wert; ihre Beträge zählen als 0.",
            unvalued,
        )  # fmt: skip
    extra_en = (
        f" {len(estimated)} transaction(s) valued at the last price in the ledger."
        if estimated
        else ""
    )
    extra_de = (
        f" {len(estimated)} Transaktion(en) mit dem letzten Kurs im Ledger bewertet."
        if estimated
        else ""
    )
    return Check(
        1, "rebuild", "Expected report rebuilt", "Erwartete Meldung nachgebildet", Status.PASS,
        f"{n} report lines rebuilt for {p} reporting platform(s) from your ledger.{extra_en}",
        f"{n} Meldezeilen für {p} meldende Plattform(en) aus Ihrem Ledger nachgebildet.{extra_de}",
        estimated,
    )  # fmt: skip


def _check_deviation(
    number: int,
    fld: str,
    title_en: str,
    title_de: str,
    reports: Sequence[PlatformReport],
    deviations: Sequence[Deviation],
) -> Check:
    if not reports:
        return Check(
            number, fld, title_en, title_de, Status.NA,
            "No platform report loaded, so there is nothing to compare with.",
            "Keine Meldung einer Plattform geladen, daher kein Vergleich möglich.",
        )  # fmt: skip
    fields = {fld} | ({"not_reported", "not_in_ledger"} if fld == "units" else set())
    devs = [d for d in deviations if d.field in fields]
    hard = [d for d in devs if d.severity is not Severity.INFO]
    soft = [d for d in devs if d.severity is Severity.INFO]
    ids = sorted({t for d in devs for t in d.tx_ids})
    if hard:
        status = Status.FAIL if fld != "count" else Status.WARN
        return Check(
            number, fld, title_en, title_de, status,
            f"{len(hard)} line(s) differ from the platform's report: "
            + " ".join(d.message_en for d in hard),
            f"{len(hard)} Zeile(n) weichen von der Meldung der Plattform ab: "
            + " ".join(d.message_de for d in hard),
            ids,
        )  # fmt: skip
    if soft and fld == "count":
        return Check(
            number, fld, title_en, title_de, Status.WARN,
            f"{len(soft)} line(s) have a different number of transactions. Where units and "
            "amounts agree, the platform most likely split or merged order fills.",
            f"{len(soft)} Zeile(n) haben eine andere Anzahl Transaktionen. Wo Stückzahlen und "
            "Beträge stimmen, hat die Plattform wohl Teilausführungen geteilt oder gebündelt.",
            ids,
        )  # fmt: skip
    return Check(
        number, fld, title_en, title_de, Status.PASS,
        "The platform's report agrees with your ledger"
        + (" (differences explained by fees)." if soft else "."),
        "Die Meldung der Plattform stimmt mit Ihrem Ledger überein"
        + (" (Unterschiede durch Gebühren erklärt)." if soft else "."),
        ids,
    )  # fmt: skip


def _check_fees(
    view: Dac8View, reports: Sequence[PlatformReport], deviations: Sequence[Deviation]
) -> Check:
    fees = sum((e.fee for e in view.entries), ZERO)
    explained = [d for d in deviations if d.severity is Severity.INFO and d.field != "count"]
    title = ("Fees: gross and net", "Gebühren: brutto und netto")
    if explained:
        return Check(
            5, "fees", *title, Status.PASS,
            f"{len(explained)} line(s) differ from the report by exactly the fees: the "
            "platform counts fees differently, which is not an error.",
            f"{len(explained)} Zeile(n) weichen genau um die Gebühren ab: die Plattform "
            "behandelt Gebühren anders, das ist kein Fehler.",
            sorted({t for d in explained for t in d.tx_ids}),
        )  # fmt: skip
    return Check(
        5, "fees", *title, Status.PASS,
        f"Amounts are computed both gross and net of fees (fees: {cents(fees)} EUR), so a "
        "report in either convention can be checked."
        + ("" if reports else " No report loaded yet."),
        f"Beträge werden brutto und netto nach Gebühren berechnet (Gebühren: {cents(fees)} EUR); "
        "eine Meldung in beiden Varianten lässt sich prüfen."
        + ("" if reports else " Noch keine Meldung geladen."),
    )  # fmt: skip


def _check_swaps(view: Dac8View) -> Check:
    title = ("Both sides of swaps", "Beide Seiten von Tauschgeschäften")
    bad: list[str] = []
    n = 0
    for tx in view.transactions:
        if not (tx.is_swap and _on_platform(view, tx)):
            continue
        n += 1
        assert tx.buy is not None and tx.sell is not None
        out_v, in_v = tx.sell.eur, tx.buy.eur
        if out_v is None or in_v is None:
            continue  # one leg priced from the other: symmetric by construction
        hi = max(out_v, in_v)
        if hi and abs(out_v - in_v) / hi > SWAP_SPREAD:
            bad.append(tx.id)
    if bad:
        return Check(
            6, "swaps", *title, Status.WARN,
            f"In {len(bad)} of {n} swap(s) the value given and the value received differ by "
            f"more than {SWAP_SPREAD:%}; the platform may report other values. Check the prices.",
            f"Bei {len(bad)} von {n} Tauschgeschäft(en) weichen hingegebener und erhaltener Wert "
            f"um mehr als {SWAP_SPREAD:%} ab; die Plattform meldet womöglich andere Werte.",
            bad,
        )  # fmt: skip
    return Check(
        6, "swaps", *title, Status.PASS,
        f"All {n} swap(s) on reporting platforms appear on both sides with matching values.",
        f"Alle {n} Tauschgeschäft(e) erscheinen auf beiden Seiten mit passenden Werten.",
    )  # fmt: skip


_DISPOSAL_CATEGORIES = {Category.CRYPTO_FIAT_OUT, Category.CRYPTO_TO_CRYPTO_OUT, Category.RRPT}


def _check_disposals(view: Dac8View, pass_result: PassResult | None, year: int | None) -> Check:
    title = ("Disposals covered", "Veräußerungen abgedeckt")
    if pass_result is None:
        return Check(
            7, "disposals", *title, Status.NA,
            "Needs the tax computation; run it together with the tax report.",
            "Dafür wird die Steuerberechnung benötigt; zusammen mit dem Steuerbericht ausführen.",
        )  # fmt: skip
    kinds = {DisposalKind.SALE, DisposalKind.SWAP, DisposalKind.SPEND}
    taxed = {
        d.tx_id
        for d in pass_result.disposals
        if d.kind in kinds
        and view.platforms.get(d.wallet) is PlatformStatus.REPORTING
        and (year is None or d.time.year == year)
    }
    reported = {
        e.tx_id
        for e in view.entries
        if e.key.category in _DISPOSAL_CATEGORIES or e.key.transfer_type == "CARF603"
    }
    missing, extra = sorted(taxed - reported), sorted(reported - taxed)
    if missing or extra:
        return Check(
            7, "disposals", *title, Status.WARN,
            f"{len(missing)} disposal(s) of the tax computation will not appear as a sale, swap "
            f"or payment in the platforms' reports, and {len(extra)} reported sale(s) or "
            "payment(s) are not a disposal in the tax computation. Check these transactions.",
            f"{len(missing)} Veräußerung(en) der Steuerberechnung erscheinen in den Meldungen "
            f"nicht als Verkauf, Tausch oder Zahlung, und {len(extra)} gemeldete Verkäufe oder "
            "Zahlungen sind in der Steuerberechnung keine Veräußerung. Bitte prüfen.",
            missing + extra,
        )  # fmt: skip
    return Check(
        7, "disposals", *title, Status.PASS,
        f"All {len(taxed)} disposal(s) on reporting platforms in the tax computation match the "
        "sales, swaps and payments the platforms report.",
        f"Alle {len(taxed)} Veräußerung(en) auf meldenden Plattformen entsprechen den gemeldeten "
        "Verkäufen, Tauschgeschäften und Zahlungen.",
    )  # fmt: skip


def _check_income(view: Dac8View, reports: Sequence[PlatformReport]) -> Check:
    title = ("Income types", "Einkunftsarten")
    income = [t for t in view.transactions if t.kind is Kind.INCOME and _on_platform(view, t)]
    vague = [
        t.id for t in income if INCOME_TRANSFER_TYPE[t.income_type or IncomeType.OTHER] == "CARF508"
    ]
    # Where the platform reported 508/509 for an asset the client records as typed income.
    typed = defaultdict(list)
    for t in income:
        code = INCOME_TRANSFER_TYPE[t.income_type or IncomeType.OTHER]
        if code != "CARF508" and t.buy is not None:
            typed[(t.wallet, t.time.year, t.buy.asset)].append(t.id)
    relabeled: list[str] = []
    for rep in reports:
        for ln in rep.lines:
            k = ln.key
            if k.category is Category.CRYPTO_TRANSFER_IN and k.transfer_type in (
                "CARF508",
                "CARF509",
            ):
                relabeled.extend(typed.get((k.platform, k.year, k.asset), []))
    if relabeled or vague:
        return Check(
            8, "income", *title, Status.WARN,
            f"{len(relabeled)} income transaction(s) are reported by the platform as 'other' or "
            f"'unknown' transfers, and {len(vague)} have a type without its own DAC8 code. "
            "Keep proof of what this income is (staking, lending, airdrop …).",
            f"{len(relabeled)} Einnahme(n) meldet die Plattform als 'sonstige' oder 'unbekannte' "
            f"Übertragung, und {len(vague)} haben eine Art ohne eigenen DAC8-Code. Belege für "
            "die Art der Einnahme (Staking, Lending, Airdrop …) aufbewahren.",
            sorted(set(relabeled + vague)),
        )  # fmt: skip
    return Check(
        8, "income", *title, Status.PASS,
        f"All {len(income)} income transaction(s) map to a DAC8 transfer type "
        "(staking 502, mining 503, airdrop 501, lending 504).",
        f"Alle {len(income)} Einnahme(n) passen zu einem DAC8-Übertragungstyp "
        "(Staking 502, Mining 503, Airdrop 501, Lending 504).",
    )  # fmt: skip


def _check_own_transfers(view: Dac8View) -> Check:
    title = ("Own-wallet transfers", "Übertragungen zwischen eigenen Wallets")
    outs = [
        t for t in view.transactions
        if t.kind is Kind.WITHDRAWAL and t.sell is not None and not t.sell.is_fiat
        and _on_platform(view, t)
    ]  # fmt: skip
    unpaired = [t.id for t in outs if t.id not in view.pairs]
    if unpaired:
        return Check(
            9, "own_transfers", *title, Status.WARN,
            f"{len(unpaired)} of {len(outs)} withdrawal(s) from reporting platforms have no "
            "matching deposit in another of your wallets. The tax office sees an outflow with "
            "no destination: add the receiving wallet or explain the withdrawal.",
            f"{len(unpaired)} von {len(outs)} Auszahlung(en) von meldenden Plattformen haben "
            "keine passende Einzahlung in einer anderen Ihrer Wallets. Das Finanzamt sieht einen "
            "Abfluss ohne Ziel: empfangende Wallet ergänzen oder Auszahlung erklären.",
            unpaired,
        )  # fmt: skip
    return Check(
        9, "own_transfers", *title, Status.PASS,
        f"All {len(outs)} withdrawal(s) from reporting platforms arrive in another of "
        "your wallets.",
        f"Alle {len(outs)} Auszahlung(en) von meldenden Plattformen kommen in einer anderen "
        "Ihrer Wallets an.",
    )  # fmt: skip


def _check_unmatched_deposits(view: Dac8View) -> Check:
    title = ("Deposits with no known source", "Einzahlungen ohne bekannte Herkunft")
    ins = [
        t for t in view.transactions
        if t.kind is Kind.DEPOSIT and t.buy is not None and not t.buy.is_fiat
        and _on_platform(view, t)
    ]  # fmt: skip
    sources = set(view.pairs.values())
    unknown = [t.id for t in ins if t.id not in sources]
    if unknown:
        return Check(
            10, "unmatched_deposits", *title, Status.WARN,
            f"{len(unknown)} of {len(ins)} deposit(s) on reporting platforms come from no wallet "
            "in your ledger, so their purchase cost is missing. The tax office may estimate it; "
            "a cost of 0 overstates your profit. Add where these coins came from.",
            f"{len(unknown)} von {len(ins)} Einzahlung(en) auf meldenden Plattformen stammen aus "
            "keiner Wallet Ihres Ledgers; ihre Anschaffungskosten fehlen. Das Finanzamt kann "
            "schätzen; Kosten 0 überzeichnen den Gewinn. Herkunft ergänzen.",
            unknown,
        )  # fmt: skip
    return Check(
        10, "unmatched_deposits", *title, Status.PASS,
        f"All {len(ins)} deposit(s) on reporting platforms come from another of your wallets.",
        f"Alle {len(ins)} Einzahlung(en) auf meldenden Plattformen stammen aus einer anderen "
        "Ihrer Wallets.",
    )  # fmt: skip


def _check_year_boundary(view: Dac8View, rules: RuleSet, year: int | None) -> Check:
    title = ("Year boundary", "Jahreswechsel")
    tz = ZoneInfo(rules.local_timezone)
    near: list[str] = []
    for tx in view.transactions:
        crypto = any(leg is not None and not leg.is_fiat for leg in (tx.buy, tx.sell))
        if not crypto or view.platforms.get(tx.wallet) is not PlatformStatus.REPORTING:
            continue  # fiat-only rows (SEPA deposits) are not reported under CARF
        local = tx.time.astimezone(tz)
        for ny in (local.year, local.year + 1):
            if year is not None and ny not in (year, year + 1):
                continue
            if abs(tx.time - datetime(ny, 1, 1, tzinfo=tz)) <= YEAR_BOUNDARY:
                near.append(tx.id)
                break
    if near:
        return Check(
            11, "year_boundary", *title, Status.WARN,
            f"{len(near)} transaction(s) lie within 24 hours of New Year ({rules.local_timezone}). "
            "Platforms count years in UTC, so they may appear in the other year's report.",
            f"{len(near)} Transaktion(en) liegen innerhalb von 24 Stunden um den Jahreswechsel "
            f"({rules.local_timezone}). Plattformen zählen Jahre in UTC; sie können in der "
            "Meldung des anderen Jahres stehen.",
            near,
        )  # fmt: skip
    return Check(
        11, "year_boundary", *title, Status.PASS,
        "No transaction on a reporting platform lies within 24 hours of New Year.",
        "Keine Transaktion auf einer meldenden Plattform liegt innerhalb von 24 Stunden um den "
        "Jahreswechsel.",
    )  # fmt: skip


def _check_one_sided(view: Dac8View) -> Check:
    title = ("One-sided trades", "Einseitige Trades")
    one = [
        t.id for t in view.transactions
        if t.kind is Kind.TRADE and (t.buy is None) != (t.sell is None) and _on_platform(view, t)
    ]  # fmt: skip
    if one:
        return Check(
            12, "one_sided", *title, Status.WARN,
            f"{len(one)} trade(s) have only one side on the platform; the platform reports them "
            "as transfers, not as purchases or sales. Not a missing disposal, but keep the "
            "other side's records.",
            f"{len(one)} Trade(s) haben nur eine Seite auf der Plattform; sie werden als "
            "Übertragung gemeldet, nicht als Kauf oder Verkauf. Keine fehlende Veräußerung, aber "
            "Belege der Gegenseite aufbewahren.",
            one,
        )  # fmt: skip
    return Check(
        12, "one_sided", *title, Status.PASS,
        "Every trade on a reporting platform has both sides there.",
        "Jeder Trade auf einer meldenden Plattform hat dort beide Seiten.",
    )  # fmt: skip


def _check_rrpt(view: Dac8View) -> Check:
    title = ("Payments over USD 50,000", "Zahlungen über 50.000 USD")
    rrpt = [e.tx_id for e in view.entries if e.key.category is Category.RRPT]
    small = [e for e in view.entries if e.key.transfer_type == "CARF603"]
    # Within 10 % of the limit the fixed EUR/USD rate may put a payment on the wrong side.
    close = [
        e.tx_id for e in view.entries
        if (e.key.category is Category.RRPT or e.key.transfer_type == "CARF603")
        and e.value is not None
        and abs(e.value * view.eur_usd - RRPT_LIMIT_USD) <= RRPT_LIMIT_USD / 10
    ]  # fmt: skip
    if close:
        return Check(
            13, "rrpt", *title, Status.WARN,
            f"{len(close)} payment(s) are within 10 % of USD 50,000; depending on the exchange "
            "rate the platform reports them as a large retail payment (RRPT) or as a normal "
            "purchase of goods (CARF603).",
            f"{len(close)} Zahlung(en) liegen innerhalb von 10 % um 50.000 USD; je nach Kurs "
            "meldet die Plattform sie als große Zahlung (RRPT) oder als normalen Kauf (CARF603).",
            close,
        )  # fmt: skip
    return Check(
        13, "rrpt", *title, Status.PASS,
        f"{len(rrpt)} payment(s) over USD 50,000 (reported as RRPT) and {len(small)} smaller "
        "payment(s) (CARF603).",
        f"{len(rrpt)} Zahlung(en) über 50.000 USD (als RRPT gemeldet) und {len(small)} kleinere "
        "Zahlung(en) (CARF603).",
        rrpt,
    )  # fmt: skip


def _check_coverage(view: Dac8View, reports: Sequence[PlatformReport]) -> Check:
    title = ("Platform coverage", "Abdeckung der Plattformen")
    used = {t.wallet for t in view.transactions if _in_scope(view, t)}
    unknown = sorted(w for w in used if view.platforms.get(w) is PlatformStatus.UNKNOWN)
    with_report = {p for rep in reports for p, _y in rep.scopes}
    no_report = sorted(
        w
        for w in used
        if view.platforms.get(w) is PlatformStatus.REPORTING and w not in with_report
    )
    if unknown or no_report:
        parts_en, parts_de = [], []
        if unknown:
            parts_en.append(
                f"We do not know whether {', '.join(unknown)} report(s) to the tax office; "
                "mark each as reporting or not (--platforms)."
            )
            parts_de.append(
                f"Ob {', '.join(unknown)} an das Finanzamt meldet/melden, ist unbekannt; "
                "als meldend oder nicht meldend kennzeichnen (--platforms)."
            )
        if no_report:
            parts_en.append(
                f"No report loaded for {', '.join(no_report)}: the figures shown are our "
                "reconstruction of what they report."
            )
            parts_de.append(
                f"Keine Meldung geladen für {', '.join(no_report)}: die Zahlen sind unsere "
                "Nachbildung dessen, was gemeldet wird."
            )
        return Check(15, "coverage", *title, Status.WARN, " ".join(parts_en), " ".join(parts_de))
    return Check(
        15, "coverage", *title, Status.PASS,
        "Every platform has a report loaded or is marked as not reporting.",
        "Für jede Plattform ist eine Meldung geladen oder sie ist als nicht meldend "
        "gekennzeichnet.",
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# JSON shape (docs/dac8.md)
# --------------------------------------------------------------------------------------------


def to_json(
    view: Dac8View,
    reports: Sequence[PlatformReport],
    deviations: Sequence[Deviation],
    checks: Sequence[Check],
) -> dict[str, Any]:
    """The stable ``taxsim dac8 --json`` shape: amounts as strings in cents, units exact."""

    def num(d: Decimal | int | None) -> str | int | None:
        return d if d is None or isinstance(d, int) else _fmt(d)

    return {
        "year": view.year,
        "currency": "EUR",
        "eur_usd": str(view.eur_usd),
        "platforms": {w: s.value for w, s in view.platforms.items()},
        "expected": [
            {
                "platform": a.key.platform,
                "year": a.key.year,
                "asset": a.key.asset,
                "category": a.key.category.value,
                "transfer_type": a.key.transfer_type,
                "units": _fmt(a.units),
                "amount_gross": str(cents(a.gross)),
                "amount_net": str(cents(a.net)),
                "fees": str(cents(a.fees)),
                "count": a.count,
                "tx_ids": a.tx_ids,
                "unvalued": a.unvalued,
            }
            for a in view.lines()
        ],
        "reports": [
            {
                "file": r.file,
                "format": r.format,
                "scopes": [{"platform": p, "year": y} for p, y in r.scopes],
                "lines": len(r.lines),
            }
            for r in reports
        ],
        "deviations": [
            {
                "platform": d.key.platform,
                "year": d.key.year,
                "asset": d.key.asset,
                "category": d.key.category.value,
                "transfer_type": d.key.transfer_type,
                "field": d.field,
                "severity": d.severity.value,
                "expected": num(d.expected),
                "reported": num(d.reported),
                "message_en": d.message_en,
                "message_de": d.message_de,
                "tx_ids": d.tx_ids,
                "where": d.where,
                "report": d.report,
            }
            for d in deviations
        ],
        "checklist": [
            {
                "number": c.number,
                "key": c.key,
                "title_en": c.title_en,
                "title_de": c.title_de,
                "status": c.status.value,
                "message_en": c.message_en,
                "message_de": c.message_de,
                "tx_ids": c.tx_ids,
            }
            for c in checks
        ],
    }


__all__ = [
    "Aggregate",
    "Category",
    "Check",
    "Dac8View",
    "Deviation",
    "Entry",
    "LineKey",
    "PlatformReport",
    "PlatformStatus",
    "PlatformsConfig",
    "ReportLine",
    "Severity",
    "Status",
    "build_checklist",
    "build_view",
    "classify_wallets",
    "compare",
    "load_platforms",
    "read_platform_report",
    "render_carf_xml",
    "render_report_csv",
    "to_json",
]
