"""The lot-matching engine: pure functions from transactions and a rule set to a PassResult.

No I/O and no presentation here. ``run_pass`` sorts the transactions into processing order,
fills EUR values from the ledger itself, pairs own transfers and dispatches to the method of
the rule set: FIFO (DE, ``fifo.py``) or moving average (AT, ``average.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..gc_pause import gc_paused
from ..model import Transaction, in_processing_order
from ..rules import RuleSet
from .transfers import pair_transfers
from .types import DisposalSink, Note, PassResult
from .valuation import value_transactions

__all__ = ["run_pass", "prepare", "PassResult"]


def prepare(
    transactions: Iterable[Transaction], rules: RuleSet
) -> tuple[list[Transaction], list[Note], dict[str, str]]:
    """Sorted, valued transactions, valuation notes and own-transfer pairs."""
    txs = in_processing_order(transactions)
    txs, notes = value_transactions(txs)
    return txs, notes, pair_transfers(txs, rules)


def run_pass(
    transactions: Iterable[Transaction],
    rules: RuleSet,
    progress: Callable[[int], None] | None = None,
    sink: DisposalSink | None = None,
) -> PassResult:
    """One tax pass over ``transactions`` under ``rules``.

    ``sink``: each disposal, once final, goes to ``sink`` instead of ``result.disposals``, so
    a pass that needs only its figures (``summary.FigureFold``) never holds a million
    disposals and their matches. Disposals a later inflow may still change (shorts under the
    ``backfill`` policy) stay in ``result.disposals`` until the end.

    The cyclic garbage collector is paused during the pass: the engine builds hundreds of
    thousands of small objects and no reference cycles, and repeated full collections over a
    large ledger cost a fifth of the run time.
    """
    with gc_paused():
        txs, notes, transfers = prepare(transactions, rules)
        if rules.method == "fifo":
            from .fifo import run_fifo

            result = run_fifo(txs, rules, transfers, progress, sink)
        else:
            from .average import run_average

            result = run_average(txs, rules, transfers, progress, sink)
    result.notes[:0] = notes
    return result
