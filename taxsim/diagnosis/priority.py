"""Triage of a finding: high, medium, low."""

from __future__ import annotations

from decimal import Decimal

from .results import Cause, Priority
from .settings import DUST_EUR, MAJOR_ASSETS
from .text import _num


def _priority(asset: str, cause: Cause, gap_eur: Decimal | None) -> tuple[Priority, str]:
    if cause is Cause.SCAM_TOKEN:
        return Priority.LOW, "scam token: the units have no real value"
    if gap_eur is not None and gap_eur < DUST_EUR:
        return Priority.LOW, f"dust: gap worth {_num(gap_eur)} € (< {_num(DUST_EUR)} €)"
    if asset in MAJOR_ASSETS:
        return Priority.HIGH, f"{asset} is a major asset (BTC, ETH or a major stablecoin)"
    worth = f"gap worth about {_num(gap_eur)} €" if gap_eur is not None else "no EUR price known"
    return Priority.MEDIUM, f"other asset; {worth}"
