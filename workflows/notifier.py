"""The notifier: tells people of what happened to a nomination, by e-mail and in the pages.

It follows the event log like the relay (``workflows.relay``): from the position it last
stored (its own row, ``notifier``), a batch at a time, storing the position after the
batch's notifications were handled. Nothing is sent from workflow code. One notifier
follows at a time: ``laurel notifier`` runs ``run`` only while it holds the notifier's
lease (``infrastructure.leadership``); others stand by.

Never twice, as far as SMTP allows: each notification's id is derived from the
nomination, the event's version and the recipient (``domain.notification``), and what
became of it is recorded in the event store, as ``Notification`` events. Reading an
event again after a crash, the notifier loads the notification it already made and sends
only what is not recorded as delivered (or given up). The order is: record ``Prepared``
(this is also the in-app delivery), hand the e-mail to the SMTP server, record
``Delivered`` at once. One window remains: a crash after the server accepted the message
and before ``Delivered`` was stored sends that one message again on restart — at most one
message per crash, with the same Message-ID (derived from the notification's id), so a
mail server or reader can tell it for a repeat. No protocol closes it: SMTP has no way to
ask a server whether it already took a message.

A message the server refuses is retried with a growing pause (``Failed``, not final, is
recorded for each try); after the last try the failure is final, recorded, and the
notifier goes on — the auditors see that the person was not told by e-mail.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from sqlalchemy import Engine

from domain.nomination import Nomination
from domain.notification import EMAIL, Notification, message_id, notification_id
from domain.policy import PolicyBook
from infrastructure.directory import Directory, Person
from infrastructure.eventlog import EventLog, LoggedEvent, topics
from infrastructure.mail import Mailer, MailNotSent, Message
from infrastructure.metrics import Progress
from infrastructure.positions import NOTIFIER, keep_position, start_position
from workflows.notices import NOTIFIED, About, about, notice, recipients

log = logging.getLogger(__name__)

CONSUMER = NOTIFIER
TOPICS = topics(*NOTIFIED)
ATTEMPTS = 5
"""Tries of one e-mail before its failure is final."""
FIRST_PAUSE_S = 0.5
"""The pause after the first failed try; doubled after each (0.5, 1, 2, 4 s)."""


class Notifier:
    def __init__(self, app: Application[Any], log: EventLog, engine: Engine,
                 policies: PolicyBook, directory: Directory, mailer: Mailer, base_url: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 attempts: int = ATTEMPTS, first_pause: float = FIRST_PAUSE_S,
                 progress: Progress | None = None) -> None:
        self.app = app
        self.log = log
        self.engine = engine
        self.policies = policies
        self.directory = directory
        self.mailer = mailer
        self.base_url = base_url
        self.clock = clock
        self.attempts = attempts
        self.first_pause = first_pause
        self.progress = progress
        """Told of each read of the log: the process's lag and liveness."""
        self._about: dict[str, About] = {}

    def position(self) -> int:
        return start_position(self.engine, CONSUMER)

    def store(self, position: int) -> None:
        keep_position(self.engine, CONSUMER, position)

    async def run(self, stop: asyncio.Event) -> None:
        after = await asyncio.to_thread(self.position)
        log.info("notifier following the event log from position %d", after)
        polled = self.progress.polled if self.progress else None
        async for batch in self.log.follow(after, stop, batch_size=100, topics=TOPICS,
                                           polled=polled):
            for logged in batch.events:
                await self.notify(logged)
            await asyncio.to_thread(self.store, batch.through)

    async def catch_up(self) -> int:
        """Everything in the log now, in batches as ``run`` takes them (tests, a one-off
        ``laurel notifier --once``); how many events were read."""
        after, read = await asyncio.to_thread(self.position), 0
        while True:
            events = await asyncio.to_thread(self.log.read, after, 100, TOPICS)
            if not events:
                return read
            for logged in events:
                await self.notify(logged)
            after = events[-1].position
            read += len(events)
            await asyncio.to_thread(self.store, after)

    async def notify(self, logged: LoggedEvent) -> None:
        """Everyone the event concerns, each once."""
        event = logged.event
        nomination = await asyncio.to_thread(self._nomination, logged.nomination_id)
        if nomination is None:
            return
        policy = self.policies.active(event.timestamp.date())
        people = recipients(event, nomination, self.directory, policy)
        if not people:
            return
        said = notice(event, nomination, policy, self.base_url)
        for person in people:
            made = await asyncio.to_thread(self._prepared, logged, nomination, person, said)
            if made.pending(EMAIL):
                await self._mail(made, person, said)

    def _nomination(self, nomination_id: str) -> About | None:
        if nomination_id not in self._about:
            first = next(iter(self.app.repository.event_store.get(UUID(nomination_id), lte=1)),
                         None)
            if not isinstance(first, Nomination.Proposed):
                return None
            if len(self._about) > 10_000:
                self._about.clear()
            self._about[nomination_id] = about(first)
        return self._about[nomination_id]

    def _prepared(self, logged: LoggedEvent, nomination: About, person: Person,
                  said: Any) -> Notification:
        """The notification as recorded, made (and delivered in-app) if it is not yet."""
        version = logged.event.originator_version
        assert version is not None
        known = notification_id(nomination.nomination_id, version, person.username)
        try:
            found: Any = self.app.repository.get(known)
            assert isinstance(found, Notification)
            return found
        except AggregateNotFoundError:
            pass
        made = Notification.prepare(
            nomination_id=nomination.nomination_id, event_version=version, kind=said.kind,
            recipient=person.username, recipient_unit=person.unit_id,
            language=person.language, email=person.email_address,
            subject_vi=said.subject_vi, subject_en=said.subject_en, text_vi=said.text_vi,
            text_en=said.text_en, at=self.clock())
        try:
            self.app.save(made)
        except IntegrityError:  # another notifier made it meanwhile: theirs stands
            found = self.app.repository.get(known)
            assert isinstance(found, Notification)
            return found
        return made

    async def _mail(self, made: Notification, person: Person, said: Any) -> None:
        english = person.language == "en"
        message = Message(to=made.email, subject=said.subject_en if english else said.subject_vi,
                          text=said.text_en if english else said.text_vi,
                          message_id=message_id(made.id))
        for attempt in range(made.attempts.get(EMAIL, 0), self.attempts):
            try:
                await asyncio.to_thread(self.mailer.send, message)
            except MailNotSent as error:
                final = attempt + 1 >= self.attempts
                made.failed(EMAIL, made.email, str(error), final, self.clock())
                await asyncio.to_thread(self.app.save, made)
                log.warning("notification %s not sent (try %d): %s", made.id, attempt + 1, error)
                if not final:
                    await asyncio.sleep(self.first_pause * 2 ** attempt)
                continue
            made.delivered_by(EMAIL, made.email, self.clock())
            await asyncio.to_thread(self.app.save, made)
            return
