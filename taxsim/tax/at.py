"""Austrian tax on the 27.5 % figures of a year, with KESt already withheld credited.

§ 27a Abs. 1 EStG: 27.5 % on realized Neuvermögen results and current income; losses offset
within the special rate in the same year only (§ 27 Abs. 8), so the base is the year's net
result, never below 0. From 2024 domestic providers withhold KESt with final effect (§ 93,
§ 97 EStG; EStR Rz 7709d–f): that amount is credited (Anrechnung on assessment, § 97 Abs. 2 /
§ 27a Abs. 5 with the Verlustausgleichsoption), so only the rest is still payable. Sources in
docs/rules-at.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import ZERO


@dataclass(frozen=True, slots=True)
class AtTax:
    base: Decimal  # net 27.5 % result of the year (≥ 0)
    tax: Decimal  # 27.5 % of the base
    kest_credit: Decimal  # KESt already withheld by domestic providers
    payable: Decimal  # tax − credit (negative: a refund on assessment)


def at_year_tax(result: Decimal, rate: Decimal, kest_withheld: Decimal = ZERO) -> AtTax:
    """``result``: Neuvermögen gains − losses + current income of the year (27.5 % basket)."""
    base = max(result, ZERO)
    tax = base * rate
    return AtTax(base, tax, kest_withheld, tax - kest_withheld)
