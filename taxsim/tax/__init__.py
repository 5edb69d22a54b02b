"""The tax on a year's crypto figures: DE exact (§ 32a tariff, Soli, church tax) or the
labelled marginal-rate fallback; AT 27.5 % with KESt credit. Pure functions, rules as data.

``TaxOptions`` carries what the user states (other taxable income, church tax, assessment,
KESt withheld — on the command line or per year in a client settings file, ``settings.py``);
``crypto_tax`` turns one year's figures into the tax and the label of the method used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import ZERO
from ..rules import RuleSet
from .at import AtTax, at_year_tax
from .de import DeTax, church_rate, church_state, income_tax, solidarity, tariff_tax, year_tax
from .de import crypto_tax as de_crypto_tax
from .settings import ClientSettings, YearSettings, load_client_settings, parse_client_settings

__all__ = [
    "AtTax",
    "ClientSettings",
    "DeTax",
    "TaxOptions",
    "TaxResult",
    "YearSettings",
    "at_year_tax",
    "church_rate",
    "church_state",
    "crypto_tax",
    "de_crypto_tax",
    "income_tax",
    "load_client_settings",
    "parse_client_settings",
    "solidarity",
    "tariff_tax",
    "year_tax",
]


@dataclass(slots=True)
class TaxOptions:
    """What the user states about the tax. Command-line values win over the settings file's
    year, which wins over its ``[client]`` defaults."""

    marginal_rate: Decimal | None = None  # DE fallback; None → the rule set's default
    church: str | None = None  # DE: federal state (name or code) or None
    # DE: other zvE without the crypto figures — one amount for every year, or per year
    taxable_income: Decimal | dict[int, Decimal] | None = None
    joint: bool | None = None  # DE: § 32a Abs. 5 splitting
    kest_withheld: Decimal | None = None  # AT: KESt withheld by domestic providers
    client: ClientSettings | None = None  # per-year settings (client.toml)

    def for_year(self, year: int) -> YearSettings:
        base = self.client.for_year(year) if self.client is not None else YearSettings()
        income = self.taxable_income
        if isinstance(income, dict):
            income = income.get(year)
        return YearSettings(
            income if income is not None else base.taxable_income,
            self.church if self.church is not None else base.church_tax,
            self.joint if self.joint is not None else base.joint,
            self.kest_withheld if self.kest_withheld is not None else base.kest_withheld,
        )


@dataclass(frozen=True, slots=True)
class TaxResult:
    amount: Decimal  # DE: the crypto's share of the year's tax; AT: 27.5 % tax still payable
    method: str  # how it was computed (shown next to the figure)
    exact: bool  # False: the marginal-rate fallback estimate
    detail: dict[str, Decimal] = field(default_factory=dict)


def crypto_tax(
    year: int,
    rules: RuleSet,
    options: TaxOptions,
    *,
    de_base: Decimal = ZERO,
    at_result: Decimal = ZERO,
    at_withheld: Decimal = ZERO,
) -> TaxResult:
    """DE: ``de_base`` = § 23 + § 22 Nr. 3 after the Freigrenzen, each from 0 up. AT:
    ``at_result`` = the 27.5 % basket of the year, ``at_withheld`` = KESt taxsim assumes the
    domestic providers withheld (replaced by the stated ``kest_withheld`` if given)."""
    settings = options.for_year(year)
    if rules.jurisdiction == "AT":
        rate = rules.tax.special_rate or ZERO
        stated = settings.kest_withheld
        credit = stated if stated is not None else at_withheld
        at = at_year_tax(at_result, rate, credit)
        how = (
            f"27.5 % on the year's net result (loss offset within the special rate), minus KESt "
            f"{'stated' if stated is not None else 'assumed withheld by domestic providers'}"
        )
        detail = {"base": at.base, "tax": at.tax, "kest_credit": at.kest_credit}
        return TaxResult(at.payable, how, True, detail)
    church_code = church_state(rules, settings.church_tax)
    church = rules.tax.church_rates[church_code] if church_code else ZERO
    base = max(de_base, ZERO)
    other = settings.taxable_income
    if other is not None and rules.tax.tariff_for(year) and rules.tax.solidarity_for(year):
        without, with_ = de_crypto_tax(other, base, year, rules, church, bool(settings.joint))
        church_label = f"church tax {_pct(church)} % ({church_code})" if church_code else ""
        how = (
            f"§ 32a EStG tariff of the year ({'splitting' if settings.joint else 'Grundtarif'})"
            f" on other taxable income {other:,.2f} € plus the crypto figures, Soli §§ 3, 4 SolZG"
            + (f", {church_label} as Sonderausgabe" if church_label else "")
        )
        # the whole year's tax with the crypto figures, and without them (the share is the
        # difference): zvE after the church tax's Sonderausgabe effect, ESt, Soli, church tax
        detail = {
            "zve": with_.zve,
            "income_tax": with_.income_tax,
            "solidarity": with_.solidarity,
            "church": with_.church,
            "total": with_.total,
            "zve_without_crypto": without.zve,
            "income_tax_without_crypto": without.income_tax,
            "solidarity_without_crypto": without.solidarity,
            "church_without_crypto": without.church,
            "total_without_crypto": without.total,
        }
        return TaxResult(with_.total - without.total, how, True, detail)
    rate = options.marginal_rate or rules.tax.default_marginal_rate or ZERO
    soli = rules.tax.solidarity_rate or ZERO
    amount = base * rate * (1 + soli + church) if base > 0 else ZERO
    reason = (
        "no taxable income given"
        if other is None
        else f"no § 32a tariff for {year} in the rule set"
    )
    how = (
        f"estimate ({reason}): marginal rate {_pct(rate)} % plus Soli {_pct(soli)} %"
        + (f" and church tax {_pct(church)} % ({church_code})" if church_code else "")
        + "; ignores the Soli Freigrenze, church tax as Sonderausgabe and the 45 % rate"
    )
    return TaxResult(amount, how, False, {})


def _pct(rate: Decimal) -> str:
    """0.055 → '5.5'."""
    return f"{(rate * 100).normalize():f}"
