"""CARF codes, the line key of a report and the tolerances of the comparison (reference § 2/§ 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from ..model import IncomeType


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

#: The first reporting period under DAC8 (Directive (EU) 2023/2226 Art. 2(1): applied from
#: 1 January 2026; DE KStTG, AT Krypto-MPfG, both in force 1.1.2026): platforms collect data
#: from 1 January 2026 and file the first report, for 2026, by 31 July 2027 (KStTG § 9(1),
#: Krypto-MPfG § 19(2)).
#: Nothing before this year is reported under DAC8.
FIRST_REPORTING_YEAR = 2026
#: When the report for a year is due: 31 July of the following year (same sources).
REPORT_DUE = "31 July"

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


@dataclass(frozen=True, slots=True, order=True)
class LineKey:
    """One line of a CARF report: platform × year × asset × category (× transfer type)."""

    platform: str
    year: int
    asset: str
    category: Category
    transfer_type: str = ""  # CARF5xx / CARF6xx for CryptoTransferIn/Out, else ""


def format_number(d: Decimal | int | None) -> str:
    """Units and counts as plain text: exact, no exponent, no trailing zeros."""
    if d is None:
        return "–"
    if isinstance(d, int):
        return str(d)
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:f}".rstrip("0")
