"""The disclosure of settings, in the report's language, with the legal sources of the
report's jurisdiction (DE: BMF letter of 6.3.2025 Rz. 90; AT: § 119 BAO, § 27a Abs. 4 Z 3a
EStG and the KryptowährungsVO — never the German letter in an Austrian report)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...model import ZERO
from ..labels import LABELS, percent
from .base import Builder, data_table, esc


def render(b: Builder) -> None:
    b.h1("sec_settings")
    jur = b.comp.rules.jurisdiction
    b.story.append(b.p(esc(b.t(f"settings_intro_{jur}"))))
    rows: list[list[object]] = [b.head(["setting", "value"])]
    rows += [[b.cell(k), b.cell(v)] for k, v in setting_pairs(b)]
    b.story += [Spacer(1, 2 * mm), data_table(rows, [0.35 * b.width, 0.65 * b.width])]


def _word(b: Builder, value: str) -> str:
    key = f"val_{value}"
    return b.t(key) if key in LABELS else value


def setting_pairs(b: Builder) -> list[tuple[str, str]]:
    """(setting, value) in the report's language; no internal keys."""
    rules, tax = b.comp.rules, b.comp.tax
    jur = rules.jurisdiction
    pairs = [(b.t("set_rule_set"), b.t(f"jur_{jur}") + " — " + b.t(f"rules_basis_{jur}"))]
    pairs.append((b.t("set_method"), _word(b, rules.method)))
    if rules.method == "fifo":
        pairs.append((b.t("set_lot_order"), _word(b, rules.lots.order)))
    pairs.append((b.t("set_lot_scope"), _word(b, rules.lots.scope)))
    years = rules.holding.period_years
    rule = b.t(f"hold_{rules.holding.rule}_{jur}")
    pairs.append((b.t("set_holding_period"), b.t(f"holding_{jur}", n=years, rule=rule)))
    pairs.append((b.t("set_network_fee"), _word(b, rules.fees.network_fee)))
    pairs.append((b.t("set_short_policy"), _word(b, rules.short.policy)))
    pairs.append((b.t("set_display_zone"), b.t("zone_text", zone=str(b.zone))))
    pairs.append((b.t("set_local_timezone"), rules.local_timezone))
    pairs.append((b.t("set_price_source"), b.t("val_price_source")))
    if jur == "DE":
        rate = tax.marginal_rate or rules.tax.default_marginal_rate or ZERO
        pairs.append((b.t("set_marginal_rate"), percent(rate, b.lang)))
        soli = rules.tax.solidarity_rate or ZERO
        pairs.append((b.t("set_soli"), b.t("soli_text", rate=percent(soli, b.lang))))
        pairs.append((b.t("set_church_tax"), tax.church or b.t("none")))
        for kind in ("freigrenze_23", "freigrenze_22_3"):
            limits = []
            for row in b.figures.years:
                entry = rules.allowance_entry(kind, row.year)
                if entry is not None:
                    limits.append(f"{row.year}: {b.eur(entry.amount)}")
            if limits:
                pairs.append((b.t(f"set_{kind}"), "; ".join(limits)))
    else:
        rate = rules.tax.special_rate or ZERO
        pairs.append((b.t("set_special_rate"), percent(rate, b.lang)))
        if rules.tax.special_rate_from is not None:
            pairs.append(
                (b.t("set_special_from"), b.t("special_from_text",
                                              day=rules.tax.special_rate_from.isoformat()))
            )  # fmt: skip
    pairs.append((b.t("set_ledger_format"), b.data.ledger.format or "—"))
    pairs.append((b.t("set_rounding"), b.t("rounding_text")))
    return pairs
