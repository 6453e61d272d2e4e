"""The event store's decoder: what the library's own JSON transcoder would give back."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    UUIDAsHex,
)

from infrastructure.container import Laurel
from infrastructure.transcoder import OrjsonDecodingTranscoder
from tests.support.nominations import several_nominations


def registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


def test_wrapped_values_are_restored_wherever_they_are_nested() -> None:
    library, ours = registered(JSONTranscoder()), registered(OrjsonDecodingTranscoder())
    value: dict[str, Any] = {
        "at": datetime(2026, 1, 5, 8, 0, 0, 123, tzinfo=UTC), "id": uuid4(),
        "amount": Decimal("1.10"), "plain": {"_type_": "not wrapped", "other": 1},
        "nested": [[{"due": datetime(2026, 2, 1, tzinfo=UTC)}, [uuid4(), "Nguyễn"]], None],
        "deep": {"route": {"reviews": [{"unit_id": "hg", "days": 20}]}, "flag": True},
    }
    for document in (value, [value, value], uuid4(), "just text", 7):
        stored = library.encode(document)
        assert ours.decode(stored) == library.decode(stored)
    decoded = ours.decode(library.encode(value))
    assert decoded["nested"][0][0]["due"] == value["nested"][0][0]["due"]
    assert isinstance(decoded["nested"][0][1][0], type(value["id"]))


def test_what_orjson_refuses_is_decoded_by_the_library() -> None:
    stored = b'{"score": NaN, "big": 123456789012345678901234567890}'
    decoded = OrjsonDecodingTranscoder().decode(stored)
    assert decoded["score"] != decoded["score"]  # NaN
    assert decoded["big"] == 123456789012345678901234567890


def test_the_store_reads_every_event_as_the_library_would(laurel: Laurel) -> None:
    several_nominations(laurel)
    transcoder: Transcoder = laurel.nominations.mapper.transcoder
    assert isinstance(transcoder, OrjsonDecodingTranscoder)
    library = registered(JSONTranscoder())
    notifications = laurel.nominations.recorder.select_notifications(start=1, limit=1000)
    assert len(notifications) > 50
    for notification in notifications:
        assert transcoder.decode(notification.state) == library.decode(notification.state)
