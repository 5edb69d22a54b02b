"""The stable ``taxsim dac8 --json`` shape (docs/dac8.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..summary import cents
from .categories import format_number as _fmt
from .checklist import Check
from .compare import Deviation
from .platform_reports import PlatformReport
from .view import Dac8View


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
                "user": r.user,
                "notes": r.notes,
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
