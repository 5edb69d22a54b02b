"""``figures.json``: every figure of the PDF in one documented shape.

The shape is the same for DE and AT and with or without corrections (schema
``docs/figures.schema.json``, ``SCHEMA_VERSION``): every key is always present; what does not
apply is ``null`` (the corrected figures of a report without corrections, the § 23 Freigrenze
in Austria). Amounts are strings with two decimals (``summary.money``, rounded once, half up)
so that no reader turns them into binary floats; counts are integers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ... import __version__
from ...summary import YearFigures, money
from ...whatif import Comparison
from ..model import (
    ReportFigures,
    derivative_amount,
    report_figures,
    rules_fingerprint,
    scam_tokens,
    tax_of,
    tax_parts,
)

#: Version of the figures.json shape (docs/figures.schema.json). 2: one shape for DE and AT
#: and with/without corrections, tax and totals (1 was ``Comparison.as_json()``).
SCHEMA_VERSION = "2.0"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def _pass(comp: Comparison, f: YearFigures) -> dict[str, object]:
    on_gains, on_income = tax_parts(comp, f)
    return {
        "taxable_gain": money(f.taxable_gain),
        "taxable_gains": money(f.taxable_gains),
        "taxable_losses": money(f.taxable_losses),
        "taxable_after_allowance": money(f.taxable_after_allowance),
        "exempt_gain": money(f.exempt_gain),
        "speculation_gain": money(f.speculation_gain),
        "speculation_after_allowance": money(f.speculation_after_allowance),
        "income": money(f.income),
        "income_after_allowance": money(f.income_after_allowance),
        "expenses": money(f.expenses),
        "disposal_count": f.disposal_count,
        "short_count": f.short_count,
        "short_proceeds": money(f.short_proceeds),
        "tax": money(tax_of(comp, f)),
        "tax_on_gains": money(on_gains),
        "tax_on_income": money(on_income),
    }


def figures_document(
    comp: Comparison,
    data: object | None = None,
    figures: ReportFigures | None = None,
) -> dict[str, object]:
    """The figures.json document. ``data``: the ``pdf.ReportInput`` (client, language, inputs,
    DAC8 checklist, diagnosis); ``figures``: the report's figures if already computed."""
    years_only = getattr(data, "years", None)
    if figures is None:
        tokens = scam_tokens(getattr(data, "diagnosis", None))
        figures = report_figures(comp, scam_tokens=tokens, years=years_only)
    rules = comp.rules
    de = rules.jurisdiction == "DE"
    corrected = figures.mode == "corrected"
    years = []
    for r in figures.years:
        limit_23 = rules.allowance_entry("freigrenze_23", r.year)
        limit_22 = rules.allowance_entry("freigrenze_22_3", r.year)
        derivatives = None
        if r.derivatives is not None:
            amount = derivative_amount(r.derivatives)
            derivatives = _money(amount) if amount is not None else None
        years.append(
            {
                "year": r.year,
                "raw": _pass(comp, r.raw),
                "corrected": _pass(comp, r.corrected) if corrected else None,
                "fictitious_gain": money(r.fictitious_gain),
                "fictitious_income": money(r.fictitious_income),
                "tax_raw": money(r.tax_raw),
                "tax_corrected": _money(r.tax_corrected),
                "tax_effect": _money(r.tax_effect),
                "freigrenze_23": money(limit_23.amount) if limit_23 is not None else None,
                "freigrenze_22_3": money(limit_22.amount) if limit_22 is not None else None,
                "freigrenze_crossing": bool(corrected and de and comp.freigrenze_crossing(r.year)),
                "derivatives": derivatives,
                "forms": dict(rules.forms_for(r.year)) if corrected else {},
            }
        )
    t = figures.totals
    totals = {
        "raw_taxable_gain": money(t.raw_taxable),
        "corrected_taxable_gain": _money(t.corrected_taxable if corrected else None),
        "raw_taxable_after_allowance": money(t.raw_after_allowance),
        "corrected_taxable_after_allowance": _money(
            t.corrected_after_allowance if corrected else None
        ),
        "raw_income": money(t.raw_income),
        "corrected_income": _money(t.corrected_income if corrected else None),
        "raw_income_after_allowance": money(t.raw_income_after_allowance),
        "corrected_income_after_allowance": _money(
            t.corrected_income_after_allowance if corrected else None
        ),
        "fictitious_gain": money(t.fictitious_gain),
        "fictitious_income": money(t.fictitious_income),
        "tax_raw": money(t.tax_raw),
        "tax_corrected": _money(t.tax_corrected),
        "tax_effect": _money(t.tax_effect),
        "raw_short_count": t.raw_shorts,
        "corrected_short_count": t.corrected_shorts if corrected else None,
    }
    settings = {str(k): str(v) for k, v in rules.settings().items()}
    if de:
        settings["marginal_rate"] = str(comp.tax.marginal_rate or rules.tax.default_marginal_rate)
        settings["church_tax"] = comp.tax.church or "none"
    else:
        settings["marginal_rate"] = ""
        settings["church_tax"] = ""
    filed = comp.corrected.result if corrected else comp.raw.result
    checks = getattr(data, "checklist", None) or []
    generated = getattr(data, "generated", None) or datetime.now(UTC)
    return {
        "schema_version": SCHEMA_VERSION,
        "taxsim_version": __version__,
        "generated_at": generated.isoformat(),
        "mode": figures.mode,
        "status": figures.status,
        "jurisdiction": rules.jurisdiction,
        "language": getattr(data, "lang", "de"),
        "client": getattr(data, "client", ""),
        "timezone": getattr(data, "timezone", "") or rules.local_timezone,
        "rule_set": {"name": rules.name, "fingerprint": rules_fingerprint(rules)},
        "inputs": [
            {"role": role, "file": name, "sha256": digest}
            for role, name, digest in getattr(data, "inputs", ()) or ()
        ],
        "settings": settings,
        "years": years,
        "totals": totals,
        "open_items": {
            "short_count": figures.open_shorts,
            "short_proceeds": money(figures.open_short_proceeds),
            "correction_errors": list(figures.correction_errors),
        },
        "corrections": [
            {
                "id": w.id,
                "kind": w.kind,
                "alone": _by_year(w.alone),
                "left_out": _by_year(w.left_out),
                "alone_income": _by_year(w.alone_income),
                "left_out_income": _by_year(w.left_out_income),
                "error": w.error or None,
            }
            for w in comp.worth
        ],
        "remaining_shorts": [
            {
                "id": d.tx_id,
                "time": d.time.isoformat(),
                "wallet": d.wallet,
                "asset": d.asset,
                "uncovered": format(d.short_quantity, "f"),
                "proceeds": money(d.short_proceeds),
            }
            for d in filed.disposals
            if d.is_short
        ],
        "notes": [
            {"pass": label, "tx_id": n.tx_id, "kind": n.kind.name.lower(), "message": n.message}
            for label, n in comp.notes_by_pass()
        ],
        "dac8": [
            {
                "number": int(getattr(c, "number", i)),
                "status": str(getattr(c, "status", "")),
                "title": str(getattr(c, "title_en", "")),
                "message": str(getattr(c, "message_en", "")),
            }
            for i, c in enumerate(checks, start=1)
        ],
    }


def _by_year(values: dict[int, Decimal]) -> dict[str, str]:
    out = {str(y): money(v) for y, v in sorted(values.items())}
    out["total"] = money(sum(values.values(), Decimal(0)))
    return out


def write_figures_json(
    comp: Comparison, path: Path, data: object | None = None, figures: ReportFigures | None = None
) -> None:
    document = figures_document(comp, data, figures)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
