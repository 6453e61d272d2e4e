"""`laurel up` as a newcomer runs it: an empty data directory, a nomination taken part
of the way, Ctrl-C, started again — the nomination is still there and finishes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from laurel.supervisor import find_executable, free_port

pytestmark = pytest.mark.slow
TALLY = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}


class Service:
    def __init__(self, data_dir: Path, port: int, log: Path) -> None:
        self.data_dir, self.port, self.log = data_dir, port, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [find_executable("laurel"), "up", "--data-dir", str(self.data_dir),
                 "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT,
            )
        self.until(lambda: httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200, 90)

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
        subprocess.run(["pkill", "-f", str(svc.data_dir)], check=False)


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
        "outcome": "awarded", "decision_number": "55/QĐ-UBND", "decision_date": "2026-02-02",
        "signer": "Chủ tịch UBND tỉnh"})
    assert decided.status_code == 200
    tracked = service.until(lambda: (r := httpx.get(
        f"{service.base}/track/{created['tracking_code']}").json())["status"] == "awarded" and r)
    assert [s["type"] for s in tracked["timeline"]][-2:] == ["DecisionOpened", "Decided"]
    assert service.interrupt() == 0


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
