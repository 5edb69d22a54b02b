"""The client PDF (reportlab platypus), one module per part of the document.

* ``cover``       — title, client, years, input files;
* ``summary``     — per year gains and tax on both passes, Freigrenze crossings, chart, forms;
* ``balances``    — the negative balances with their timelines;
* ``shorts``      — the raw pass's "Short (Warning)" sales and what resolves each;
* ``corrections`` — the corrections with reasons, evidence and effect;
* ``audit``       — the audit trail of every manual change;
* ``dac8``        — the DAC8 checklist;
* ``settings``    — the disclosure of settings (BMF 6.3.2025 Rz. 90);
* ``appendix``    — the corrected disposals;
* ``base``        — font, escaping, capped cells, styles, the ``Builder``;
* ``document``    — the sections in order, page templates, footer, ``build_pdf``.
"""

from __future__ import annotations

from .base import (
    APPENDIX_FONT_SIZE,
    CELL_PADDING,
    FONT,
    FONT_BOLD,
    MARGIN,
    MAX_CELL_CHARS,
    MAX_CELL_HEIGHT,
    Builder,
    ReportInput,
    Styles,
    capped,
    esc,
    number_cell,
    register_fonts,
)
from .document import SECTIONS, build_pdf

_Styles = Styles  # the name before the split

__all__ = [
    "APPENDIX_FONT_SIZE",
    "CELL_PADDING",
    "FONT",
    "FONT_BOLD",
    "MARGIN",
    "MAX_CELL_CHARS",
    "MAX_CELL_HEIGHT",
    "SECTIONS",
    "Builder",
    "ReportInput",
    "Styles",
    "build_pdf",
    "capped",
    "esc",
    "number_cell",
    "register_fonts",
]
