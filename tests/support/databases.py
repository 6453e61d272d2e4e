"""The PostgreSQL server the tests use, where one runs."""

from __future__ import annotations

import os

import pytest

from laurel import scratch_databases


def require_postgres() -> None:
    """Skip a PostgreSQL case where none runs; in CI, fail it instead."""
    if not scratch_databases.reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {scratch_databases.ADMIN_URL}")
        pytest.skip("PostgreSQL is not reachable")
