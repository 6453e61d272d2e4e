"""How a follower of the log is doing, for those who watch it: its lag behind the log's
head as Prometheus metrics, a heartbeat file for ``laurel alive``, and ``/livez``.

Each follower process (relay, projector, notifier) keeps one ``Progress``: whether it
leads (``infrastructure.leadership``), the position it has acted on, the log's head when
it last looked, and when it last made progress — advanced, or found nothing to do. The
log follower tells it of every read (``EventLog.follow(polled=...)``), so keeping it
costs no query of its own.

Alive means: a standby is waiting (its heartbeat is fresh); a leader has made progress
within ``stalled_seconds``. A leader whose position stays behind the head for longer —
blocked on Temporal, its batches failing, its process stopped — is not alive. The checks
read what the process already knows: a probe costs a file read (``laurel alive``) or a
request to a server that is already running (``/livez``), never start-up work.

The metrics are Prometheus's text format (version 0.0.4), served by a small HTTP server
of the process's own (``serve``): no dependency, a few lines per scrape.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

WORKER = "worker"
"""A Temporal worker follows no log: its heartbeat says its event loop runs (a blocked or
stopped one writes none), whatever Temporal's state — a liveness probe that restarted
every worker while Temporal is away would help no one."""
BEAT_SECONDS = 1.0
"""How often a process writes its heartbeat file."""


@dataclass
class Progress:
    """A follower's state as its own process knows it (wall-clock times, seconds)."""

    consumer: str
    leader: bool = False
    position: int = -1
    """The last position acted on and stored; -1 until the leader first reads."""
    head: int = -1
    """The log's last position when the follower last read it."""
    progressed_at: float = field(default_factory=time.time)
    """When it last advanced, found itself caught up, or started leading or waiting."""
    leader_since: float | None = None
    leaderships: int = 0
    """How many times this process became the leader."""
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)

    def polled(self, after: int, head: int) -> None:
        """A read of the log (``EventLog.follow``): everything up to ``after`` is done."""
        now = time.time()
        if after > self.position or head <= after:
            self.progressed_at = now
        self.position = max(self.position, after)
        self.head = head

    def waiting(self) -> None:
        """Leading, with nothing it may do yet (the read models being rebuilt)."""
        self.progressed_at = time.time()

    def became_leader(self) -> None:
        self.leader, self.leader_since = True, time.time()
        self.leaderships += 1
        self.progressed_at = self.leader_since

    def standing_by(self) -> None:
        self.leader, self.leader_since = False, None

    @property
    def lag(self) -> int:
        """Positions behind the log's head (0 when it has not read yet)."""
        if self.position < 0 or self.head < 0:
            return 0
        return max(self.head - self.position, 0)

    def verdict(self, stalled_seconds: float, now: float | None = None) -> str | None:
        """None if alive; else why not."""
        return stalled(asdict(self), stalled_seconds, time.time() if now is None else now)


def stalled(state: dict[str, Any], stalled_seconds: float, now: float) -> str | None:
    """None if a follower in ``state`` (``Progress`` as a dict) is alive; else why not."""
    if not state.get("leader"):
        return None  # waiting for the lease is what a standby does
    idle = now - float(state["progressed_at"])
    if idle <= stalled_seconds:
        return None
    return (f"{state['consumer']} (pid {state['pid']}) leads but made no progress for "
            f"{idle:.0f} s (position {state['position']}, log head {state['head']})")


# -- the heartbeat file ------------------------------------------------------------------


def heartbeat_dir(data_dir: Path) -> Path:
    return data_dir / "heartbeats"


def heartbeat_file(data_dir: Path, progress: Progress) -> Path:
    return heartbeat_dir(data_dir) / f"{progress.consumer}.{progress.host}.{progress.pid}.json"


def write_heartbeat(path: Path, progress: Progress) -> None:
    """The process's state and the time now, replacing the last (a reader sees a whole
    file: written aside, then renamed over)."""
    draft = path.with_name(f".{path.name}.draft")
    draft.write_text(json.dumps({**asdict(progress), "written_at": time.time()}))
    draft.replace(path)


@contextlib.asynccontextmanager
async def heartbeat(data_dir: Path, progress: Progress) -> AsyncIterator[Path]:
    """Write the heartbeat every ``BEAT_SECONDS`` while the body runs; removed after."""
    path = heartbeat_file(data_dir, progress)
    with contextlib.suppress(OSError):  # written where it can be; a probe says if not
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    async def beat() -> None:
        while True:
            with contextlib.suppress(OSError):  # a full disk must not stop the follower
                # Off the event loop: on a busy disk a write and rename took 5 ms here.
                await asyncio.to_thread(write_heartbeat, path, progress)
            await asyncio.sleep(BEAT_SECONDS)

    beating = asyncio.create_task(beat())
    try:
        yield path
    finally:
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Liveness:
    pid: int
    alive: bool
    said: str


DATA_DIR = "laurel-data"
STALLED_SECONDS = 30.0
"""``Settings``' defaults of ``data_dir`` and ``stalled_seconds`` (a test holds them
equal): ``probe_settings`` reads the two without importing the settings' modules."""


def probe_settings(data_dir: str | None = None) -> tuple[Path, float]:
    """The data directory (``data_dir`` if given) and ``stalled_seconds`` as ``Settings``
    reads them from the environment, for ``laurel alive``: a probe run every few
    seconds, which importing the settings (and the store modules they import) would
    cost 0.5 s of CPU each time."""
    env = {k.upper(): v for k, v in os.environ.items() if k.upper().startswith("LAUREL_")}
    folder = Path(data_dir or env.get("LAUREL_DATA_DIR") or DATA_DIR)
    return folder, float(env.get("LAUREL_STALLED_SECONDS") or STALLED_SECONDS)


def check_heartbeats(data_dir: Path, consumer: str, stalled_seconds: float,
                     pid: int | None = None, now: float | None = None) -> list[Liveness]:
    """The verdict on each running ``consumer`` process of this machine, from its
    heartbeat file: a heartbeat older than ``stalled_seconds`` means a process stopped
    or blocked; a fresh one, the process's own account (``stalled``). Files of processes
    that are gone are removed."""
    now = time.time() if now is None else now
    found = []
    host = socket.gethostname()
    for path in sorted(heartbeat_dir(data_dir).glob(f"{consumer}.{host}.*.json")):
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # replaced as it was read: the next probe reads it
        if pid is not None and state.get("pid") != pid:
            continue
        if not _running(int(state["pid"])):
            path.unlink(missing_ok=True)
            continue
        age = now - float(state["written_at"])
        if age > stalled_seconds:
            said = (f"{consumer} (pid {state['pid']}) wrote no heartbeat for {age:.0f} s "
                    "(stopped or blocked)")
            found.append(Liveness(int(state["pid"]), False, said))
            continue
        reason = stalled(state, stalled_seconds, now)
        role = "leads" if state.get("leader") else "stands by"
        said = reason or (f"{consumer} (pid {state['pid']}) {role}: position "
                          f"{state['position']}, log head {state['head']}"
                          if consumer != WORKER else
                          f"worker (pid {state['pid']}) runs: its event loop beats")
        found.append(Liveness(int(state["pid"]), reason is None, said))
    return found


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- Prometheus --------------------------------------------------------------------------


def render(progress: Progress, stalled_seconds: float) -> str:
    """The process's metrics in Prometheus's text format."""
    label = f'{{consumer="{progress.consumer}"}}'
    usage = resource.getrusage(resource.RUSAGE_SELF)
    lines: list[str] = []

    def gauge(name: str, help_: str, value: float, kind: str = "gauge",
              labels: str = label) -> None:
        lines.extend([f"# HELP {name} {help_}", f"# TYPE {name} {kind}",
                      f"{name}{labels} {value:g}" if isinstance(value, float)
                      else f"{name}{labels} {value}"])

    gauge("laurel_leader", "1 while this process holds the consumer's lease, 0 standing by",
          int(progress.leader))
    gauge("laurel_leaderships_total", "Times this process became the consumer's leader",
          progress.leaderships, "counter")
    if progress.leader and progress.position >= 0:
        gauge("laurel_consumer_position", "The last log position acted on and stored",
              progress.position)
        gauge("laurel_log_head", "The log's last position when the consumer last read it",
              progress.head)
        gauge("laurel_consumer_lag", "Positions the consumer is behind the log's head",
              progress.lag)
    gauge("laurel_last_progress_timestamp_seconds",
          "When the leader last advanced or found itself caught up (Unix time)",
          round(progress.progressed_at, 3))
    gauge("laurel_alive", f"0 when the leader made no progress for {stalled_seconds:g} s",
          int(progress.verdict(stalled_seconds) is None))
    gauge("process_cpu_seconds_total", "User and system CPU time of this process",
          round(usage.ru_utime + usage.ru_stime, 3), "counter", labels="")
    return "\n".join(lines) + "\n"


async def serve(host: str, port: int, progress: Progress,
                stalled_seconds: float) -> asyncio.Server:
    """A small HTTP server: ``GET /metrics`` (Prometheus), ``GET /livez`` (200 alive, 503
    with the reason). Runs in the process's event loop; each answer is built from
    ``progress`` alone."""

    def answer(path: str) -> tuple[str, str, str]:
        if path == "/metrics":
            return ("200 OK", "text/plain; version=0.0.4; charset=utf-8",
                    render(progress, stalled_seconds))
        if path == "/livez":
            reason = progress.verdict(stalled_seconds)
            return ("200 OK" if reason is None else "503 Service Unavailable",
                    "text/plain; charset=utf-8", (reason or "alive") + "\n")
        return "404 Not Found", "text/plain; charset=utf-8", "not found\n"

    return await asyncio.start_server(_handler(answer), host, port)


def _handler(answer: Callable[[str], tuple[str, str, str]]) -> Callable[
        [asyncio.StreamReader, asyncio.StreamWriter], Any]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path, *_ = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            status, kind, body = (answer(path.split("?", 1)[0]) if method in ("GET", "HEAD")
                                  else ("405 Method Not Allowed", "text/plain", "GET only\n"))
            data = body.encode()
            writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: "
                         f"{len(data)}\r\nConnection: close\r\n\r\n".encode())
            if method != "HEAD":
                writer.write(data)
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    return handle
