"""Verifying the event store's hash chains (see ``infrastructure.chained_recorders``).

Walks the stored events and their links in log order, recomputing every hash, and
reports the first broken link: an event changed, deleted, moved or inserted, naming the
nomination, its version and the position in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification

from infrastructure.chained_recorders import (
    GENESIS,
    Link,
    event_hash,
    next_chain_hash,
    next_nomination_hash,
    originator_key,
)
from infrastructure.damage import is_damage

BATCH = 1000


@dataclass(frozen=True)
class Break:
    position: int
    nomination_id: str
    version: int
    kind: str  # changed | deleted | inserted | moved | relinked | rewritten | truncated
    # | damaged (the file cannot be read)
    detail: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    head_position: int
    head_hash: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "intact": self.intact}

    def render(self) -> str:
        if self.first_break is None:
            return (f"Intact: {self.events} events, both chains verified; head at position "
                    f"{self.head_position}, hash {self.head_hash}")
        b = self.first_break
        which = f"nomination {b.nomination_id} version {b.version}: " if b.nomination_id else ""
        return (f"BROKEN at position {b.position}: {which}{b.kind}: {b.detail} "
                f"({self.events} events verified before)")


def verify_chain(
    recorder: ApplicationRecorder, progress: Callable[[int, int], None] | None = None,
    signed_heads: Mapping[int, bytes] | None = None,
) -> ChainReport:
    """Recompute both chains; with ``signed_heads`` (position → chain hash, from the
    auditor's checkpoints) also require the chain to pass through each signed head."""
    select_links: Callable[[int, int], list[Link]] | None = getattr(
        recorder, "select_links", None)
    if select_links is None:
        raise TypeError("This event store keeps no hash chain (not a chained recorder)")
    end = recorder.max_notification_id() or 0
    chain, checked, last, after = GENESIS, 0, 0, 0
    nominations: dict[str, tuple[int, bytes]] = {}
    while True:
        try:
            events = {n.id: n for n in recorder.select_notifications(
                start=after + 1, limit=BATCH, stop=after + BATCH)}
            links = {k.notification_id: k for k in select_links(after, BATCH)
                     if k.notification_id <= after + BATCH}
        except Exception as error:
            if not is_damage(error):
                raise
            return ChainReport(checked, last, chain.hex(), Break(
                after + 1, "", 0, "damaged",
                f"the event store file cannot be read from here on ({error}); restore it "
                "from a backup"))
        if not events and not links:  # a gap in the ids, or the end of the log
            following = [n.id for n in recorder.select_notifications(start=after + 1, limit=1)]
            following += [k.notification_id for k in select_links(after, 1)]
            if not following:
                break
            after = min(following) - 1
            continue
        for position in sorted(events.keys() | links.keys()):
            found = _check(position, events.get(position), links.get(position), chain,
                           nominations)
            if isinstance(found, Break):
                return ChainReport(checked, last, chain.hex(), found)
            signed = (signed_heads or {}).get(position)
            if signed is not None and signed != found:
                event = events[position]
                return ChainReport(checked, last, chain.hex(), Break(
                    position, originator_key(event.originator_id), event.originator_version,
                    "rewritten",
                    "the chain no longer passes through the head the auditor signed here"))
            chain, checked, last = found, checked + 1, position
        after += BATCH
        if progress:
            progress(min(after, end), end)
    missing = [p for p in (signed_heads or {}) if p > last]
    if missing:
        return ChainReport(checked, last, chain.hex(), Break(
            missing[0], "", 0, "truncated", "the log ends before a head the auditor signed"))
    return ChainReport(checked, last, chain.hex(), None)


def _check(
    position: int, event: Notification | None, link: Link | None, chain: bytes,
    nominations: dict[str, tuple[int, bytes]],
) -> bytes | Break:
    """The next chain hash if this position holds up; else what broke there."""
    if event is None:
        assert link is not None
        return Break(position, link.originator_id, link.originator_version, "deleted",
                     "the event recorded at this position is gone")
    oid, version = originator_key(event.originator_id), event.originator_version
    if link is None:
        return Break(position, oid, version, "inserted",
                     "an event that was never chained stands at this position")
    if (oid, version) != (link.originator_id, link.originator_version):
        return Break(position, oid, version, "moved",
                     f"this position held version {link.originator_version} of "
                     f"{link.originator_id}")
    own = event_hash(event.originator_id, version, event.topic, event.state)
    if own != link.event_hash:
        return Break(position, oid, version, "changed",
                     "the stored event differs from what was recorded")
    seen_version, before = nominations.get(oid, (-1, GENESIS))
    if version <= seen_version:
        return Break(position, oid, version, "moved",
                     f"version {version} comes after version {seen_version} in the log")
    nomination = next_nomination_hash(before, own)
    following = next_chain_hash(chain, position, own)
    if nomination != link.nomination_hash or following != link.chain_hash:
        return Break(position, oid, version, "relinked",
                     "the link does not follow from the one before it")
    nominations[oid] = (version, nomination)
    return following
