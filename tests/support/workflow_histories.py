"""Recorded workflow histories (``tests/workflow_histories/``): which there are, each read
back as Temporal gives it, and the local activities and patches it records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

HISTORIES = Path(__file__).parent.parent / "workflow_histories"
"""The histories recorded before signals were confirmed; ``confirmed/`` those since."""
CONFIRMED = HISTORIES / "confirmed"


def recorded(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.json"))


def history(folder: Path, name: str) -> WorkflowHistory:
    """A fixture; the workflow id is kept beside the events, as ``to_json`` leaves it out."""
    document: dict[str, Any] = json.loads((folder / f"{name}.json").read_text("utf-8"))
    return WorkflowHistory.from_json(document["workflowId"], document)


def _markers(replayed: WorkflowHistory, marker: str, details: str) -> list[dict[str, Any]]:
    return [
        json.loads(e.marker_recorded_event_attributes.details[details].payloads[0].data)
        for e in replayed.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == marker
    ]


def activity_types(replayed: WorkflowHistory) -> list[str]:
    """The local activities a history records, in order (from their markers' details)."""
    return [m["activity_type"] for m in _markers(replayed, "core_local_activity", "data")]


def patches(replayed: WorkflowHistory) -> list[str]:
    """The patches (``workflow.patched``) a history records."""
    return [m["id"] for m in _markers(replayed, "core_patch", "patch-data")]
