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


@router.get("/readyz", responses={503: {"description": "A store is unreachable"}})
async def readyz(request: Request, laurel: LaurelDep) -> Any:
    """The event store and the read models answer, read as a request reads them. Not
    Temporal: the API only appends events (the relay and the worker talk to Temporal;
    ``laurel ready`` checks it for them), so an API whose Temporal is away still takes
    every command and must stay in the load balancer. Nothing is started or connected
    for a probe: it borrows the pools' connections, each wait bounded by the database
    timeouts (``LAUREL_DATABASE_*``)."""
    checks = await asyncio.to_thread(_check_stores, laurel)
    if all(v.startswith("ok") for v in checks.values()):
        return JSONResponse({"status": "ready", "checks": checks})
    return http_problem("not-ready", "; ".join(f"{k}: {v}" for k, v in checks.items()),
                        request, checks=checks)
