"""Section "Hinweise und Annahmen": the engine's notes on the ledger (unvalued legs counted as
0 €, ghost deposits, withdrawals without a deposit, old-law income left out …) per kind and
one by one, and the assumptions of the tax estimate."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...engine.types import Note
from ..labels import LABELS
from .base import Builder, data_table, esc

#: Notes listed one by one in the PDF; the workbook's Notes sheet has every one.
MAX_NOTES_SHOWN = 40


def kind_text(b: Builder, note: Note) -> str:
    key = f"note_{note.kind.name.lower()}"
    return b.t(key) if key in LABELS else note.kind.value


def message_text(b: Builder, note: Note) -> str:
    """The note's own text: German in the German report (if the engine gave one)."""
    if b.lang == "de":
        return note.message_de or note.message
    return note.message


def render(b: Builder) -> None:
    b.h1("sec_notes")
    jur = b.comp.rules.jurisdiction
    for key in (f"assume_tax_{jur}", "assume_prices", "assume_years"):
        b.story.append(b.p("• " + esc(b.t(key)), b.s.body))
    for finding in b.data.ledger.findings:  # the reader's (a DST change, an encoding guess)
        b.story.append(b.p("• " + esc(str(finding)), b.s.body))
    notes = b.comp.notes_by_pass()
    b.story.append(Spacer(1, 2 * mm))
    if not notes:
        b.story.append(b.p(esc(b.t("no_notes"))))
        return
    b.story.append(b.p(esc(b.t("notes_intro", n=len(notes)))))
    counts = Counter(kind_text(b, n) for _, n in notes)
    for kind, count in counts.most_common():
        b.story.append(b.p(f"• {count} × {esc(kind)}", b.s.body))
    rows: list[list[object]] = [b.head(["row", "note_kind", "pass", "note_text"])]
    for label, n in notes[:MAX_NOTES_SHOWN]:
        rows.append(
            [
                b.cell(n.tx_id),
                b.cell(kind_text(b, n)),
                b.cell(b.t("raw" if label == "raw" else "corrected")),
                b.cell(message_text(b, n), style=b.s.small),
            ]
        )
    w = b.width
    b.story += [
        Spacer(1, 2 * mm),
        data_table(rows, [0.12 * w, 0.26 * w, 0.1 * w, 0.52 * w], long=True),
    ]
    if len(notes) > MAX_NOTES_SHOWN:
        more = b.t("notes_more", n=len(notes) - MAX_NOTES_SHOWN)
        b.story.append(b.p(esc(more), b.s.note))
