"""The notifier killed (SIGKILL) and started again while it works through a long log: the
SMTP server receives every notification, each under its own Message-ID, and nothing is
sent again that was recorded as delivered.

The one repeat SMTP allows — a kill after the server took a message and before its
delivery was stored — would arrive under the same Message-ID: the test counts messages
by Message-ID, and allows at most one repeat per kill, none of them a new message."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from domain.notification import EMAIL, message_id
from infrastructure.positions import NOTIFIER, positions
from laurel.system import Laurel
from projections.notifications import notifications
from tests.support.mail import smtp_server
from tests.support.nominations import project, take_through
from tests.support.notifier import add_people

NOMINATIONS = 60
KILLS = 4


def _start(laurel: Laurel, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **laurel.settings.as_environment(),
           "LAUREL_SMTP_HOST": "127.0.0.1", "LAUREL_SMTP_PORT": str(port),
           "LAUREL_SMTP_STARTTLS": "false"}
    return subprocess.Popen([sys.executable, "-m", "laurel", "notifier"], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=(laurel.settings.data_dir / "notifier.log").open("ab"))


def _caught_up(laurel: Laurel) -> bool:
    with laurel.engine.connect() as conn:
        done = conn.scalar(select(positions.c.position).where(positions.c.consumer == NOTIFIER))
    return int(done or 0) >= _last_notified(laurel)


def _last_notified(laurel: Laurel) -> int:
    from workflows.notifier import TOPICS

    events = laurel.log.read(0, 100_000, TOPICS)
    return events[-1].position if events else 0


def _wait(condition: Any, within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_killed_and_restarted_mid_stream_each_message_arrives_once(laurel: Laurel) -> None:
    add_people(laurel)
    for _ in range(NOMINATIONS):
        take_through(laurel, "hg.so-yte", ["return"])
    randomly = random.Random(23)  # noqa: S311 - where to kill, not a secret
    kills = 0
    with smtp_server() as inbox:
        process = _start(laurel, inbox.port)
        try:
            while kills < KILLS:
                seen = len(inbox.messages)
                _wait(lambda seen=seen: len(inbox.messages) > seen + 3 or _caught_up(laurel),
                      within=60)
                if _caught_up(laurel):
                    break
                time.sleep(randomly.uniform(0, 0.2))  # somewhere in the stream
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                process = _start(laurel, inbox.port)
            _wait(lambda: _caught_up(laurel), within=120)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(15)
        received = Counter(str(m["Message-ID"]) for m in inbox.messages)
    project(laurel)
    with laurel.engine.connect() as conn:
        made = list(conn.scalars(select(notifications.c.id)))
    recorded = set()
    for found in made:
        notification = laurel.nominations.repository.get(UUID(found))
        if EMAIL in notification.delivered:
            recorded.add(message_id(notification.id))
    # Each of the 3 people with an address: per nomination, the reviewer's task and
    # reminder, the proposer's return.
    assert kills >= 2, "the notifier finished before it could be killed twice"
    assert len(recorded) == 3 * NOMINATIONS
    assert set(received) == recorded  # every one arrived, none that was not made
    repeats = sum(count - 1 for count in received.values())
    assert repeats <= kills, received.most_common(3)
    print(f"{len(inbox.messages)} messages, {len(received)} Message-IDs, "
          f"{repeats} repeats after {kills} kills")


@pytest.fixture
def backend() -> str:
    return "sqlite"
