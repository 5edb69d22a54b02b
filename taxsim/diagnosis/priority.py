"""Triage of a finding: high, medium, low."""

from __future__ import annotations

from decimal import Decimal

from .results import Cause, Priority
from .settings import Settings, default_settings
from .text import _num


def priority_of(
    asset: str, cause: Cause, gap_eur: Decimal | None, settings: Settings | None = None
) -> tuple[Priority, str]:
    """Low for a scam token whatever its ticker, or for dust; high for a major asset; else
    medium."""
    p = (settings or default_settings()).priority
    if cause is Cause.SCAM_TOKEN:
        return Priority.LOW, "scam token: the units have no real value"
    if gap_eur is not None and gap_eur < p.dust_eur:
        return Priority.LOW, f"dust: gap worth {_num(gap_eur)} € (< {_num(p.dust_eur)} €)"
    if asset in p.major_assets:
        return Priority.HIGH, f"{asset} is a major asset (BTC, ETH or a major stablecoin)"
    worth = f"gap worth about {_num(gap_eur)} €" if gap_eur is not None else "no EUR price known"
    return Priority.MEDIUM, f"other asset; {worth}"


_priority = priority_of
