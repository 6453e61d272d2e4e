"""What every read model needs to know of an event, independent of its type."""

from __future__ import annotations

from typing import Any

from domain.nomination import Nomination

_ENVELOPE = {"originator_id", "originator_version", "originator_topic", "timestamp",
             "actor", "actor_role", "actor_unit"}
SEALED = {"code_salt", "code_digest"}
"""The seal of an objection's confirmation code: the event store keeps it to check a code
typed back; no reader has any use for it, so no read model holds it."""


def event_type(event: Nomination.Event) -> str:
    return type(event).__name__


def event_data(event: Nomination.Event) -> dict[str, Any]:
    """The event's own fields (but a code's seal); ``to_json`` writes their datetimes and
    UUIDs as strings."""
    return {k: v for k, v in vars(event).items() if k not in _ENVELOPE and k not in SEALED}
