"""A flood of objections, or of tracking-code lookups, is refused after the allowed few:
429 /problems/too-many-requests with Retry-After, per client address and per nomination
(or code), in Vietnamese or English; nothing is recorded for a refused one. Over HTTP on
the real app and stores, with the default limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from uuid import UUID

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from api.app import create_app
from api.throttle import Buckets
from infrastructure.container import Laurel
from infrastructure.settings import Settings
from tests.support.nominations import in_public_notice
from tests.support.pages import NO_PROJECTOR_WAIT, csrf_of
from tests.support.problems import assert_problem

Client = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]
DEFAULTS = Settings.model_fields


@pytest_asyncio.fixture
async def app(laurel: Laurel) -> AsyncIterator[FastAPI]:
    application = create_app(laurel=laurel)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def client_at(app: FastAPI) -> Client:
    """A client of the app whose requests come from ``address``."""

    @asynccontextmanager
    async def at(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as http:
            yield http

    return at


def objections_recorded(laurel: Laurel, nomination_id: UUID) -> int:
    return laurel.nominations.event_types(nomination_id).count("ObjectionLodged")


def tracking_code_of(laurel: Laurel, nomination_id: UUID) -> str:
    return str(vars(next(iter(laurel.nominations.events.get(nomination_id))))["tracking_code"])


async def test_fifty_objections_in_a_burst_get_429_after_the_allowed_few(
    laurel: Laurel, client_at: Client,
) -> None:
    nomination_id = in_public_notice(laurel)
    allowed = DEFAULTS["objections_per_client"].default
    body = {"text": "Phản đối", "tracking_code": tracking_code_of(laurel, nomination_id)}
    async with client_at("203.0.113.7") as http:
        answers = await asyncio.gather(*(
            http.post(f"/nominations/{nomination_id}/objections", json=body,
                      headers={"Accept-Language": "vi"} if i % 2 else {})
            for i in range(50)))
    assert sorted(a.status_code for a in answers) == [201] * allowed + [429] * (50 - allowed)
    refused = [a for a in answers if a.status_code == 429]
    for answer in refused:
        problem = assert_problem(answer, 429, "too-many-requests")
        seconds = int(answer.headers["Retry-After"])
        assert 1 <= seconds <= DEFAULTS["objection_client_seconds"].default
        assert problem["retry_after"] == seconds
    said = {a.headers["content-language"]: a.json()["title"] for a in refused}
    assert said["vi"] == "Có quá nhiều yêu cầu trong thời gian ngắn"
    assert said["en"] == "Too many requests from you, or about this, in a short time"
    assert objections_recorded(laurel, nomination_id) == allowed  # nothing for a 429
    # Another client is not held back by this one's flood...
    async with client_at("198.51.100.20") as other:
        assert (await other.post(f"/nominations/{nomination_id}/objections",
                                 json=body)).status_code == 201


async def test_one_nomination_takes_only_so_many_objections_from_many_addresses(
    laurel: Laurel, client_at: Client,
) -> None:
    nomination_id, elsewhere = in_public_notice(laurel), in_public_notice(laurel, name="Lê B")
    allowed = DEFAULTS["objections_per_nomination"].default
    codes = {n: tracking_code_of(laurel, n) for n in (nomination_id, elsewhere)}
    statuses = []
    for i in range(allowed + 3):
        async with client_at(f"192.0.2.{i + 1}") as http:
            statuses.append((await http.post(
                f"/nominations/{nomination_id}/objections",
                json={"text": "…", "tracking_code": codes[nomination_id]})).status_code)
    assert statuses == [201] * allowed + [429] * 3
    async with client_at("192.0.2.200") as http:  # another nomination takes its own
        assert (await http.post(f"/nominations/{elsewhere}/objections", json={
            "text": "…", "tracking_code": codes[elsewhere]})).status_code == 201


async def test_tracking_lookups_by_api_and_page_are_counted_per_client_and_per_code(
    laurel: Laurel, client_at: Client,
) -> None:
    nomination_id = in_public_notice(laurel)
    code = tracking_code_of(laurel, nomination_id)
    allowed = DEFAULTS["lookups_per_client"].default
    async with client_at("203.0.113.50") as http:
        statuses = [(await http.get(f"/track/{code.lower()}")).status_code
                    for _ in range(allowed - 5)]
        statuses += [(await http.get("/ui/track", params={"code": code})).status_code
                     for _ in range(5)]
        assert statuses == [200] * allowed
        refused = await http.get(f"/track/{code}")
        assert_problem(refused, 429, "too-many-requests")
        assert int(refused.headers["Retry-After"]) >= 1
        page = await http.get("/ui/track", params={"code": "ZZZZ-ZZZZ-ZZ"})
        assert page.status_code == 429 and "Retry-After" in page.headers
        assert "Có quá nhiều lượt tra cứu từ địa chỉ của bạn" in page.text
        # Guessing codes is as limited: an unknown code counts like a known one.
    async with client_at("203.0.113.51") as http:
        assert (await http.get("/track/ABCD-EFGH-JK")).status_code == 404


async def test_the_tracking_page_s_objection_form_is_throttled_like_the_api(
    laurel: Laurel, client_at: Client, app: FastAPI,
) -> None:
    app.state.freshness_wait = NO_PROJECTOR_WAIT  # no projector runs here
    nomination_id = in_public_notice(laurel)
    code = tracking_code_of(laurel, nomination_id)
    allowed = DEFAULTS["objections_per_client"].default
    async with client_at("203.0.113.90") as http:
        page = await http.get("/ui/track", params={"code": code})
        answers = [await http.post("/ui/track/objection", data={
            "csrf": csrf_of(page), "code": code, "key": f"k-{i}", "text": "Phản đối",
            "contact": ""}) for i in range(allowed + 1)]
    assert [a.status_code for a in answers] == [303] * allowed + [429]
    assert "Retry-After" in answers[-1].headers
    assert objections_recorded(laurel, nomination_id) == allowed


def test_a_bucket_refills_one_token_per_period_up_to_its_burst() -> None:
    now = [0.0]
    buckets = Buckets(3, 10, clock=lambda: now[0])
    for _ in range(3):
        assert buckets.wait("a") == 0
        buckets.take("a")
    assert buckets.wait("a") == 10
    now[0] = 4
    assert buckets.wait("a") == pytest.approx(6)
    now[0] = 10
    assert buckets.wait("a") == 0
    now[0] = 1000
    buckets.take("a")
    assert buckets.wait("a") == 0 and buckets.wait("b") == 0  # back to its burst, no more
