"""Independent steps of one command at the same time, in forked worker processes.

A forked worker starts with a copy-on-write view of everything the command holds (a ledger of
a million rows, both tax passes), so a job's inputs are never pickled — it finds them in
``SHARED`` under the key it is given; only its (small) result travels back. ``whatif`` runs the
corrected pass and the passes behind each correction's worth this way; ``taxsim report`` its
diagnosis and DAC8 checklist while it works out the cents of the appendix.

Where ``fork`` is unavailable (Windows) the jobs run inline, one after the other: the same
results, only slower. Processes, not threads: the work is pure Python and holds the GIL.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

#: Inputs of the jobs: set before the pool forks, read by the workers, cleared afterwards.
SHARED: dict[str, object] = {}


class Done:
    """The result of a job run inline, with the interface of a Future."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def fork_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes, or None where forking is unavailable or
    unsafe: no ``fork`` (Windows), a daemonic process (it may have no children), or a call
    from another than the main thread (a Dask worker's task thread: forking a process whose
    other threads may hold locks can leave the child waiting for them for ever)."""
    if (
        "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon
        or threading.current_thread() is not threading.main_thread()
    ):
        return None
    gc.freeze()  # keep the shared pages shared: the collector would write to every object
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _run_shared(key: str) -> Any:
    """In a worker: the job stored under ``key`` (a function and its arguments)."""
    function, args = SHARED[key]  # type: ignore[misc]
    return function(*args)


class SideJobs:
    """Run functions in forked workers (``parallel``) or inline, and collect their results.

    ``submit(function, *args)`` returns a Future-like; ``result()`` of a job whose worker
    failed (killed, out of memory, a result that does not pickle) runs it inline instead, so
    the command's outcome never depends on the pool. Exceptions the function itself raises
    are raised by ``result()`` either way (run inline again, so that their own type is
    raised, not a pickled copy)."""

    def __init__(self, parallel: bool, workers: int = 2) -> None:
        self.pool = fork_pool(workers) if parallel else None
        self._jobs: list[str] = []

    def __enter__(self) -> SideJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            gc.unfreeze()
        for key in self._jobs:
            SHARED.pop(key, None)

    @property
    def forked(self) -> bool:
        return self.pool is not None

    def submit(self, function: Callable[..., Any], *args: object) -> Future[Any] | Done | _Retry:
        if self.pool is None:
            return Done(function(*args))
        key = f"side-job-{id(self)}-{len(self._jobs)}"
        SHARED[key] = (function, args)
        self._jobs.append(key)
        try:
            future = self.pool.submit(_run_shared, key)
        except Exception:  # noqa: BLE001 - no worker could be started: inline
            return Done(function(*args))
        return _Retry(future, function, args)


class _Retry:
    """A forked job's Future that runs the job inline if the worker gives no result."""

    def __init__(self, future: Future[Any], function: Callable[..., Any], args: tuple) -> None:
        self.future, self.function, self.args = future, function, args

    def result(self) -> Any:
        try:
            return self.future.result()
        except Exception:  # noqa: BLE001 - any failure of the worker: do it here instead
            return self.function(*self.args)
