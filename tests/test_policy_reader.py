"""A policy document with a wrong shape is refused with the entry named, never crashes and
is never half-read."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import yaml

from domain.errors import PolicyError
from domain.policy_reader import read_policy_book
from infrastructure.settings import BUNDLED_POLICY

DEMO = yaml.safe_load(BUNDLED_POLICY.read_text(encoding="utf-8"))


def setting(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (setting(["version"], 2024.10), "version"),  # a YAML float would read as 2024.1
        (setting(["effective_from"], datetime(2025, 7, 1, 8)), "effective_from"),
        (setting(["awards", 5, "vote"], "9/10"), "awards[5].vote"),
        (setting(["awards", 0, "procedures"], {"adhoc": 3}), "awards[0].procedures.adhoc"),
        (setting(["awards", 0, "review_days"], {"unit": True}), "awards[0].review_days"),
        (setting(["calendar", "holidays"], "2025-01-01"), "calendar.holidays"),
        (setting(["calendar", "weekend"], "saturday"), "calendar.weekend"),
        (setting(["org_units", 1, "parent"], ["hg"]), "org_units[1].parent"),
        (setting(["org_units", 1, "formerly"], "hg.x"), "org_units[1].formerly"),
        (setting(["org_units", 2, "formerly"], ["hg.so-gddt"]), "org_units[2].formerly"),
    ],
)
def test_a_wrongly_shaped_entry_is_refused_with_its_path(
    change: Callable[[dict[str, Any]], None], where: str
) -> None:
    doc = copy.deepcopy(DEMO)
    change(doc)
    with pytest.raises(PolicyError) as refused:
        read_policy_book([doc])
    assert refused.value.where == where


def test_a_unit_cannot_be_taken_over_twice() -> None:
    doc = copy.deepcopy(DEMO)
    doc["org_units"].append({"id": "hg.new-1", "name": "A", "level": "unit", "parent": "hg",
                             "formerly": ["hg.old"]})
    doc["org_units"].append({"id": "hg.new-2", "name": "B", "level": "unit", "parent": "hg",
                             "formerly": ["hg.old"]})
    with pytest.raises(PolicyError, match=r"already taken over by 'hg\.new-1'"):
        read_policy_book([doc])
