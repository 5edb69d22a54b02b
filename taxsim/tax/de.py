"""German income tax of a year: § 32a EStG tariff, Soli (§§ 3, 4 SolZG), church tax.

Everything is data in ``rules/de.toml`` (``[[tax.tariff]]``, ``[[tax.solidarity_exemption]]``,
``tax.church_rates``); sources in docs/rules.md ("The exact tax"). Rounding as the law says:
the zvE and the income tax to full euros down (§ 32a Abs. 1 S. 1 and S. 6), the Soli to cents
down (§ 4 S. 3 SolZG: "Bruchteile eines Cents bleiben außer Ansatz"); church tax to cents down
(taxsim's convention, documented).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal

from ..model import CENT, ZERO, TaxsimError
from ..rules import RuleSet, Tariff

_EURO = Decimal(1)
_TEN_THOUSAND = Decimal(10_000)
#: The church tax's Sonderausgabe effect is a fixed point (the tax lowers the income it is
#: levied on); it settles in two or three rounds, this bounds a pathological cycle.
_MAX_ROUNDS = 30


def whole_euros(value: Decimal) -> Decimal:
    """Rounded down to a full euro amount (§ 32a Abs. 1 S. 1 EStG)."""
    return value.quantize(_EURO, rounding=ROUND_FLOOR)


def tariff_tax(zve: Decimal, tariff: Tariff) -> Decimal:
    """Tarifliche Einkommensteuer of one person (Grundtarif, § 32a Abs. 1 EStG), full euros."""
    x = whole_euros(zve)
    if x <= tariff.basic_allowance:
        return ZERO
    if x <= tariff.zone2_to:
        a, b = tariff.zone2
        y = (x - tariff.basic_allowance) / _TEN_THOUSAND
        tax = (a * y + b) * y
    elif x <= tariff.zone3_to:
        a, b, c = tariff.zone3
        z = (x - tariff.zone2_to) / _TEN_THOUSAND
        tax = (a * z + b) * z + c
    elif x <= tariff.zone4_to:
        r, c = tariff.zone4
        tax = r * x - c
    else:
        r, c = tariff.zone5
        tax = r * x - c
    return whole_euros(tax)


def income_tax(zve: Decimal, tariff: Tariff, joint: bool = False) -> Decimal:
    """§ 32a: Grundtarif, or for jointly assessed spouses (Abs. 5) twice the tax on half of the
    joint zvE (the half rounded down to full euros by Abs. 1)."""
    if joint:
        return 2 * tariff_tax(whole_euros(zve) / 2, tariff)
    return tariff_tax(zve, tariff)


def solidarity(est: Decimal, exemption: Decimal, rules: RuleSet) -> Decimal:
    """§ 3 Abs. 3, § 4 SolZG: nothing up to the Freigrenze; above it 5.5 % of the income tax,
    but not more than 11.9 % of the excess over the Freigrenze (Milderungszone)."""
    if est <= exemption:
        return ZERO
    rate = rules.tax.solidarity_rate or ZERO
    soli = est * rate
    if rules.tax.solidarity_phase_in is not None:
        soli = min(soli, (est - exemption) * rules.tax.solidarity_phase_in)
    return soli.quantize(CENT, rounding=ROUND_DOWN)


def church_state(rules: RuleSet, state: str | None) -> str | None:
    """The federal state code for ``state`` (code or name, any case), None for no church tax.

    Anything that is not a German federal state is refused: a typo must not silently tax at
    the wrong rate (Bayern is 8 %, not 9 %)."""
    if state is None:
        return None
    text = state.strip()
    if text.lower() in ("", "none", "no", "keine", "nein"):
        return None
    codes = {code.upper(): code for code in rules.tax.church_rates}
    if text.upper() in codes:
        return codes[text.upper()]
    names = {_fold(name): code for name, code in rules.tax.church_state_names.items()}
    code = names.get(_fold(text))
    if code is not None:
        return code
    known = ", ".join(f"{name} ({code})" for name, code in rules.tax.church_state_names.items())
    raise TaxsimError(
        f"church tax: '{state}' is not a German federal state; expected one of {known}, or 'none'"
    )


def _fold(name: str) -> str:
    """Compare state names without case, umlauts or separators ("thueringen" = "Thüringen")."""
    text = name.strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("-", ""), (" ", "")):
        text = text.replace(a, b)
    return text


def church_rate(rules: RuleSet, state: str | None) -> Decimal:
    code = church_state(rules, state)
    return rules.tax.church_rates[code] if code is not None else ZERO


@dataclass(frozen=True, slots=True)
class DeTax:
    """The tax of one year on a given zvE (all in EUR)."""

    zve: Decimal  # after the church tax's Sonderausgabe effect, full euros
    income_tax: Decimal
    solidarity: Decimal
    church: Decimal

    @property
    def total(self) -> Decimal:
        return self.income_tax + self.solidarity + self.church


def year_tax(zve: Decimal, year: int, rules: RuleSet, church: Decimal, joint: bool) -> DeTax:
    """ESt, Soli and church tax of the year on ``zve`` (no Sonderausgabe effect)."""
    tariff = rules.tax.tariff_for(year)
    exemption = rules.tax.solidarity_for(year)
    if tariff is None or exemption is None:
        raise TaxsimError(f"the rule set has no § 32a tariff or Soli Freigrenze for {year}")
    zve = max(whole_euros(zve), ZERO)
    est = income_tax(zve, tariff, joint)
    soli = solidarity(est, exemption.joint if joint else exemption.single, rules)
    return DeTax(zve, est, soli, (est * church).quantize(CENT, rounding=ROUND_DOWN))


def crypto_tax(
    other_zve: Decimal,
    crypto: Decimal,
    year: int,
    rules: RuleSet,
    church: Decimal = ZERO,
    joint: bool = False,
) -> tuple[DeTax, DeTax]:
    """The year's tax without and with the crypto figures (``crypto`` ≥ 0: § 23 and § 22 Nr. 3
    after their Freigrenzen), the difference being the crypto's share of the tax.

    ``other_zve`` is the zvE without the crypto figures, as assessed (so the church tax on it is
    already deducted). The extra church tax the crypto causes is a Sonderausgabe (§ 10 Abs. 1
    Nr. 4 EStG) that lowers the zvE it is levied on: zvE = other + crypto − Δ church tax, solved
    by iteration (simplification: deducted in the same year, as if prepaid).
    """
    without = year_tax(other_zve, year, rules, church, joint)
    if crypto <= 0:
        return without, without
    base = other_zve + crypto
    deduction = ZERO
    seen: set[Decimal] = set()
    with_ = year_tax(base, year, rules, church, joint)
    for _ in range(_MAX_ROUNDS):
        extra_church = max(with_.church - without.church, ZERO)
        if extra_church == deduction or extra_church in seen:
            break
        seen.add(deduction)
        deduction = extra_church
        with_ = year_tax(base - deduction, year, rules, church, joint)
    return without, with_
