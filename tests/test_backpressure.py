"""Under more load than it serves, the API says so at once (503 with Retry-After) rather
than leaving requests to time out, stores nothing half-way, and serves normally again
once the load drops."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from api.auth import issue_token
from infrastructure.container import bootstrap
from infrastructure.settings import Settings
from laurel.api_process import api_process

pytestmark = pytest.mark.slow
BURST = 64


def nomination(i: int) -> dict[str, object]:
    return {"award_code": "giay-khen", "nominee": {"name": f"Lê Thị Mai {i}", "kind":
            "individual"}, "documents": [{"title": f"Tờ trình {i}", "kind": "proposal"}]}


async def burst(url: str, headers: dict[str, str]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        return await asyncio.gather(*(client.post("/nominations", json=nomination(i),
                                                  headers=headers) for i in range(BURST)))


def test_past_its_limit_the_api_answers_503_at_once_and_recovers(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_max_in_flight=4,
                        jwt_secret="a-test-signing-key-that-is-long-enough-for-hs256")
    token = issue_token(settings.signing_key(), settings.jwt_issuer, sub="clerk",
                        roles=["proposer"], unit="hg.so-yte", minutes=10)
    headers = {"Authorization": f"Bearer {token}"}
    with api_process(settings) as api:
        answers = asyncio.run(burst(api.url, headers))
        after = [httpx.post(f"{api.url}/nominations", json=nomination(BURST + i),
                            headers=headers, timeout=10) for i in range(5)]

    statuses = Counter(a.status_code for a in answers)
    assert set(statuses) == {201, 503}, statuses
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["retry-after"] == "1"
    assert busy.headers["content-type"] == "application/problem+json"
    assert busy.json()["type"] == "/problems/overloaded"
    assert [a.status_code for a in after] == [201] * 5

    laurel = bootstrap(settings)
    try:  # every answered proposal is stored once, and none that was turned away
        stored = {e.nomination_id for e in laurel.log.read(0, 10 * BURST)}
    finally:
        laurel.close()
    assert stored == {a.json()["id"] for a in answers + after if a.status_code == 201}
