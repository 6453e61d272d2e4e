"""What every read model needs to know of an event, independent of its type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from domain.nomination import Nomination

_ENVELOPE = {"originator_id", "originator_version", "originator_topic", "timestamp",
             "actor", "actor_role", "actor_unit"}


def event_type(event: Nomination.Event) -> str:
    return type(event).__name__


def event_data(event: Nomination.Event) -> dict[str, Any]:
    """The event's own fields; ``to_json`` writes their datetimes and UUIDs as strings."""
    return {k: v for k, v in vars(event).items() if k not in _ENVELOPE}


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:
        return moment  # the common case, and a rebuild meets it on every event
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_json(value: Any) -> str:
    """The read models' JSON: datetimes in UTC ISO 8601 and UUIDs as strings, wherever
    they are nested (the serializer of every read-model engine). orjson: a rebuild
    writes a JSON value or two per event, and the standard library's encoder took a
    tenth of it."""
    return orjson.dumps(value, default=_plain, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")

