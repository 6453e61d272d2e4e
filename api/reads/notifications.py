"""A person's in-app notifications (read model ``notifications``): only their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from projections.notifications import notifications

SHOWN = 200
"""The most a page lists: the unread ones come first, so none of them is left off
until there are this many."""


def unread(conn: Connection, recipient: str) -> int:
    query = (select(func.count()).select_from(notifications)
             .where(notifications.c.recipient == recipient, notifications.c.read_at.is_(None)))
    return int(conn.scalar(query) or 0)


def of(conn: Connection, recipient: str) -> list[dict[str, Any]]:
    """Unread first, newest first within each."""
    query = (select(notifications).where(notifications.c.recipient == recipient)
             .order_by(notifications.c.read_at.is_not(None), notifications.c.created_at.desc(),
                       notifications.c.id)
             .limit(SHOWN))
    return [dict(row) for row in conn.execute(query).mappings()]
