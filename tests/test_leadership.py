"""One active relay, projector and notifier: the lease (``infrastructure.leadership``),
positions that never move backwards, and the lag and liveness each process reports
(``infrastructure.metrics``) — in-process, on both backends.

Real processes on one PostgreSQL database, killed and stopped, are in
``tests/test_leadership_processes.py``."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from infrastructure.container import Laurel
from infrastructure.leadership import Leadership, lock_key
from infrastructure.metrics import (
    WORKER,
    Progress,
    check_heartbeats,
    heartbeat,
    probe_settings,
    render,
    serve,
    write_heartbeat,
)
from infrastructure.positions import (
    NOTIFIER,
    RELAY,
    keep_position,
    read_position,
    reset_position,
    store_position,
)
from infrastructure.settings import Settings
from tests.support.nominations import take_through


def _position(laurel: Laurel, consumer: str) -> int:
    with laurel.engine.connect() as conn:
        return read_position(conn, consumer)


def test_a_stored_position_only_moves_forward(laurel: Laurel) -> None:
    assert keep_position(laurel.engine, RELAY, 10)
    assert not keep_position(laurel.engine, RELAY, 7)  # a late batch of a lost leader
    assert not keep_position(laurel.engine, RELAY, 10)
    assert _position(laurel, RELAY) == 10
    assert keep_position(laurel.engine, RELAY, 11)
    with laurel.engine.begin() as conn:
        assert not store_position(conn, RELAY, 3)
        reset_position(conn, RELAY, 3)  # on purpose: a rebuild, a benchmark
    assert _position(laurel, RELAY) == 3
    assert _position(laurel, NOTIFIER) == 0  # the others' rows untouched


def test_one_of_two_holds_the_lease_until_it_gives_it_up(laurel: Laurel) -> None:
    first, second = (Leadership(laurel.engine, RELAY) for _ in range(2))
    other_kind = Leadership(laurel.engine, NOTIFIER)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert other_kind.try_acquire()  # one lease per kind
        assert first.try_acquire()  # asked again by its holder: still its
        assert first.holds()
        first.release()
        assert second.try_acquire()
        assert not first.try_acquire()
    finally:
        for each in (first, second, other_kind):
            each.release()


def test_lock_keys_are_stable_and_distinct() -> None:
    assert lock_key("relay") == lock_key("relay")
    assert len({lock_key(n) for n in ("relay", "projector", "notifier")}) == 3
    assert -(2**63) <= lock_key("relay") < 2**63


@pytest.mark.postgres
@pytest.mark.asyncio
@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_leader_whose_connection_is_cut_stops_and_the_standby_takes_over(
        laurel: Laurel) -> None:
    """The lease is the session's: when the server ends the leader's session, the
    leader's check fails, its follower is told to stop, and the standby gets the lease."""
    first = Leadership(laurel.engine, RELAY, retry=0.1, check=0.1)
    second = Leadership(laurel.engine, RELAY, retry=0.1, check=0.1)
    stop = asyncio.Event()
    ran: list[str] = []
    progress = [Progress(RELAY), Progress(RELAY)]

    def follower(name: str) -> object:
        async def follow(lost: asyncio.Event) -> None:
            ran.append(f"{name} leads")
            await lost.wait()
            ran.append(f"{name} stops")
        return follow

    leading = asyncio.create_task(first.lead(stop, follower("first"), progress[0]))  # type: ignore[arg-type]
    await _until(lambda: ran == ["first leads"])
    standing = asyncio.create_task(second.lead(stop, follower("second"), progress[1]))  # type: ignore[arg-type]
    await asyncio.sleep(0.5)
    assert ran == ["first leads"] and [p.leader for p in progress] == [True, False]

    url = laurel.settings.database_url
    assert url is not None
    with psycopg.connect(url, autocommit=True) as admin:  # the server ends its session
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = "
            "current_database())").fetchall()
    assert ended == [(True,)]  # this test's database: one lease held, the first's
    # The standby may get the lease a moment before the first notices: each tolerates
    # a batch acted on twice, and positions only move forward.
    await _until(lambda: "second leads" in ran and "first stops" in ran)
    assert ran.index("first leads") < ran.index("first stops")
    assert progress[1].leader and progress[1].leaderships == 1
    await _until(lambda: not progress[0].leader)
    stop.set()
    await asyncio.wait_for(asyncio.gather(leading, standing), 10)
    assert ran[-1] == "second stops"


@pytest.mark.asyncio
async def test_the_leader_follows_and_its_lag_and_progress_are_reported(
        laurel: Laurel, tmp_path: Path) -> None:
    """The projector as ``laurel projector`` runs it: it leads, catches up, and its
    metrics and heartbeat say so; a second one stands by and is alive too."""
    from laurel.processes import keep_running
    from projections.projector import Projector

    for _ in range(3):
        take_through(laurel, "hg.so-yte", ["return"])
    head = laurel.log.last_position()
    stop = asyncio.Event()
    leader, standby = Progress("projector"), Progress("projector")
    leader.pid, standby.pid = 1, 2  # two "processes" in this one
    projector = Projector(laurel.engine, laurel.log, progress=leader)
    leases = [Leadership(laurel.engine, "projector", retry=0.1) for _ in range(2)]
    tasks = [asyncio.create_task(leases[0].lead(
        stop, lambda lost: keep_running("projector", projector.run, lost), leader))]
    await _until(lambda: leader.position == head)
    tasks.append(asyncio.create_task(leases[1].lead(stop, _never, standby)))
    await asyncio.sleep(0.3)
    assert leader.leader and not standby.leader
    assert leader.lag == 0 and leader.verdict(5) is None and standby.verdict(5) is None

    text_ = render(leader, 30)
    assert 'laurel_leader{consumer="projector"} 1' in text_
    assert f'laurel_consumer_position{{consumer="projector"}} {head}' in text_
    assert 'laurel_consumer_lag{consumer="projector"} 0' in text_
    assert 'laurel_alive{consumer="projector"} 1' in text_
    assert "laurel_consumer_lag" not in render(standby, 30)  # a standby follows nothing
    assert 'laurel_leader{consumer="projector"} 0' in render(standby, 30)

    server = await serve("127.0.0.1", 0, leader, 30)
    port = server.sockets[0].getsockname()[1]
    try:
        status, body = await _get(port, "/metrics")
        assert status == 200 and f"laurel_log_head{{consumer=\"projector\"}} {head}" in body
        assert (await _get(port, "/livez"))[0] == 200
        assert (await _get(port, "/nothing"))[0] == 404
    finally:
        server.close()
        await server.wait_closed()
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def _never(lost: asyncio.Event) -> None:
    await lost.wait()


def test_a_leader_that_stopped_advancing_behind_the_head_is_not_alive() -> None:
    progress = Progress(RELAY)
    progress.became_leader()
    progress.polled(after=10, head=50)  # a batch in hand
    assert progress.lag == 40
    assert progress.verdict(30) is None
    later = time.time() + 31
    said = progress.verdict(30, now=later)
    assert said is not None and "no progress for 31 s" in said and "log head 50" in said
    progress.polled(after=50, head=50)  # it caught up
    assert progress.verdict(30, now=time.time() + 1) is None
    progress.polled(after=50, head=50)  # and found nothing new: alive while idle
    assert progress.lag == 0
    standby = Progress(RELAY)
    standby.progressed_at = 0  # long ago: a standby is alive while it waits
    assert standby.verdict(30) is None


@pytest.mark.asyncio
async def test_laurel_alive_reads_the_heartbeat(tmp_path: Path) -> None:
    progress = Progress(NOTIFIER)
    async with heartbeat(tmp_path, progress) as path:
        await asyncio.sleep(0.05)
        (seen,) = check_heartbeats(tmp_path, NOTIFIER, 30)
        assert seen.alive and "stands by" in seen.said
        progress.became_leader()
        progress.polled(after=3, head=9)
        write_heartbeat(path, progress)
        (seen,) = check_heartbeats(tmp_path, NOTIFIER, 30)
        assert seen.alive and "leads" in seen.said
        (seen,) = check_heartbeats(tmp_path, NOTIFIER, 30, now=time.time() + 60)
        assert not seen.alive and "no heartbeat for" in seen.said  # stopped or blocked
        state = json.loads(path.read_text())
        state["written_at"] = time.time() + 60  # written, but the leader is stuck
        path.write_text(json.dumps(state))
        (seen,) = check_heartbeats(tmp_path, NOTIFIER, 30, now=time.time() + 60)
        assert not seen.alive and "made no progress" in seen.said
        assert check_heartbeats(tmp_path, RELAY, 30) == []
        assert check_heartbeats(tmp_path, NOTIFIER, 30, pid=progress.pid + 1) == []
    assert check_heartbeats(tmp_path, NOTIFIER, 30) == []  # removed when it ends
    gone = Progress(NOTIFIER)
    gone.pid = 2**22 + 7  # no such process: its file is left over, and removed
    (tmp_path / "heartbeats").mkdir(exist_ok=True)
    write_heartbeat(tmp_path / "heartbeats" / f"notifier.{gone.host}.{gone.pid}.json", gone)
    assert check_heartbeats(tmp_path, NOTIFIER, 30) == []
    assert list((tmp_path / "heartbeats").glob("*.json")) == []


def test_the_probe_reads_the_two_settings_it_needs_as_settings_does(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("LAUREL_DATA_DIR", "LAUREL_STALLED_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    assert probe_settings() == (Settings().data_dir, Settings().stalled_seconds)
    monkeypatch.setenv("LAUREL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LAUREL_STALLED_SECONDS", "4.5")
    assert probe_settings() == (Settings().data_dir, Settings().stalled_seconds) == (
        tmp_path, 4.5)
    assert probe_settings("elsewhere")[0] == Path("elsewhere")


def test_the_lease_of_sqlite_is_a_lock_file_beside_the_read_models(laurel: Laurel) -> None:
    if laurel.settings.uses_postgres:
        pytest.skip("SQLite only")
    lease = Leadership(laurel.engine, RELAY)
    try:
        assert lease.try_acquire()
        lock = laurel.settings.data_dir.resolve() / "leader-relay.lock"
        assert lock.read_text().strip().isdigit()
        assert lock.stat().st_mode & 0o077 == 0
    finally:
        lease.release()
    with laurel.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


async def _until(condition: object, within: float = 15) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _get(port: int, path: str) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.decode().partition("\r\n\r\n")
    return int(head.split(" ")[1]), body


@pytest.mark.asyncio
async def test_a_worker_is_alive_while_its_loop_beats_and_not_once_it_stops(
        tmp_path: Path) -> None:
    async with heartbeat(tmp_path, Progress(WORKER)):
        await asyncio.sleep(0.05)
        (seen,) = check_heartbeats(tmp_path, WORKER, 30)
        assert seen.alive and "runs" in seen.said
        (seen,) = check_heartbeats(tmp_path, WORKER, 30, now=time.time() + 60)
        assert not seen.alive and "no heartbeat for" in seen.said  # stopped or blocked
    assert check_heartbeats(tmp_path, WORKER, 30) == []
