"""``laurel migrate``: make or upgrade the event store and the read models, once, before
the processes start (``laurel up`` runs it first; compose and Kubernetes run it as an
init step). Safe to run again and to run several at once: each takes the migration lock
(``infrastructure.store_schema``), and one finding the schema current does nothing.

Steps (every one idempotent):

1. the event store's tables, as the library and the chained recorders define them;
2. the consumers' positions, and the read models if the database has none;
3. the version reached recorded in ``laurel_schema``.

Read models of another version of Laurel (their fingerprint, ``projections.schema``) are
named, not touched: ``laurel projections rebuild`` rebuilds them from the events (it
stops the projector's progress meanwhile), and migrate exits 2 saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from infrastructure import store_schema
from infrastructure.database import make_engine
from infrastructure.positions import create_positions
from infrastructure.settings import Settings
from projections.schema import (
    create_read_models,
    fingerprint,
    has_read_models,
    prepare_read_models,
    stored_fingerprint,
)


@dataclass(frozen=True)
class Migrated:
    before: int | None
    after: int
    read_models: str
    """``made`` or ``kept``."""

    def __str__(self) -> str:
        was = "none" if self.before is None else str(self.before)
        return (f"event store schema version {was} -> {self.after}; "
                f"read models {self.read_models}")


def migrate(settings: Settings) -> Migrated:
    """Bring the stores of ``settings`` to this Laurel's schema; what it did."""
    settings.secure_data_dir()
    with store_schema.migration_lock(settings):
        before = store_schema.recorded_version(settings)
        if before is not None and before > store_schema.SCHEMA_VERSION:
            store_schema.require_version(settings)  # raises: a newer Laurel made it
        without_timeout = settings.model_copy(update={"database_statement_timeout": 0,
                                                      "database_lock_timeout": 30})
        store_schema.create_event_store(without_timeout)
        engine = make_engine(without_timeout.read_model_url(),
                             **without_timeout.read_model_engine_options())
        try:
            create_positions(engine)
            stored = stored_fingerprint(engine)
            if stored is None and not has_read_models(engine):
                create_read_models(engine)
                read_models = "made"
            elif stored == fingerprint():
                read_models = "kept"
            else:
                read_models = "of another version"
        finally:
            engine.dispose()
        store_schema.record_version(settings)
        if read_models != "kept" and read_models != "made":
            prepare_read_models_or_refuse(without_timeout)
    settings.secure_data_dir()  # the SQLite files just made: the owner's only
    return Migrated(before, store_schema.SCHEMA_VERSION, read_models)


def prepare_read_models_or_refuse(settings: Settings) -> None:
    """Raise ``ReadModelSchemaChanged`` (it names ``laurel projections rebuild``)."""
    engine = make_engine(settings.read_model_url(), **settings.read_model_engine_options())
    try:
        prepare_read_models(engine)
    finally:
        engine.dispose()
