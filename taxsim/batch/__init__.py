"""Many clients at once (``taxsim batch``): one folder per client, each diagnosed, simulated
and DAC8-checked through ``taxsim.api`` in worker processes or on a Dask cluster, and a triage
table across all of them. See docs/batch.md.

* ``clients``  — client folders, ``client.toml``, the inputs' SHA-256 and fingerprints;
* ``job``      — one client's run (never raises: a bad client becomes an ``error`` row);
* ``backends`` — in-process, local process pool, Dask distributed;
* ``triage``   — the triage table and its files (xlsx, csv, parquet);
* ``runner``   — ``run_batch``: resumption, the run, the triage, the log;
* ``log``      — the batch log.
"""

from __future__ import annotations

from .clients import ClientJob, ClientSettings, prepare_job
from .job import Options, Outcome, run_client
from .runner import BatchResult, run_batch

__all__ = [
    "BatchResult",
    "ClientJob",
    "ClientSettings",
    "Options",
    "Outcome",
    "prepare_job",
    "run_batch",
    "run_client",
]
