"""What every read model needs to know of an event, independent of its type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.nomination import Nomination

_ENVELOPE = {"originator_id", "originator_version", "originator_topic", "timestamp",
             "actor", "actor_role", "actor_unit"}


def event_type(event: Nomination.Event) -> str:
    return type(event).__name__


def event_data(event: Nomination.Event) -> dict[str, Any]:
    """The event's own fields, as JSON-ready values."""
    return {k: _plain(v) for k, v in vars(event).items() if k not in _ENVELOPE}


def nomination_id(event: Nomination.Event) -> str:
    return str(event.originator_id)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
