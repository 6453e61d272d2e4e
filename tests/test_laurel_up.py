"""`laurel up` as a newcomer runs it: an empty data directory, a nomination taken part
of the way, Ctrl-C, started again — the nomination is still there and finishes. And as a
day ends: the terminal closed or the supervisor killed, nothing of it keeps running; a
second `laurel up` on the same data is refused."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from laurel.api_process import process_tree
from laurel.supervisor import find_executable, free_port
from tests.support.nominations import day_in_vietnam

pytestmark = pytest.mark.slow
# Nine members: the province's council has a roster of nine (the ballot's members).
TALLY = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}


class Service:
    def __init__(self, data_dir: Path, port: int, log: Path) -> None:
        self.data_dir, self.port, self.log = data_dir, port, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = f"http://127.0.0.1:{port}"
        self.pids: set[int] = set()
        """Every process of the tree seen running, for the teardown to end."""

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [find_executable("laurel"), "up", "--data-dir", str(self.data_dir),
                 "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT,
            )
        self.until(lambda: httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200, 90)
        self.pids.update(process_tree(self.process.pid))

    def children(self) -> list[int]:
        """The supervisor's children and theirs, as they run now."""
        assert self.process is not None
        return process_tree(self.process.pid)[1:]

    def serving(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def interrupt(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        return self.process.wait(timeout=60)

    def token(self, sub: str, role: str, unit: str) -> dict[str, str]:
        out = subprocess.run(
            [find_executable("laurel"), "token", "--data-dir", str(self.data_dir),
             "--sub", sub, "--role", role, "--unit", unit],
            check=True, capture_output=True, text=True,
        )
        return {"Authorization": f"Bearer {out.stdout.strip()}"}

    def until(self, probe: Any, timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                result = probe()
                if result:
                    return result
            except httpx.HTTPError:
                pass
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"laurel up exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"gave up after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def review_first_task(self, unit: str) -> None:
        headers = self.token(f"secretary-{unit}", "reviewer", unit)
        items = self.until(
            lambda: httpx.get(f"{self.base}/tasks", headers=headers).json()["items"])
        response = httpx.post(f"{self.base}/tasks/{items[0]['id']}/review", headers=headers,
                              json={"outcome": "approve", "votes": TALLY})
        assert response.status_code == 200, response.text


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service(tmp_path / "fresh-data-dir", free_port(), tmp_path / "laurel-up.log")
    yield svc
    if svc.process is not None and svc.process.poll() is None:
        svc.process.kill()
        svc.process.wait()
    for pid in svc.pids:  # what a failed test left behind
        if running(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def running(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def until_gone(pids: list[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while left := [pid for pid in pids if running(pid)]:
        if time.monotonic() > deadline:
            commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left]
            raise AssertionError(f"still running after {timeout} s: {commands}")
        time.sleep(0.2)


def test_laurel_up_keeps_a_nomination_across_a_restart(service: Service) -> None:
    service.start()
    assert (service.data_dir / "events.db").exists() and (service.data_dir / "jwt-secret").exists()
    banner = service.log.read_text()
    assert f"http://127.0.0.1:{service.port}" in banner and "Temporal UI:" in banner
    # The demo accounts it prints sign in to the pages.
    printed = re.search(r"^\s+(vanthu\.phuong1)\s+(\S+)\s+proposer", banner, re.MULTILINE)
    assert printed is not None, banner
    with httpx.Client(base_url=service.base) as browser:
        form = browser.get("/ui/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        signed = browser.post("/ui/login", data={
            "csrf": csrf.group(1), "username": printed.group(1),
            "password": printed.group(2), "next": "/ui/nominations"})
        assert signed.status_code == 303
        assert "Văn thư Phường 1" in browser.get("/ui/nominations").text

    proposer = service.token("clerk", "proposer", "hg.vi-thanh.phuong-1")
    created = httpx.post(f"{service.base}/nominations", headers=proposer, json={
        "award_code": "bang-khen-tinh",
        "nominee": {"name": "Đặng Văn Minh", "kind": "individual"}}).json()
    service.review_first_task("hg.vi-thanh.phuong-1")
    district = service.token("s", "reviewer", "hg.vi-thanh")
    service.until(lambda: httpx.get(f"{service.base}/tasks", headers=district).json()["total"])

    assert service.interrupt() == 0
    assert "Laurel stopped." in service.log.read_text()

    service.start()  # the same data directory
    status = httpx.get(f"{service.base}/nominations/{created['id']}", headers=proposer).json()
    assert status["status"] == "under_review" and status["current_level"] == "district"
    service.review_first_task("hg.vi-thanh")  # the task pending before the restart
    service.review_first_task("hg")
    decider = service.token("chair", "decider", "hg")
    task = service.until(
        lambda: httpx.get(f"{service.base}/tasks", headers=decider).json()["items"])[0]
    decided = httpx.post(f"{service.base}/tasks/{task['id']}/decision", headers=decider, json={
        "outcome": "awarded", "decision_number": "55/QĐ-UBND", "decision_date": day_in_vietnam(),
        "signer": "Chủ tịch UBND tỉnh"})
    assert decided.status_code == 200
    tracked = service.until(lambda: (r := httpx.get(
        f"{service.base}/track/{created['tracking_code']}").json())["status"] == "awarded" and r)
    assert [s["type"] for s in tracked["timeline"]][-2:] == ["DecisionOpened", "Decided"]
    assert service.interrupt() == 0


def test_a_killed_laurel_up_takes_every_process_it_started_with_it(service: Service) -> None:
    service.start()
    children = service.children()
    assert len(children) >= 5  # Temporal, worker, relay, projector, API
    assert service.process is not None
    service.process.kill()  # SIGKILL: no handler runs, nothing is stopped in order
    service.process.wait()
    until_gone(children)
    assert not service.serving()


def test_closing_the_terminal_stops_laurel_up_and_a_second_one_is_refused(
    service: Service, tmp_path: Path,
) -> None:
    service.start()
    # The tok line it prints gives tokens the service accepts, in any folder.
    printed = re.search(r"^\s+Tokens:\s+(tok\(\) \{.*\})$", service.log.read_text(),
                        re.MULTILINE)
    assert printed is not None, service.log.read_text()
    elsewhere = tmp_path / "another-terminal"
    elsewhere.mkdir()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    token = subprocess.run(
        ["bash", "-c", f"{printed.group(1)}\ntok clerk proposer hg.vi-thanh.phuong-1"],
        cwd=elsewhere, env=clean, capture_output=True, text=True, check=True).stdout.strip()
    mine = httpx.get(f"{service.base}/nominations",
                     headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200, mine.text

    second = subprocess.run(
        [find_executable("laurel"), "up", "--data-dir", str(service.data_dir),
         "--port", str(free_port())], capture_output=True, text=True, timeout=120)
    assert second.returncode != 0
    assert "another laurel up" in second.stderr
    assert str(service.data_dir.resolve()) in second.stderr
    assert httpx.get(f"{service.base}/healthz").status_code == 200  # the first serves on

    children = service.children()
    assert service.process is not None
    service.process.send_signal(signal.SIGHUP)  # what closing the terminal sends
    assert service.process.wait(timeout=60) == 0
    assert "Laurel stopped." in service.log.read_text()
    until_gone(children)
    assert not service.serving()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
