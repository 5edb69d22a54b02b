"""Jurisdiction rule sets: TOML data files in ``rules/``, validated with pydantic.

The files ship inside the wheel as the package ``taxsim.rules_data`` (see pyproject.toml), so
``load_rules("de")`` works after a plain ``pip install .``. A path to a custom TOML file may be
given instead of a jurisdiction code for what-if runs with changed parameters.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .model import IncomeType, TaxsimError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Holding(_Strict):
    period_years: int = Field(ge=0)
    rule: Literal["calendar", "days"] = "calendar"
    period_days: int = Field(default=365, ge=0)
    restart_on_swap: bool = True


class Lots(_Strict):
    scope: Literal["wallet", "global"] = "wallet"
    # DE: "fifo" (BMF 2025 Rz. 61) or "lifo" (FG Nürnberg 22.1.2025, 3 K 760/22, revision
    # pending: admissible if kept per wallet); AT: "alt_first" | "neu_first"
    order: Literal["fifo", "lifo", "alt_first", "neu_first"] = "fifo"
    # DE: which cost leaves with the units FIFO picks — their own ("fifo", the simplification of
    # BMF 2025 Rz. 61) or the pool's average ("average", Rz. 61's fallback for the values)
    value_method: Literal["fifo", "average"] = "fifo"
    neu_from: date | None = None  # AT: first day of Neuvermögen


class Fees(_Strict):
    # "cost_or_proceeds": buy fees into the cost, sale fees off the proceeds (DE, BMF Rz. 57,
    # 59); "cost_only": buy fees into the cost, sale fees not deductible (AT, § 20 Abs. 2 EStG)
    trade_fee: Literal["cost_or_proceeds", "cost_only", "ignore"] = "cost_or_proceeds"
    network_fee: Literal["disposal", "werbungskosten", "ignore"] = "disposal"


class Short(_Strict):
    policy: Literal["zero_cost_same_day", "backfill"] = "zero_cost_same_day"
    unmatched_deposit_cost: Literal["zero"] = "zero"


class Transfers(_Strict):
    max_hours_before: int = Field(default=24, ge=0)
    max_hours_after: int = Field(default=48, ge=0)
    min_amount_ratio: Decimal = Field(default=Decimal("0.95"), gt=0, le=1)


class Income(_Strict):
    taxable: list[IncomeType]
    not_income: list[IncomeType]
    # Hard forks: "origin" — the new units share the original units' acquisition dates (DE:
    # BMF 2022 Tz. 67/68; AT: BMF answer 382/J 2018) — or "fork" (dated at the fork, cost 0)
    hardfork_date: Literal["origin", "fork"] = "fork"
    # forked asset → original asset, used when no fork_origin correction names the origin
    fork_origins: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _disjoint(self) -> Income:
        both = set(self.taxable) & set(self.not_income)
        if both:
            raise ValueError(f"income types both taxable and not income: {sorted(both)}")
        return self


class Allowance(_Strict):
    kind: Literal["freigrenze_23", "freigrenze_22_3", "freigrenze_31"]
    from_year: int
    to_year: int | None = None
    amount: Decimal = Field(ge=0)
    # Is a result of exactly ``amount`` still free? DE § 23 Abs. 3 S. 5 / § 22 Nr. 3 S. 2:
    # "weniger als" → False (the default); AT § 31 Abs. 3 EStG a. F.: "höchstens" → True.
    inclusive: bool = False


class Tariff(_Strict):
    """DE § 32a Abs. 1 EStG of one Veranlagungszeitraum (see rules/de.toml for the zones)."""

    year: int
    basic_allowance: int = Field(ge=0)  # Grundfreibetrag
    zone2_to: int
    zone3_to: int
    zone4_to: int
    zone2: tuple[Decimal, Decimal]  # (a·y + b)·y
    zone3: tuple[Decimal, Decimal, Decimal]  # (a·z + b)·z + c
    zone4: tuple[Decimal, Decimal]  # r·x − c
    zone5: tuple[Decimal, Decimal]  # r·x − c

    @model_validator(mode="after")
    def _ordered(self) -> Tariff:
        if not self.basic_allowance < self.zone2_to < self.zone3_to < self.zone4_to:
            raise ValueError(f"tariff {self.year}: zone limits must increase")
        return self


class SolidarityExemption(_Strict):
    """DE § 3 Abs. 3 SolZG: the Freigrenze on the income tax of one year."""

    year: int
    single: Decimal = Field(ge=0)
    joint: Decimal = Field(ge=0)


class Tax(_Strict):
    special_rate: Decimal | None = None  # AT flat rate
    # AT: first day the special rate applies to realizations (earlier: old § 31 speculation)
    special_rate_from: date | None = None
    solidarity_rate: Decimal | None = None  # DE
    solidarity_phase_in: Decimal | None = None  # DE § 4 S. 2 SolZG (Milderungszone)
    solidarity_exemption: list[SolidarityExemption] = Field(default_factory=list)
    church_rates: dict[str, Decimal] = Field(default_factory=dict)  # DE: state code → rate
    church_state_names: dict[str, str] = Field(default_factory=dict)  # DE: state name → code
    default_marginal_rate: Decimal | None = None
    tariff: list[Tariff] = Field(default_factory=list)  # DE § 32a per year

    def tariff_for(self, year: int) -> Tariff | None:
        return next((t for t in self.tariff if t.year == year), None)

    def solidarity_for(self, year: int) -> SolidarityExemption | None:
        return next((s for s in self.solidarity_exemption if s.year == year), None)


class Law(_Strict):
    """Statutory facts the computation relies on or the report discloses (docs/rules*.md).

    Not every one changes a figure: some are shown to the reader (loss carry, withholding) or
    document why taxsim does not model something (the 10-year period, a flat cost)."""

    legal_basis: str
    loss_offset: str  # what losses may be set against
    loss_carry_back_years: int = Field(default=0, ge=0)
    loss_carry_forward: bool = False
    ten_year_extension: bool = False  # DE: § 23 Abs. 1 Nr. 2 S. 4 (not for currency tokens)
    allowance_scope: str = ""  # DE: Freigrenze per person over all § 23 sales
    allowance_before_loss_carry: bool = True  # DE: BFH IX R 27/04
    value_methods_allowed: list[str] = Field(default_factory=list)
    price_rule: str = ""
    missing_cost_rule: str = ""  # what the law says where the purchase cannot be proven
    withholding_mandatory_from: date | None = None  # AT: KESt by domestic providers
    withholding_flat_cost_share: Decimal | None = None  # AT: KESt only, not the assessment
    # AT: domestic providers that withhold KESt (matched in wallet names, case-insensitive)
    withholding_platforms: list[str] = Field(default_factory=list)
    early_opt_in: str = ""  # AT: 27.5 % for realizations 2022-01-01 … 2022-02-28 (not modelled)


class RuleSet(_Strict):
    jurisdiction: Literal["DE", "AT"]
    name: str
    method: Literal["fifo", "average"]
    local_timezone: str
    currency: Literal["EUR"] = "EUR"
    holding: Holding
    lots: Lots
    fees: Fees
    short: Short
    transfers: Transfers
    income: Income
    allowance: list[Allowance] = Field(default_factory=list)
    tax: Tax
    law: Law
    forms: dict[str, dict[str, str]] = Field(default_factory=dict)

    def allowance_entry(self, kind: str, year: int) -> Allowance | None:
        """The Freigrenze of ``kind`` in force for ``year`` (None if there is none)."""
        for a in self.allowance:
            if a.kind == kind and a.from_year <= year and (a.to_year is None or year <= a.to_year):
                return a
        return None

    def forms_for(self, year: int) -> dict[str, str]:
        return self.forms.get(str(year)) or self.forms.get("default") or {}

    def is_income(self, income_type: IncomeType | None) -> bool:
        return (income_type or IncomeType.OTHER) in self.income.taxable

    def settings(self) -> dict[str, object]:
        """The settings a report must disclose (BMF 2025 Rz. 90), JSON-ready."""
        return {
            "method": self.method,
            "lot_scope": self.lots.scope,
            "lot_order": self.lots.order,
            "value_method": self.lots.value_method if self.method == "fifo" else "average",
            "holding_period": f"{self.holding.period_years} year ({self.holding.rule})",
            "network_fee": self.fees.network_fee,
            "short_policy": self.short.policy,
            "local_timezone": self.local_timezone,
            "price_source": "EUR values in the ledger (exact-time values as exported)",
        }

    def with_overrides(self, **sections: dict[str, object]) -> RuleSet:
        """A copy with section fields replaced: ``with_overrides(lots={"scope": "global"})``."""
        data = self.model_dump()
        for section, values in sections.items():
            data[section] = {**data[section], **values}
        return RuleSet.model_validate(data)


def rules_file(name: str) -> Traversable:
    """A file of the shipped rule sets: the installed ``taxsim.rules_data`` package, or, when
    taxsim runs from a source checkout without being installed, the checkout's ``rules/``."""
    try:
        return resources.files("taxsim.rules_data").joinpath(name)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "rules" / name


def load_rules(jurisdiction_or_path: str) -> RuleSet:
    """Load ``de``/``at`` from the packaged rules, or a TOML file given by path."""
    key = jurisdiction_or_path.strip()
    path = Path(key)
    if path.suffix == ".toml" and path.exists():
        name, text = str(path), path.read_text(encoding="utf-8")
    else:
        name = f"rules/{key.lower()}.toml"
        try:
            text = rules_file(f"{key.lower()}.toml").read_text(encoding="utf-8")
        except (FileNotFoundError, ModuleNotFoundError) as exc:
            raise TaxsimError(
                f"unknown jurisdiction '{key}': expected 'de', 'at' or a path to a rules .toml file"
            ) from exc
    try:
        return RuleSet.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise TaxsimError(f"{name}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise TaxsimError(f"{name}: invalid rule set: {problems}") from exc
