"""The read models' schema is fingerprinted: tables made by another version of Laurel
are refused at start, with the command that mends them, never silently used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text, update

from api.app import create_app
from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import Settings
from projections import queries
from projections.projector import Projector
from projections.schema import (
    ReadModelSchemaChanged,
    fingerprint,
    prepare_read_models,
    read_model_schema,
    stored_fingerprint,
)
from tests.support.nominations import several_nominations


def made_by_another_version(laurel: Laurel) -> None:
    with laurel.engine.begin() as conn:
        conn.execute(update(read_model_schema).values(fingerprint="0" * 64))


def test_a_new_database_gets_the_read_models_and_their_fingerprint(laurel: Laurel) -> None:
    assert stored_fingerprint(laurel.engine) == fingerprint()
    prepare_read_models(laurel.engine)  # a second start finds them as it left them


async def test_the_api_refuses_to_start_on_read_models_of_another_version(
    laurel: Laurel,
) -> None:
    made_by_another_version(laurel)
    app = create_app(laurel=laurel)
    with pytest.raises(ReadModelSchemaChanged, match="laurel projections rebuild"):
        async with app.router.lifespan_context(app):
            pass


def test_read_models_from_before_fingerprints_are_refused_too(laurel: Laurel) -> None:
    with laurel.engine.begin() as conn:
        conn.execute(text("DELETE FROM read_model_schema"))
    with pytest.raises(ReadModelSchemaChanged):
        prepare_read_models(laurel.engine)


def laurel_command(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    env["LAUREL_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "laurel", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_the_projector_process_refuses_and_a_rebuild_mends_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    laurel = bootstrap(Settings(data_dir=data_dir))
    prepare_read_models(laurel.engine)
    ids = several_nominations(laurel)
    Projector(laurel.engine, laurel.log).catch_up()
    made_by_another_version(laurel)
    laurel.close()

    refused = laurel_command("projector", data_dir=data_dir)
    assert refused.returncode == 2
    assert "laurel projections rebuild" in refused.stderr

    assert laurel_command("projections", "rebuild", data_dir=data_dir).returncode == 0
    laurel = bootstrap(Settings(data_dir=data_dir))
    try:
        prepare_read_models(laurel.engine)  # accepted again
        with laurel.engine.connect() as conn:
            assert all(queries.nomination(conn, i) is not None for i in ids)
    finally:
        laurel.close()
