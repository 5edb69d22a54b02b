"""DAC8 / CARF: what each platform reports about the client, and whether the tax report agrees.

Since 2026 Reporting Crypto-Asset Service Providers (CASPs) report **yearly aggregates** per
user × crypto-asset × category to the tax office (Directive (EU) 2023/2226; DE: KStTG, AT:
Krypto-MPfG; see ``shared/domain/dac8-carf.md``). The client never sees that report, so this
module

1. rebuilds it from the (corrected) ledger — the *expected DAC8 view* (:func:`build_view`),
2. reads a platform's report when one is available: the OECD CARF XML or a simple CSV
   (:func:`read_platform_report`),
3. compares both line by line with tolerances (:func:`compare`), naming the ledger
   transactions behind every deviation, and
4. runs the checklist of the reference's § 5 (:func:`build_checklist`), which the PDF uses.

Every figure is a ``Decimal``. Amounts are EUR values of the ledger legs; both a gross and a
net-of-fees amount are kept because the law says "gross" while HMRC's guidance says "net of
fees" (reference § 2, "Fees conflict"). The mapping of ledger rows to CARF elements is
documented row by row in ``docs/dac8.md``.

The package, one module per concern: ``categories`` (codes, line key, tolerances),
``platforms`` (who reports), ``view`` (the expected report), ``platform_reports`` (the CARF XML
and CSV readers and writers), ``compare``, ``checklist`` and ``json_output``. Every public name
stays importable from ``taxsim.dac8``.
"""

from __future__ import annotations

from ..summary import cents
from .categories import (
    ALT_VALUATIONS,
    AMOUNT_ABS_TOL_EUR,
    AMOUNT_REL_TOL,
    DEFAULT_EUR_USD,
    EXCHANGE_TYPES,
    INBOUND,
    INCOME_TRANSFER_TYPE,
    RRPT_LIMIT_USD,
    SWAP_SPREAD,
    TRANSFER_IN_TYPES,
    TRANSFER_OUT_TYPES,
    UNIT_DUST,
    YEAR_BOUNDARY,
    Category,
    LineKey,
)
from .checklist import Check, Status, build_checklist
from .checklist import _check_rebuild as _check_rebuild
from .compare import Deviation, Severity, compare
from .json_output import to_json
from .platform_reports import (
    CSV_COLUMNS,
    PlatformReport,
    ReportLine,
    read_platform_report,
    render_carf_xml,
    render_report_csv,
)
from .platforms import (
    NameList,
    PlatformsConfig,
    PlatformStatus,
    classify_wallets,
    load_platforms,
)
from .view import Aggregate, Dac8View, Entry, build_view

__all__ = [
    "ALT_VALUATIONS",
    "AMOUNT_ABS_TOL_EUR",
    "AMOUNT_REL_TOL",
    "Aggregate",
    "CSV_COLUMNS",
    "Category",
    "Check",
    "DEFAULT_EUR_USD",
    "Dac8View",
    "Deviation",
    "EXCHANGE_TYPES",
    "Entry",
    "INBOUND",
    "INCOME_TRANSFER_TYPE",
    "LineKey",
    "NameList",
    "PlatformReport",
    "PlatformStatus",
    "PlatformsConfig",
    "RRPT_LIMIT_USD",
    "ReportLine",
    "SWAP_SPREAD",
    "Severity",
    "Status",
    "TRANSFER_IN_TYPES",
    "TRANSFER_OUT_TYPES",
    "UNIT_DUST",
    "YEAR_BOUNDARY",
    "build_checklist",
    "build_view",
    "cents",
    "classify_wallets",
    "compare",
    "load_platforms",
    "read_platform_report",
    "render_carf_xml",
    "render_report_csv",
    "to_json",
]
