"""The last page: what the report was made from — taxsim version, rule set and its
fingerprint, time of generation, and the SHA-256 of every input file — so that an advisor can
show which data produced which figure."""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from ... import __version__
from ..model import rules_fingerprint
from .base import Builder, data_table, esc


def render(b: Builder) -> None:
    if b.width > 600:  # after the landscape appendix: back to portrait
        b.story += [NextPageTemplate("portrait"), PageBreak()]
        from reportlab.lib.pagesizes import A4

        from .base import MARGIN

        b.width = A4[0] - 2 * MARGIN
    b.h1("sec_repro")
    b.story.append(b.p(esc(b.t("repro_intro"))))
    generated = b.data.generated or datetime.now(UTC)
    jur = b.comp.rules.jurisdiction
    rows: list[list[object]] = [b.head(["setting", "value"])]
    pairs = [
        (b.t("repro_version"), f"taxsim {__version__}"),
        (b.t("repro_rules"), f"{b.t(f'jur_{jur}')} — {b.t(f'rules_basis_{jur}')}"),
        (b.t("generated"), b.moment(generated) + f" ({b.zone})"),
    ]
    rows += [[b.cell(k), b.cell(v)] for k, v in pairs]
    fingerprint = rules_fingerprint(b.comp.rules)
    rows.append([b.cell(b.t("repro_rules_version")), b.cell(fingerprint, style=b.s.small)])
    b.story += [Spacer(1, 2 * mm), data_table(rows, [0.3 * b.width, 0.7 * b.width])]
    rows = [b.head(["repro_role", "repro_file", "repro_sha"])]
    for role, name, digest in b.data.inputs:
        rows.append([b.cell(b.t(f"role_{role}")), b.cell(name), b.cell(digest, style=b.s.small)])
    if len(rows) == 1:
        rows.append([b.cell("—"), b.cell(b.data.ledger_name or "—"), b.cell("—")])
    w = b.width
    b.story += [Spacer(1, 3 * mm), data_table(rows, [0.14 * w, 0.24 * w, 0.62 * w])]
