"""Following the event store's notification log, on SQLite and PostgreSQL alike.

``eventsourcing.sqlite`` has no subscriptions, so followers poll: immediately while
there is a backlog, then backing off to ``max_wait`` when idle. Each reader keeps its
own position; nothing here stores one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, cast

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from domain.nomination import Nomination


class LoggedEvent(NamedTuple):
    """A tuple: a rebuild makes one per event, and a frozen dataclass took three times
    as long to make."""

    position: int
    event: Nomination.Event
    nomination_id: str
    """The event's nomination as the read models key it (formatted once, here)."""


@dataclass(frozen=True)
class Batch:
    events: list[LoggedEvent]
    through: int
    """Every position up to here has been read (events of other topics were skipped)."""
    head: int = 0
    """The log's last position when the batch was read (the follower's lag is measured
    from it)."""


class PartedRecorder(Protocol):
    """A recorder that reads the log in parts (``infrastructure.chained_recorders``)."""

    def select_notifications_of_part(self, start: int, stop: int, limit: int, part: int,
                                     parts: int) -> Sequence[Notification]: ...


def topics(*event_classes: type[Any]) -> list[str]:
    return [get_topic(cls) for cls in event_classes]


class EventLog:
    def __init__(self, app: Application[Any]) -> None:
        self.app = app  # keep the application alive: it owns the connection pool

    def read(
        self, after: int, limit: int, topics: Sequence[str] = (), through: int | None = None
    ) -> list[LoggedEvent]:
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=limit, stop=through, topics=topics
        )
        return self._decoded(notifications)

    def read_part(self, after: int, limit: int, through: int, part: int,
                  parts: int) -> tuple[list[LoggedEvent], int]:
        """The events after ``after`` up to ``through`` (at most ``limit``) of the
        nominations in ``part`` of ``parts``, decoded; and the last position read. The
        store leaves out the other parts' events: no process reads the whole log."""
        recorder = cast(PartedRecorder, self.app.recorder)
        notifications = recorder.select_notifications_of_part(after + 1, through, limit, part,
                                                              parts)
        last = notifications[-1].id if len(notifications) == limit else through
        return self._decoded(notifications), last

    def _decoded(self, notifications: Sequence[Notification]) -> list[LoggedEvent]:
        decode = self.app.mapper.to_domain_event
        # Each nomination's id formatted once per read, not once per event.
        keys = {o: str(o) for o in {n.originator_id for n in notifications}}
        return [LoggedEvent(n.id, cast(Nomination.Event, decode(n)), keys[n.originator_id])
                for n in notifications]

    def last_position(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def next_batch(self, after: int, limit: int, topics: Sequence[str] = ()) -> Batch:
        head = self.last_position()
        if head <= after:
            return Batch([], after, head)
        events = self.read(after, limit, topics, through=head)
        through = events[-1].position if len(events) == limit else head
        return Batch(events, through, head)

    async def follow(
        self,
        after: int,
        stop: asyncio.Event,
        *,
        batch_size: int = 500,
        topics: Sequence[str] = (),
        max_wait: float = 0.2,
        settle: float = 0.0,
        polled: Callable[[int, int], None] | None = None,
    ) -> AsyncIterator[Batch]:
        """Yield each advance of the log until ``stop`` is set.

        ``settle``: after a batch that did not fill up, wait this long before reading
        on, so that a steady trickle of events is taken a few dozen at a time rather
        than one by one (each batch has a fixed cost: a transaction, a position stored).
        ``polled(after, head)``: told of every read — where the reader was and the log's
        head then — for its lag and liveness (``infrastructure.metrics``).
        """
        wait = 0.005
        while not stop.is_set():
            batch = await asyncio.to_thread(self.next_batch, after, batch_size, topics)
            if polled is not None:
                polled(after, batch.head)
            if batch.through > after:
                yield batch
                after, wait = batch.through, 0.005
                if settle and len(batch.events) < batch_size:
                    await self._pause(stop, settle)
                continue
            await self._pause(stop, wait)
            wait = min(wait * 2, max_wait)

    @staticmethod
    async def _pause(stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
