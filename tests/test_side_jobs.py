"""The report's steps in forked workers (``taxsim.forked``) give what they give inline.

On a large ledger (``PARALLEL_MIN_ROWS`` rows or more) ``taxsim report`` diagnoses in a
forked worker while it runs the passes, checks DAC8 in one while it works out the
appendix's cents, and writes ``disposals.csv`` in one beside the workbook. The sample is
small; the threshold is set to 0 here so that the same sample takes both ways, and every
output must be the same, byte for byte, except what records the time of writing.
"""

from __future__ import annotations

import pickle
import threading
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_client import EVIDENCE, SAMPLE  # the sample client and its evidence files
from typer.testing import CliRunner

from taxsim import forked
from taxsim.cli import _register, app
from taxsim.diagnosis.results import Step

_register()


def _report(out: Path) -> None:
    cmd = ["report", str(SAMPLE / "ledger.csv"), "-c", str(SAMPLE / "corrections.toml")]
    cmd += ["-o", str(out / "r.pdf"), "-q", "--export-dir", str(out), *EVIDENCE]
    result = CliRunner().invoke(app, cmd)
    assert result.exit_code == 0, result.output


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def test_forked_report_equals_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import taxsim.cli.report as cli_report
    import taxsim.report.export as export

    inline, parallel = tmp_path / "inline", tmp_path / "parallel"
    _report(inline)
    started: list[int] = []
    real_pool = forked.fork_pool

    def counted(workers: int):  # type: ignore[no-untyped-def]
        pool = real_pool(workers)
        started.append(pool is not None)
        return pool

    monkeypatch.setattr(forked, "fork_pool", counted)
    monkeypatch.setattr(cli_report, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(export, "PARALLEL_MIN_ROWS", 0)
    _report(parallel)
    # diagnosis, DAC8 checklist, disposals.csv: three pools, each forked
    assert started == [True, True, True]
    assert _text(inline / "r.pdf") == _text(parallel / "r.pdf")
    for name in ("disposals.csv", "forms.csv"):
        assert (inline / name).read_bytes() == (parallel / name).read_bytes(), name
    strip = [line for line in (inline / "figures.json").read_text().splitlines()]
    other = [line for line in (parallel / "figures.json").read_text().splitlines()]
    assert [x for x in strip if "generated_at" not in x] == [
        x for x in other if "generated_at" not in x
    ]
    with (
        zipfile.ZipFile(inline / "taxsim-advisor.xlsx") as a,
        zipfile.ZipFile(parallel / "taxsim-advisor.xlsx") as b,
    ):
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # the time of writing
                assert a.read(name) == b.read(name), name


def _square(x: int) -> int:
    return x * x


def _unpicklable() -> object:
    return threading.Lock()  # a result a worker cannot send back


def test_side_jobs_run_forked_or_inline_with_the_same_results() -> None:
    for parallel in (False, True):
        with forked.SideJobs(parallel) as jobs:
            assert jobs.forked is parallel
            futures = [jobs.submit(_square, n) for n in range(5)]
            assert [f.result() for f in futures] == [0, 1, 4, 9, 16]
        assert not [k for k in forked.SHARED if k.startswith("side-job")]  # cleaned up


def test_a_failed_worker_is_replaced_by_an_inline_run() -> None:
    with forked.SideJobs(True) as jobs:
        job = jobs.submit(_unpicklable)
        assert isinstance(job.result(), type(threading.Lock()))


def test_no_fork_from_another_thread() -> None:
    """A Dask worker runs tasks in threads: forking there could leave the child waiting on a
    lock another thread held; the jobs run inline instead."""
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(forked.fork_pool(1) is None))
    thread.start()
    thread.join()
    assert seen == [True]


def test_balance_steps_survive_the_way_back_from_a_worker() -> None:
    from datetime import UTC, datetime

    step = Step(datetime(2024, 4, 16, 12, 0, tzinfo=UTC), "T-1", Decimal("-0.40"), Decimal("-1E-8"))
    back = pickle.loads(pickle.dumps(step))
    assert back == step and str(back.balance) == "-1E-8" and str(back.delta) == "-0.40"
