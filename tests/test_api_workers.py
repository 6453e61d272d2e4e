"""The API as production runs it, one process per core (``LAUREL_API_WORKERS``): both
start on an empty data directory, each takes commands, and every accepted command is
stored exactly once."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from api.auth import issue_token
from infrastructure.container import bootstrap
from infrastructure.settings import Settings
from laurel.api_process import api_process

pytestmark = pytest.mark.slow
PROPOSALS = 60


def nomination(i: int) -> dict[str, object]:
    return {"award_code": "giay-khen",
            "nominee": {"name": f"Trần Văn Nam {i}", "kind": "individual"},
            "achievements": "Hoàn thành xuất sắc nhiệm vụ",
            "documents": [{"title": f"Tờ trình số {i}/TTr", "kind": "proposal"}]}


async def propose_all(base: str, headers: dict[str, str]) -> list[httpx.Response]:
    # A connection each: requests spread over both processes, as the kernel deals them.
    async def one(i: int) -> httpx.Response:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            return await client.post("/nominations", json=nomination(i), headers=headers)

    return await asyncio.gather(*(one(i) for i in range(PROPOSALS)))


def test_two_api_processes_store_every_accepted_command_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_workers=2,
                        jwt_secret="a-test-signing-key-that-is-long-enough-for-hs256")
    token = issue_token(settings.signing_key(), settings.jwt_issuer, sub="clerk",
                        roles=["proposer"], unit="hg.so-yte", minutes=10)
    with api_process(settings) as api:
        answers = asyncio.run(propose_all(api.url, {"Authorization": f"Bearer {token}"}))
        log = api.log_path

    assert len(set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))) == 2
    assert [a.status_code for a in answers] == [201] * PROPOSALS, answers[0].text
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == PROPOSALS
    laurel = bootstrap(settings)
    try:
        stored = laurel.log.read(0, 10 * PROPOSALS)
        assert sorted(e.nomination_id for e in stored) == sorted(ids)
        assert {type(e.event).__name__ for e in stored} == {"Proposed"}
    finally:
        laurel.close()
