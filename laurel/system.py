"""Laurel as the command line's verbs and processes open it: the container, with its read
models made on first start and refused if another version of Laurel made them."""

from __future__ import annotations

from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import Settings
from projections.schema import prepare_read_models


def open_laurel(settings: Settings) -> Laurel:
    """``bootstrap`` and the read models' schema check (``ReadModelSchemaChanged`` says
    to run ``laurel projections rebuild``, which bootstraps without it)."""
    laurel = bootstrap(settings)
    try:
        prepare_read_models(laurel.engine)
    except BaseException:
        laurel.close()
        raise
    return laurel
