"""The engine's notes (unvalued legs counted as 0 €, estimated values, ghost deposits …) for
the terminal: a count per kind of note, the first few with their transaction ids, and all of
them on request. ``simulate`` prints them after the figures (on stderr with ``--json``, whose
stdout shape is fixed)."""

from __future__ import annotations

from collections import Counter

from ..engine.types import Note
from ..whatif import Comparison

#: How many notes are listed one by one unless all are asked for.
SHOWN = 10


def kind_of(note: Note) -> str:
    """The kind of a note, for the count per kind."""
    return note.kind.value


def lines(comp: Comparison, show_all: bool = False) -> list[str]:
    """The notes section as plain text lines ([] when there are none)."""
    notes = comp.notes_by_pass()
    if not notes:
        return []
    out = [f"Notes on the ledger ({len(notes)}); the figures above treat these rows as stated:"]
    counts = Counter(kind_of(n) for _, n in notes)
    out += [f"  {count} × {kind}" for kind, count in counts.most_common()]
    shown = notes if show_all else notes[:SHOWN]
    for label, n in shown:
        where = " (corrected pass)" if label == "corrected" else ""
        out.append(f"  {n.tx_id}{where}: {n.message}")
    if len(shown) < len(notes):
        out.append(f"  … and {len(notes) - len(shown)} more (--all-notes lists them all)")
    return out
