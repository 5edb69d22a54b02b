"""The corrections file: what an adviser changes in a ledger, why, and the audit trail of it.

A corrections file is TOML (see ``docs/corrections.md``)::

    [meta]
    client = "Example"

    [[correction]]
    id = "C1"
    kind = "mark_scam"
    reason = "Fake USDC airdrop; contract is not Circle's"
    contract = "0xdead…"

Each ``[[correction]]`` is one decision of the adviser with its reason and evidence. Applying a
set of corrections never modifies the ledger given: it returns a *new* ledger plus an audit
entry for every row added, removed or changed and by which correction, so the corrected
figures can be traced back to the raw export line by line.

Design choices worth knowing (all documented in ``docs/corrections.md``):

* Amounts must be TOML strings or integers. A TOML float (``amount = 0.1``) is parsed by the
  TOML library into a binary float and has already lost precision, so it is refused.
* Corrections apply in file order. A correction that matches nothing is an error (a typo in an
  id must not silently leave a gap open), and so are two corrections that touch the same
  transaction in incompatible ways.
* Rows added by a correction get ids ``<correction id>:<n>``; restored rows keep their id.

The package, one module per concern: ``schema`` (value types and one model per kind),
``loading`` (file → ``CorrectionSet``), ``state`` (the ledger being corrected, conflict
bookkeeping), ``kinds`` (one function per kind), ``apply`` (``apply_corrections``) and ``audit``
(the audit trail and the row summary). Everything public is importable from here.
"""

from .apply import apply_corrections
from .audit import Action, Applied, AuditEntry, describe
from .loading import load_corrections, loads_corrections, parse_corrections
from .schema import (
    KINDS,
    AddInflow,
    Correction,
    CorrectionSet,
    Delete,
    ForkOrigin,
    GiftReceived,
    InlineTransaction,
    LinkTransfer,
    MarkScam,
    MergeExport,
    Meta,
    Reclassify,
    RenameTicker,
    Restore,
    SetCostBasis,
    _to_decimal,
)
from .state import ADD_INFLOW_GROUP, SET_COST_BASIS_GROUP, LedgerReader, _Rows

__all__ = [
    "ADD_INFLOW_GROUP",
    "KINDS",
    "SET_COST_BASIS_GROUP",
    "Action",
    "AddInflow",
    "Applied",
    "AuditEntry",
    "Correction",
    "CorrectionSet",
    "Delete",
    "ForkOrigin",
    "GiftReceived",
    "InlineTransaction",
    "LedgerReader",
    "LinkTransfer",
    "MarkScam",
    "Meta",
    "MergeExport",
    "Reclassify",
    "RenameTicker",
    "Restore",
    "SetCostBasis",
    "_Rows",
    "_to_decimal",
    "apply_corrections",
    "describe",
    "load_corrections",
    "loads_corrections",
    "parse_corrections",
]
