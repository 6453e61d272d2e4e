"""Whether the read models show a command's effect yet. A command answers with the
version it left each nomination at; the projector writes every read model's rows of an
event in one transaction, so a nomination row at that version means its tasks and
history are there too."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.engine import Connection

from projections.tables import nominations


def caught_up(conn: Connection, versions: Mapping[str, int]) -> bool:
    """Every nomination of ``versions`` is at (at least) its version in the read models."""
    if not versions:
        return True
    rows = conn.execute(select(nominations.c.id, nominations.c.version).where(
        nominations.c.id.in_(list(versions))))
    seen = {str(i): int(v) for i, v in rows}
    return all(seen.get(k, 0) >= v for k, v in versions.items())
