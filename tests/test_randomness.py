"""Ids and tracking codes drawn a page at a time stay what uuid4 and secrets give: distinct,
well formed, and never the same in a forked child as in its parent."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from domain.application import new_tracking_code
from domain.randomness import random_bytes, random_id, time_ordered_id


def test_ids_are_version_4_and_distinct_across_many_pages() -> None:
    ids = [random_id() for _ in range(5000)]  # 80,000 bytes: about twenty pages
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {4} and {i.variant for i in ids} == {"specified in RFC 4122"}
    assert len(random_bytes(10_000)) == 10_000  # more than a page at once
    assert len({new_tracking_code() for _ in range(2000)}) == 2000


def test_time_ordered_ids_are_version_7_distinct_and_grow_with_their_moment() -> None:
    """A new nomination's id (RFC 9562's version 7): its millisecond first, so that the
    event store's index takes new aggregates where it took the last ones."""
    at = datetime(2026, 3, 2, 9, 0, 0, 123_000, tzinfo=UTC)
    same_moment = [time_ordered_id(at) for _ in range(5000)]
    assert len(set(same_moment)) == len(same_moment)  # 74 random bits apart
    assert {i.version for i in same_moment} == {7}
    assert {i.variant for i in same_moment} == {"specified in RFC 4122"}
    assert {i.int >> 80 for i in same_moment} == {int(at.timestamp() * 1000)}
    later = time_ordered_id(at + timedelta(milliseconds=1))
    assert all(i < later for i in same_moment)
    assert time_ordered_id(at - timedelta(days=400)) < min(same_moment)


def test_a_forked_child_draws_other_bytes_than_its_parent() -> None:
    random_bytes(7)  # a page begun before the fork
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.write(write, random_bytes(32))
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    drawn_by_child = os.read(read, 32)
    os.close(read)
    assert len(drawn_by_child) == 32
    assert random_bytes(32) != drawn_by_child
