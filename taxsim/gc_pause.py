"""The cyclic garbage collector paused while a step builds many small objects.

Reading, the tax passes and the diagnosis create hundreds of thousands of rows, lots and
balance steps and no reference cycles; the collector's repeated scans of them would find
nothing and cost up to a fifth of the run time. Reference counting still frees everything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block (if it was running), then resume."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_for_good() -> None:
    """The objects alive now (a read ledger, a pass's disposals) stay until the command ends:
    move them to the collector's permanent generation, so that the full collections the later
    steps trigger do not rescan millions of them to find nothing (``gc.freeze``)."""
    gc.freeze()
