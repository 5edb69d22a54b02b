"""Applying a corrections set to a ledger (a new ledger plus the audit trail)."""

from __future__ import annotations

from pathlib import Path

from ..model import (
    Ledger,
    TaxsimError,
)
from .audit import Applied
from .kinds import _APPLY
from .schema import CorrectionSet, _zone
from .state import LedgerReader, _State


def apply_corrections(
    ledger: Ledger,
    corrections: CorrectionSet,
    *,
    only: set[str] | None = None,
    exclude: set[str] | None = None,
    base_dir: Path,
    read_ledger: LedgerReader | None = None,
    timezone: str | None = None,
) -> Applied:
    """Apply the corrections in file order to a copy of ``ledger``.

    ``only``/``exclude`` pick corrections by id (the what-if analysis runs each one alone or
    leaves one out); an unknown id there is an error, not an empty selection. ``base_dir`` is
    where relative file names in the corrections are resolved (the corrections file's folder).
    ``read_ledger`` defaults to ``taxsim.readers.read_ledger``. ``timezone`` is the command's
    ``--timezone`` (the CoinTracking account's time zone the ledger was read in): the files a
    ``restore``/``merge_export`` reads are read in it too, unless the correction names its own
    ``timezone`` (which wins); without either they get the reader's default (Europe/Berlin).
    """
    if timezone is not None:
        try:
            _zone(timezone)
        except ValueError as exc:
            raise TaxsimError(f"--timezone: {exc}") from None
    known = set(corrections.ids)
    for name, chosen in (("only", only), ("exclude", exclude)):
        missing = sorted((chosen or set()) - known)
        if missing:
            raise TaxsimError(f"--{name}: no correction with id {', '.join(missing)}")
    state = _State(ledger, base_dir, read_ledger, timezone)
    for correction in corrections.corrections:
        if only is not None and correction.id not in only:
            continue
        if exclude is not None and correction.id in exclude:
            continue
        state.by_correction[correction.id] = []
        _APPLY[correction.kind](state, correction)
    return Applied(
        Ledger(list(state.rows.values()), list(ledger.files) + state.files, ledger.format),
        state.audit,
        state.by_correction,
    )
