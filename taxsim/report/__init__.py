"""The client PDF and the advisor exports (``taxsim report``).

* ``pdf.build_pdf``          — the reportlab document (cover, summary, charts, shorts,
  corrections, audit trail, DAC8 checklist, settings, appendix);
* ``export.write_exports``   — ``figures.json``, ``disposals.csv``, ``forms.csv`` and
  ``taxsim-advisor.xlsx``;
* ``labels``                 — German/English labels and number formats;
* ``charts``                 — reportlab.graphics charts and the balance timelines.
"""

from __future__ import annotations

from .export import disposal_rows, form_rows, write_exports
from .pdf import ReportInput, build_pdf, esc

__all__ = ["ReportInput", "build_pdf", "disposal_rows", "esc", "form_rows", "write_exports"]
