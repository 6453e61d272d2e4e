"""Ids and tracking codes drawn a page at a time stay what uuid4 and secrets give: distinct,
well formed, and never the same in a forked child as in its parent."""

from __future__ import annotations

import os

from domain.application import new_tracking_code
from domain.randomness import random_bytes, random_id


def test_ids_are_version_4_and_distinct_across_many_pages() -> None:
    ids = [random_id() for _ in range(5000)]  # 80,000 bytes: about twenty pages
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {4} and {i.variant for i in ids} == {"specified in RFC 4122"}
    assert len(random_bytes(10_000)) == 10_000  # more than a page at once
    assert len({new_tracking_code() for _ in range(2000)}) == 2000


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
