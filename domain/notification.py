"""A notification to one person about one event of a nomination, and what became of it.

Sending happens outside the workflow, from the event log (``workflows.notifier``); this
aggregate is the notifier's memory and the auditors' proof. Its id is derived from the
nomination, the event's version in it and the recipient (``notification_id``), so the
notifier that reads the same event again after a crash finds the notification it made
and does not make or send another. Each event says who (the notifier, or the reader
marking it read) and when, like every other event in the store.

- ``Prepared``: the texts (Vietnamese and English), the recipient and the channels chosen
  from their preferences when the event was read; in-app delivery is this event itself
  (the read model lists it), recorded as ``Delivered`` on channel ``in-app`` with it.
- ``Delivered``: handed to a channel (the SMTP server accepted it, or the ``.eml`` file
  was written), with the address and the moment.
- ``Failed``: not handed over; ``final`` when the notifier gave up on it.
- ``Read``: the recipient marked it read in the pages.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

NOTIFIER = "laurel:notifier"
"""The actor id of the notifier's own steps."""
EMAIL = "email"
IN_APP = "in-app"
_NAMESPACE = UUID("a6c1f0d2-7b3e-4c59-9e0a-2f4d8b61c7e3")


def notification_id(nomination_id: str, event_version: int, recipient: str) -> UUID:
    """Deterministic: the same event and recipient always give the same notification."""
    return uuid5(_NAMESPACE, f"{nomination_id}\n{event_version}\n{recipient}")


def message_id(notification: UUID) -> str:
    """The e-mail's Message-ID: a repeat sent in the crash window is known as one."""
    return f"<{notification}@notifications.laurel>"


class Notification(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str
        nomination_id: str

    class Prepared(Event, Aggregate.Created):
        event_version: int
        kind: str
        recipient: str
        recipient_unit: str
        language: str
        channels: list[str]
        email: str
        subject_vi: str
        subject_en: str
        text_vi: str
        text_en: str

        def apply(self, aggregate: Notification) -> None:
            aggregate.nomination_id = self.nomination_id
            aggregate.recipient = self.recipient
            aggregate.recipient_unit = self.recipient_unit
            aggregate.channels = list(self.channels)
            aggregate.email = self.email

    class Delivered(Event):
        channel: str
        address: str
        message_id: str

        def apply(self, aggregate: Notification) -> None:
            aggregate.delivered[self.channel] = self.timestamp

    class Failed(Event):
        channel: str
        address: str
        reason: str
        attempt: int
        final: bool

        def apply(self, aggregate: Notification) -> None:
            aggregate.attempts[self.channel] = self.attempt
            if self.final:
                aggregate.given_up.add(self.channel)

    class Read(Event):
        def apply(self, aggregate: Notification) -> None:
            aggregate.read_at = self.timestamp

    def __init__(self) -> None:
        self.nomination_id = ""
        self.recipient = ""
        self.recipient_unit = ""
        self.channels: list[str] = []
        self.email = ""
        self.delivered: dict[str, datetime] = {}
        self.attempts: dict[str, int] = {}
        self.given_up: set[str] = set()
        self.read_at: datetime | None = None

    @classmethod
    def prepare(cls, *, nomination_id: str, event_version: int, kind: str, recipient: str,
                recipient_unit: str, language: str, email: str, subject_vi: str,
                subject_en: str, text_vi: str, text_en: str, at: datetime) -> Notification:
        """In-app always; e-mail when the recipient has an address and wants it."""
        channels = [IN_APP, *([EMAIL] if email else [])]
        made = cls._create(
            cls.Prepared, id=notification_id(nomination_id, event_version, recipient),
            timestamp=at, actor=NOTIFIER, actor_role="system", actor_unit=recipient_unit,
            nomination_id=nomination_id, event_version=event_version, kind=kind,
            recipient=recipient, recipient_unit=recipient_unit, language=language,
            channels=channels, email=email, subject_vi=subject_vi, subject_en=subject_en,
            text_vi=text_vi, text_en=text_en,
        )
        made.delivered_by(IN_APP, recipient, at)
        return made

    def pending(self, channel: str) -> bool:
        """Still to be sent on this channel (neither delivered nor given up)."""
        return (channel in self.channels and channel not in self.delivered
                and channel not in self.given_up)

    def delivered_by(self, channel: str, address: str, at: datetime) -> None:
        if channel in self.delivered:
            return
        self.trigger_event(self.Delivered, timestamp=at, actor=NOTIFIER, actor_role="system",
                           actor_unit=self.recipient_unit, nomination_id=self.nomination_id,
                           channel=channel,
                           address=address,
                           message_id=message_id(self.id) if channel == EMAIL else "")

    def failed(self, channel: str, address: str, reason: str, final: bool,
               at: datetime) -> None:
        self.trigger_event(self.Failed, timestamp=at, actor=NOTIFIER, actor_role="system",
                           actor_unit=self.recipient_unit, nomination_id=self.nomination_id,
                           channel=channel,
                           address=address, reason=reason[:500],
                           attempt=self.attempts.get(channel, 0) + 1, final=final)

    def mark_read(self, by: str, unit_id: str, at: datetime) -> bool:
        """Only its recipient reads it; a second mark changes nothing."""
        if by != self.recipient or self.read_at is not None:
            return False
        self.trigger_event(self.Read, timestamp=at, actor=by, actor_role="recipient",
                           actor_unit=unit_id, nomination_id=self.nomination_id)
        return True
