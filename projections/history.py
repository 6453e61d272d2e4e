"""Read model ``history``: every event of every nomination, in order (history and audit
pages)."""

from __future__ import annotations

from domain.nomination import Nomination
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.events import event_data, event_type
from projections.pending import PendingRows


def _where(event: Nomination.Event) -> tuple[str | None, str | None]:
    """The level and unit the event happened at, when it names them."""
    match event:
        case Nomination.Proposed():
            return event.route["reviews"][0]["level"], event.unit_id
        case Nomination.Forwarded():
            return event.to_level, event.to_unit_id or None
        case _:
            return getattr(event, "level", None), getattr(event, "unit_id", None)


def apply(rows: PendingRows, logged: LoggedEvent) -> None:
    e = logged.event
    level, unit_id = _where(e)
    rows.history.append(dict(
        position=logged.position, nomination_id=logged.nomination_id,
        version=e.originator_version, type=event_type(e), occurred_at=utc(e.timestamp),
        actor=e.actor, actor_role=e.actor_role, actor_unit=e.actor_unit,
        level=level, unit_id=unit_id, data=event_data(e),
    ))
