"""The API as its own process: ``python -m laurel api`` on a free port, waited on until
healthy, stopped with SIGINT. The bench measures it; tests drive it over real HTTP.

Also the process-memory readings it takes (from ``/proc``), which the bench shares.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from infrastructure.settings import Settings
from laurel.supervisor import free_port


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    idle_rss_mib: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_mib(self) -> float:
        """The largest peak of its processes (the server and its workers, if several)."""
        return round(max(peak_rss_mib(pid) for pid in process_tree(self.pid)), 1)


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(15)


@contextlib.contextmanager
def api_process(settings: Settings, timeout: float = 60) -> Iterator[ApiProcess]:
    """``python -m laurel api`` on a free port, healthy; stopped (SIGINT) on leaving."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    env.update(settings.model_copy(update={
        "data_dir": settings.data_dir.resolve(), "jwt_secret": settings.signing_key(),
        "api_host": "127.0.0.1", "api_port": port}).as_environment())
    log_path = settings.data_dir / f"api-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "laurel", "api"], env=env, stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            api = ApiProcess(process, f"http://127.0.0.1:{port}", log_path)
            _wait_healthy(api, timeout)
            api.idle_rss_mib = max(rss_mib(pid) for pid in process_tree(api.pid))
            yield api
        finally:
            _stop(process)


def _wait_healthy(api: ApiProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=api.url, timeout=2) as client:
        while time.monotonic() < deadline:
            if api.process.poll() is not None:
                raise RuntimeError(f"the API exited ({api.process.returncode}):\n"
                                   f"{_log_tail(api.log_path)}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/healthz").status_code == 200:
                    return
            time.sleep(0.05)
    raise RuntimeError(f"the API was not healthy within {timeout:.0f} s:\n"
                       f"{_log_tail(api.log_path)}")


# -- a process's memory, from /proc -----------------------------------------------------


def peak_rss_mib(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of a process, this one by default, in MiB."""
    peak = _status_mib(pid, "VmHWM:")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if peak is None else peak


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (an API with several worker processes)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def rss_mib(pid: int) -> float:
    """Resident memory (VmRSS) of a process now, in MiB; NaN if it is gone."""
    now = _status_mib(pid, "VmRSS:")
    return float("nan") if now is None else now


def _status_mib(pid: int | None, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
            if line.startswith(field):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None
