"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import LaurelDep
from api.problems import http_problem
from api.reads.health import read_every_table
from infrastructure import damage
from infrastructure.container import connect_temporal

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


def _check_stores(laurel: LaurelDep) -> dict[str, str]:
    """Each store read as a request would read it: the event store's last event, and
    every read model's first and last rows. A damaged file is named, with its remedy."""
    checks: dict[str, str] = {}
    try:
        last = laurel.log.last_position()
        recorder = laurel.nominations.recorder
        recorder.select_notifications(start=max(last, 1), limit=1)
        checks["event_store"] = f"ok (position {last})"
    except Exception as error:
        checks["event_store"] = _failure(laurel, error)
    try:
        with laurel.engine.connect() as conn:
            read_every_table(conn)
        checks["read_models"] = "ok"
    except Exception as error:
        checks["read_models"] = _failure(laurel, error)
    return checks


def _failure(laurel: LaurelDep, error: Exception) -> str:
    if damage.is_damage(error):
        found = damage.damaged_files(laurel.settings)
        return f"damaged: {found[0] if found else error}"
    return f"unreachable: {error}"


@router.get("/readyz", responses={503: {"description": "A component is unreachable"}})
async def readyz(request: Request, laurel: LaurelDep) -> Any:
    """The event store, the read models and Temporal are reachable."""
    checks = await asyncio.to_thread(_check_stores, laurel)
    try:
        if getattr(request.app.state, "temporal", None) is None:
            request.app.state.temporal = await asyncio.wait_for(
                connect_temporal(laurel.settings), timeout=3
            )
        await asyncio.wait_for(request.app.state.temporal.service_client.check_health(), 3)
        checks["temporal"] = "ok"
    except Exception as error:
        request.app.state.temporal = None
        checks["temporal"] = f"unreachable: {error or type(error).__name__}"
    if all(v.startswith("ok") for v in checks.values()):
        return JSONResponse({"status": "ready", "checks": checks})
    return http_problem("not-ready", "; ".join(f"{k}: {v}" for k, v in checks.items()),
                        request, checks=checks)
