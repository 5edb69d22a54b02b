"""The registry of detectors. A cause is one module that registers its detector here with
``@gap_detector(Cause.X)`` (it explains a negative balance) and/or ``@row_detector("name")``
(it finds rows: duplicates, edits, scam inflows); ``MODULES`` lists them. Adding a cause means
adding a module and its name below — the other detectors stay as they are."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .results import Cause, Confidence, Correction, Evidence, RowFinding, Step
from .view import BalanceView
from .wallets import WalletInfo

#: The detector modules, imported once on first use (each registers itself).
MODULES = (
    "scam", "deletion", "edits", "duplicates", "aggregator", "bridge", "incomplete", "gifts",
    "timezone",
)  # fmt: skip


@dataclass(slots=True)
class Gap:
    """A wallet × asset whose balance goes negative: what a cause detector explains."""

    wallet: str
    asset: str
    steps: list[Step]
    tip: int  # index of the tipping step
    low: int  # index of the lowest step
    info: WalletInfo

    @property
    def tipping(self) -> Step:
        return self.steps[self.tip]

    @property
    def lowest(self) -> Step:
        return self.steps[self.low]

    @property
    def deficit(self) -> Decimal:
        """How far below zero the balance goes (> 0)."""
        return -self.steps[self.low].balance


@dataclass(slots=True)
class Candidate:
    """One detector's explanation of a gap."""

    cause: Cause
    confidence: Confidence
    evidence: list[Evidence]
    corrections: list[Correction] = field(default_factory=list)
    proposal: dict[str, object] = field(default_factory=dict)


GapDetector = Callable[[BalanceView, Gap], Candidate | None]
RowDetector = Callable[[BalanceView], list[RowFinding]]

GAP_DETECTORS: dict[Cause, GapDetector] = {}
ROW_DETECTORS: dict[str, RowDetector] = {}


def gap_detector(cause: Cause) -> Callable[[GapDetector], GapDetector]:
    def register(fn: GapDetector) -> GapDetector:
        GAP_DETECTORS[cause] = fn
        return fn

    return register


def row_detector(name: str) -> Callable[[RowDetector], RowDetector]:
    def register(fn: RowDetector) -> RowDetector:
        ROW_DETECTORS[name] = fn
        return fn

    return register


_loaded = False


def load() -> None:
    global _loaded
    if not _loaded:
        for name in MODULES:
            importlib.import_module(f"{__package__}.{name}")
        _loaded = True
