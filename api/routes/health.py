"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import LaurelDep
from api.problems import http_problem
from infrastructure.container import connect_temporal

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


def _check_stores(laurel: LaurelDep) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        checks["event_store"] = f"ok (position {laurel.log.last_position()})"
    except Exception as error:
        checks["event_store"] = f"unreachable: {error}"
    try:
        with laurel.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["read_models"] = "ok"
    except Exception as error:
        checks["read_models"] = f"unreachable: {error}"
    return checks


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
