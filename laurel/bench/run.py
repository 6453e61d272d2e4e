"""Running the benchmark suites on one backend, each on fresh stores."""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from infrastructure.settings import Settings
from laurel.bench.report import Figure, render, write_json
from laurel.scratch_databases import create_database, drop_database
from laurel.supervisor import free_port, temporal_dev_server, wait_for_port


@dataclass
class BenchContext:
    """What a suite needs: fresh stores on the chosen backend, a Temporal server, and
    whether this is the minute-long ``--quick`` run."""

    backend: str
    quick: bool
    work_dir: Path
    temporal_address: str
    temporal_pid: int
    """The Temporal server's process: its CPU time is part of what each side costs."""
    databases: list[str] = field(default_factory=list)
    people: int | None = None
    """The register's size for the ``people`` suite (``--people``; its default if None)."""

    def fresh_settings(self, name: str) -> Settings:
        """Settings of an empty event store and read models, for one suite."""
        data_dir = self.work_dir / f"{name}-{uuid.uuid4().hex[:6]}"
        database_url = None
        if self.backend == "postgres":
            database_url = create_database("laurel_bench")
            self.databases.append(database_url)
        settings = Settings(data_dir=data_dir, database_url=database_url,
                            temporal_address=self.temporal_address,
                            task_queue=f"bench-{uuid.uuid4().hex[:8]}",
                            jwt_secret="bench-" + uuid.uuid4().hex)
        from laurel.migrate import migrate

        migrate(settings)  # as `laurel up` and the deployments do before any process
        return settings

    def scale(self, quick: int, full: int) -> int:
        return quick if self.quick else full


@contextlib.contextmanager
def bench_context(backend: str, quick: bool) -> Iterator[BenchContext]:
    work_dir = Path(tempfile.mkdtemp(prefix="laurel-bench-"))
    port, ui = free_port(), free_port()
    temporal = subprocess.Popen(  # noqa: S603 - our own command line
        temporal_dev_server(work_dir, port, ui), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    context = BenchContext(backend, quick, work_dir, f"127.0.0.1:{port}", temporal.pid)
    try:
        if not wait_for_port(port, 60):
            raise RuntimeError("the Temporal dev server did not start")
        yield context
    finally:
        temporal.terminate()
        temporal.wait(30)
        for database_url in context.databases:
            drop_database(database_url)
        shutil.rmtree(work_dir, ignore_errors=True)


Suite = Callable[[BenchContext], list[Figure]]


def suites() -> list[tuple[str, Suite, str | None]]:
    """(name, suite, the suite it is a part of): a suite is chosen by its name's first
    word; a part runs alone only when chosen and its whole is not."""
    from laurel.bench import (
        commands,
        documents,
        eligibility,
        end_to_end,
        paperwork,
        people,
        projection,
        verify,
        write_ceiling,
    )

    return [("commands and reads", commands.run, None),
            ("reads at scale", commands.run_reads, "commands"),
            ("projections", projection.run, None), ("end to end", end_to_end.run, None),
            ("people search", people.run, None),
            ("eligibility at scale", eligibility.run, None),
            ("paperwork PDFs", paperwork.run, None),
            ("documents uploaded through the API", documents.run, None),
            ("verification page", verify.run, None),
            # Only when chosen: it starts a PostgreSQL server of its own, whatever --backend.
            ("write-ceiling with the database 2-3 ms away", write_ceiling.run, "chosen-only")]


def chosen(name: str, part_of: str | None, only: list[str] | None) -> bool:
    if not only:
        return part_of is None
    return name.split()[0] in only and part_of not in only


def bench(backend: str, quick: bool, out: Path, only: list[str] | None = None,
          people: int | None = None) -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request skews timing
    figures: list[Figure] = []
    with bench_context(backend, quick) as context:
        context.people = people
        for name, suite, part_of in suites():
            if not chosen(name, part_of, only):
                continue
            print(f"… {name}", flush=True)
            figures += suite(context)
    print(render(figures, backend))
    write_json(out, figures, backend, quick)
    print(f"Written to {out}")
    return 0
