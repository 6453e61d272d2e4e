"""Read models ``notifications``: each person's in-app notifications (``/ui/notifications``);
``notification_events``: their events by nomination, which the audit history shows among
the nomination's own (what auditors see: "the unit was told on day X").

Made from the ``Notification`` events alone (``domain.notification``), never from what
the notifier did outside the store, so a rebuild makes the same rows. A notification's
events all belong to it, so any part of a rebuild that holds them makes its row; its
events' rows are keyed by position, like ``history``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.engine import Connection

from domain.notification import Notification
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.pending import Write, prepare_insert
from projections.tables import metadata

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("recipient", String(120), nullable=False),
    Column("nomination_id", String(36), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("subject_vi", Text, nullable=False),
    Column("subject_en", Text, nullable=False),
    Column("text_vi", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    Index("ix_notifications_recipient", "recipient", "read_at", "created_at"),
)

notification_events = Table(
    "notification_events",
    metadata,
    # Shaped like ``history``'s rows (``history_of``), apart from it: the nomination's
    # timeline that applicants and the public read stays the nomination's own events,
    # and no address leaves the audit history.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("nomination_id", String(36), nullable=False, index=True),
    Column("notification_id", String(36), nullable=False),
    Column("type", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("actor_unit", String(120), nullable=False),
    Column("data", JSON, nullable=False),
)

TABLES = (notifications, notification_events)
"""For ``projections.read_models``."""


def _history_data(e: Any) -> dict[str, Any]:
    """What the audit history shows of each: who was told, how, and what became of it
    (the texts are in the notification's own row)."""
    match e:
        case Notification.Prepared():
            return dict(kind=e.kind, recipient=e.recipient, channels=list(e.channels),
                        about_version=e.event_version)
        case Notification.Delivered():
            return dict(channel=e.channel, address=e.address, message_id=e.message_id)
        case Notification.Failed():
            return dict(channel=e.channel, address=e.address, reason=e.reason,
                        attempt=e.attempt, final=e.final)
    return {}


def _marked_read(conn: Connection, notification: str, at: Any) -> Write:
    statement = update(notifications).where(notifications.c.id == notification).values(read_at=at)

    def run() -> None:
        conn.execute(statement)
    return run


def writes(conn: Connection, events: Sequence[LoggedEvent]) -> list[Write]:
    """Rows for the notifications made among ``events``, their reading, and their
    history rows; ready to run in the batch's transaction, in this order."""
    made: dict[str, dict[str, Any]] = {}
    read_later: list[tuple[str, Any]] = []
    told: list[dict[str, Any]] = []
    for logged in events:
        e: Any = logged.event
        if not isinstance(e, Notification.Event):
            continue
        if isinstance(e, Notification.Prepared):
            made[logged.nomination_id] = dict(
                id=logged.nomination_id, recipient=e.recipient, nomination_id=e.nomination_id,
                kind=e.kind, subject_vi=e.subject_vi, subject_en=e.subject_en,
                text_vi=e.text_vi, text_en=e.text_en, created_at=utc(e.timestamp), read_at=None)
        elif isinstance(e, Notification.Read):
            if logged.nomination_id in made:
                made[logged.nomination_id]["read_at"] = utc(e.timestamp)
            else:
                read_later.append((logged.nomination_id, utc(e.timestamp)))
        told.append(dict(
            position=logged.position, nomination_id=e.nomination_id,
            notification_id=logged.nomination_id, type=f"Notification{type(e).__name__}",
            occurred_at=utc(e.timestamp), actor=e.actor, actor_role=e.actor_role,
            actor_unit=e.actor_unit, data=_history_data(e)))
    found: list[Write] = []
    if made:
        found.append(prepare_insert(conn, notifications, list(made.values())))
    found += [_marked_read(conn, notification, at) for notification, at in read_later]
    if told:
        found.append(prepare_insert(conn, notification_events, told))
    return found


def history_of(conn: Connection, nomination_id: str) -> list[dict[str, Any]]:
    """The nomination's notifications' events as rows of its ``history`` (version 0:
    none of the nomination's own), for the audit history to put among them by position."""
    query = (select(notification_events).where(notification_events.c.nomination_id
                                               == nomination_id)
             .order_by(notification_events.c.position))
    return [{**row, "occurred_at": utc(row["occurred_at"]), "version": 0, "level": None,
             "unit_id": None} for row in conn.execute(query).mappings()]
