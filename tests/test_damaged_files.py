"""A damaged file is named, with what to do, wherever Laurel meets it: `laurel up` before
starting anything, every `laurel` command, `/readyz` and the API's answers; `laurel
projections rebuild` recovers a damaged read-models file from the events, and `laurel
audit verify` reports a damaged event store instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from infrastructure.container import bootstrap
from infrastructure.settings import Settings
from laurel.supervisor import free_port
from projections.projector import Projector
from projections.schema import prepare_read_models
from tests.support import commands
from tests.support.people import JWT_SECRET, actor, token

UNIT = "hg.vi-thanh.phuong-1"
AUDITOR = token("a", "auditor", unit="hg")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory of the embedded default with 200 nominations, projected."""
    settings = Settings(data_dir=tmp_path / "data", jwt_secret=JWT_SECRET)
    laurel = bootstrap(settings)
    prepare_read_models(laurel.engine)
    for i in range(200):
        commands.propose(laurel.nominations, actor("proposer", UNIT), award_code="giay-khen",
                         nominee={"name": f"Lê Văn {i}", "kind": "individual"},
                         achievements="Hoàn thành xuất sắc nhiệm vụ " * 8, documents=[],
                         at=datetime.now(UTC))
    Projector(laurel.engine, laurel.log).catch_up()
    laurel.close()
    yield settings.data_dir


def damage(path: Path, at: int, pages: int = 1) -> None:
    """Overwrite ``pages`` pages' worth of the file from ``at`` (0: its header)."""
    with path.open("r+b") as file:
        file.seek(at)
        file.write(b"\xde\xad\xbe\xef" * 1024 * pages)


def laurel_command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAUREL_JWT_SECRET": JWT_SECRET}
    return subprocess.run([sys.executable, "-m", "laurel", *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)


def test_a_damaged_read_models_file_is_named_and_rebuilt_from_the_events(
    data_dir: Path,
) -> None:
    damage(data_dir / "readmodels.db", 0)
    verify = laurel_command("projections", "verify", "--data-dir", str(data_dir))
    assert verify.returncode == 3, verify.stderr
    assert f"The read models file {data_dir.resolve()}/readmodels.db is damaged" in verify.stderr
    assert "laurel projections rebuild" in verify.stderr and "Traceback" not in verify.stderr

    up = laurel_command("up", "--data-dir", str(data_dir), "--port", str(free_port()))
    assert up.returncode != 0 and "readmodels.db is damaged" in up.stderr
    assert "Traceback" not in up.stderr

    rebuilt = laurel_command("projections", "rebuild", "--data-dir", str(data_dir))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "set aside as readmodels.db.damaged-" in rebuilt.stdout
    assert any(p.name.startswith("readmodels.db.damaged-") for p in data_dir.iterdir())
    verified = laurel_command("projections", "verify", "--data-dir", str(data_dir))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_damaged_event_store_is_reported_not_crashed_on(data_dir: Path) -> None:
    damage(data_dir / "events.db", (data_dir / "events.db").stat().st_size // 2)
    audit = laurel_command("audit", "verify", "--data-dir", str(data_dir))
    assert audit.returncode in (1, 3), audit.stderr
    said = audit.stdout + audit.stderr
    assert "Traceback" not in said
    assert "damaged" in said and "backup" in said


async def test_readyz_and_the_api_say_which_file_is_damaged(data_dir: Path) -> None:
    """The file damaged while the API runs (a disk failing under it)."""
    settings = Settings(data_dir=data_dir, jwt_secret=JWT_SECRET)
    laurel = bootstrap(settings)
    app = create_app(laurel=laurel)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=transport, base_url="http://laurel") as http:
        assert (await http.get("/readyz")).json()["checks"]["read_models"] == "ok"
        size = (data_dir / "readmodels.db").stat().st_size
        damage(data_dir / "readmodels.db", 4096, pages=size // 4096)  # all but the schema
        laurel.engine.dispose()  # what any connection reads now comes from the disk
        ready = await http.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert "damaged" in ready.json()["checks"]["read_models"]
        listing = await http.get("/nominations?limit=200", headers=AUDITOR)
        assert listing.status_code == 503, listing.text[:300]
        assert listing.json()["type"] == "/problems/store-damaged"
        assert "readmodels.db" in listing.json()["detail"] or "cannot be read" in (
            listing.json()["detail"])
    laurel.close()
