"""The disclosure of settings (BMF 6.3.2025 Rz. 90)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..labels import LABELS, percent
from .base import Builder, data_table, esc

_SETTINGS = {
    "set_method",
    "set_lot_scope",
    "set_lot_order",
    "set_holding_period",
    "set_network_fee",
    "set_short_policy",
    "set_local_timezone",
    "set_price_source",
    "set_marginal_rate",
    "set_church_tax",
}


def render(b: Builder) -> None:
    b.h1("sec_settings")
    b.story.append(b.p(esc(b.t("settings_intro"))))
    settings = dict(b.comp.as_json()["settings"])  # type: ignore[arg-type]
    if "marginal_rate" in settings:
        settings["marginal_rate"] = percent(Decimal(str(settings["marginal_rate"])), b.lang)
    pairs = [(b.t("set_rule_set"), b.comp.rules.name)]
    pairs += [(_setting(b, k), _value(b, k, str(v))) for k, v in settings.items()]
    pairs.append((b.t("set_ledger_format"), b.data.ledger.format or "—"))
    pairs.append((b.t("set_rounding"), b.t("rounding_text")))
    rows: list[list[object]] = [[b.cell(b.t("setting")), b.cell(b.t("value"))]]
    rows += [[b.cell(k), b.cell(v)] for k, v in pairs]
    b.story += [Spacer(1, 2 * mm), data_table(rows, [0.35 * b.width, 0.65 * b.width])]


def _setting(b: Builder, key: str) -> str:
    return b.t(f"set_{key}") if f"set_{key}" in _SETTINGS else key


def _value(b: Builder, key: str, value: str) -> str:
    """A setting's value in words, with the rule-set code in brackets for traceability."""
    if key == "price_source":
        return b.t("val_price_source")
    if key == "holding_period" and b.lang == "de":
        return value.replace("years", "Jahre").replace("year", "Jahr")
    label = f"val_{value}"
    return f"{b.t(label)} ({value})" if label in LABELS else value
