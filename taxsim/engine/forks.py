"""Hard forks: which asset a fork's new units come from.

Both engines give fork units the acquisition dates of the original units (DE: BMF 10.5.2022
Tz. 67/68; AT: BMF answer 382/J, see each engine's ``hard_fork``); both ask the same question
first, answered here once: the origin named by a ``fork_origin`` correction on the row, else
the rule set's table of known forks (``income.fork_origins``, e.g. BCH ← BTC).
"""

from __future__ import annotations

from ..model import Leg, Transaction
from ..rules import RuleSet


def fork_origin(rules: RuleSet, tx: Transaction, leg: Leg) -> str:
    """The asset the fork units of ``leg`` split from; "" when the rule set does not date
    forks by their origin or no origin is known. CoinTracking's "Income (non taxable)" is also
    read as a fork, so "no origin known" is the normal case, not an error."""
    if rules.income.hardfork_date != "origin":
        return ""
    taken = tx.taken_over
    origin = taken.from_asset if taken is not None and taken.from_asset else ""
    return origin or rules.income.fork_origins.get(leg.asset, "")
