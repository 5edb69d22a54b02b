"""The batch log (``OUT_DIR/batch.log``): appended on every run, one line per event — the run's
settings, every input of every client with its SHA-256, each client's result and time, the
clients taken over from an earlier run, every output written, and the tracebacks of
unexpected errors (which the terminal and the triage show only as one line)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from .clients import ClientJob
from .job import Options, Outcome


class BatchLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _write(self, *lines: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.path.open("a", encoding="utf-8") as fh:
            for line in lines:
                fh.write(f"{stamp} {line}\n")

    def start(
        self,
        clients_dir: Path,
        out_dir: Path,
        options: Options,
        backend: str,
        jobs: int,
        scheduler: object | None,
    ) -> None:
        from .. import __version__

        where = f"scheduler {scheduler}" if scheduler is not None else f"{jobs} worker(s)"
        self._write(
            f"batch start: taxsim {__version__}, clients {clients_dir}, out {out_dir}, "
            f"backend {backend} ({where}), reports {'yes' if options.reports else 'no'}"
        )

    def inputs(self, job: ClientJob) -> None:
        roles = {path.relative_to(job.folder).as_posix(): role for role, path in job.files.roles()}
        lines = [
            f"input {job.id}: {job.folder / rel} ({roles.get(rel, 'not used')}) sha256 {digest}"
            for rel, digest in job.hashes.items()
        ]
        if not job.hashes:
            lines.append(f"input {job.id}: {job.folder} is empty")
        if job.problem is not None:
            lines.append(f"input {job.id}: problem: {job.problem}")
        self._write(*lines)

    def outcome(self, o: Outcome, result: Path) -> None:
        lines = [
            f"client {o.client}: {o.row.get('status')} in {o.seconds:.2f} s; "
            f"tax at stake {o.row.get('tax_at_stake', '–')} €"
            + (f"; error: {o.row.get('error')}" if o.failed else "")
        ]
        lines += [f"note {o.client}: {note}" for note in o.notes]
        lines += [f"output {o.client}: {path}" for path in [*o.outputs, result]]
        if o.trace:
            lines += [f"trace {o.client}: {line}" for line in o.trace.rstrip().splitlines()]
        self._write(*lines)

    def resumed(self, o: Outcome) -> None:
        self._write(
            f"client {o.client}: unchanged since the last run, result kept ({o.row.get('status')})"
        )

    def outputs(self, paths: list[Path]) -> None:
        self._write(*(f"output: {p}" for p in paths))

    def finish(self, clients: int, skipped: int, failed: list[str]) -> None:
        self._write(
            f"batch end: {clients} clients in the triage, {skipped} kept from the last run, "
            f"{len(failed)} failed" + (f" ({', '.join(failed)})" if failed else "")
        )
