"""The form mapping: each corrected figure of each year with its form line and source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...summary import YearFigures
from ...whatif import Comparison

VERIFY = "verify against the official form of the year"

#: Where the form mappings of each jurisdiction come from (the rule set cites them in comments,
#: docs/rules.md documents them with the domain notes' sources).
FORM_SOURCES = {
    "DE": "Anlage SO: help.divly.com 10560062 and t-online.de 12/2024 (2023/2024); "
    "elster.de help_est_ufa_10_2025 via a secondary source (2025) — see docs/rules.md",
    "AT": "E1kv: crypto-tax.at 'neue Felder im Steuererklärungsformular 2022' and "
    "bitcoinaustria/kassiber docs (secondary) — see docs/rules.md",
}


@dataclass(slots=True)
class FormRow:
    year: int
    figure: str  # key of the rule set's [forms] table, e.g. "private_sales_gain"
    amount: Decimal  # corrected figure, full precision
    line: str  # the form line as the rule set gives it ("" when the year has none)
    source: str
    note: str


def form_rows(comp: Comparison) -> list[FormRow]:
    """Each corrected figure of each year with the form line it belongs on and the source."""
    rules = comp.rules
    jur = rules.jurisdiction
    rows: list[FormRow] = []
    for year in comp.years:
        f = comp.corrected.figures.get(year) or YearFigures(year)
        if jur == "DE":
            amounts = {"private_sales_gain": f.taxable_gain, "other_income": f.income}
        else:
            # results with a domestic provider that withheld KESt go to their own Kennzahlen
            # (summary.kest_withheld_by), the rest to the "ohne KESt-Abzug" ones
            amounts = {
                "current_income": f.income - f.withheld_income,
                "realized_gain": f.taxable_gains - f.withheld_gains,
                "realized_loss": f.taxable_losses - f.withheld_losses,
                "current_income_kest": f.withheld_income,
                "realized_gain_kest": f.withheld_gains,
                "realized_loss_kest": f.withheld_losses,
                "speculation_gain": f.speculation_gain,
            }
        forms = rules.forms_for(year)
        key = str(year) if str(year) in rules.forms else "default"
        source = f"rules/{jur.lower()}.toml [forms.{key}]; {FORM_SOURCES[jur]}"
        for figure, amount in amounts.items():
            line = forms.get(figure, "")
            note = VERIFY if line else "no mapping in the rule set for this year: " + VERIFY
            rows.append(FormRow(year, figure, amount, line, source if line else "", note))
    return rows
