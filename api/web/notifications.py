"""The notifications page (``/ui/notifications``): what the notifier told the signed-in
person (``workflows.notifier``), unread first; marking one read, which is recorded as an
event of the notification (so the list rebuilds from events as it was); the unread count
the header loads; and the person's channels (e-mail on or off, its address, the language).
In-app notifications always come."""

from __future__ import annotations

import asyncio
import contextlib
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import laurel_of, read_models
from api.reads import notifications as reads
from api.web.session import accounts_of, language, posted_form, render, see, signed_in
from domain.notification import Notification
from infrastructure.container import Laurel

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/notifications", response_class=HTMLResponse)
async def page(request: Request) -> Response:
    user = signed_in(request)
    rows = await read_models(laurel_of(request), lambda conn: reads.of(conn, user.id))
    account = accounts_of(request).get(user.id)
    return render(request, "notifications.html", rows=rows, account=account,
                  saved=request.query_params.get("saved") == "1")


@router.get("/notifications/count", response_class=HTMLResponse)
async def count(request: Request) -> Response:
    """The header's badge (loaded after the page: no page waits for it)."""
    user = signed_in(request)
    unread = await read_models(laurel_of(request), lambda conn: reads.unread(conn, user.id))
    words = "chưa đọc" if language(request) == "vi" else "unread"
    return HTMLResponse(f'<span class="badge">({unread} {words})</span>' if unread else "")


@router.post("/notifications/{notification_id}/read")
async def mark_read(request: Request, notification_id: str) -> Response:
    user = signed_in(request)
    await posted_form(request)
    laurel = laurel_of(request)
    await asyncio.to_thread(_mark_read, laurel, notification_id, user.id, user.unit_id)
    return see("/ui/notifications")


def _mark_read(laurel: Laurel, notification_id: str, username: str, unit_id: str) -> None:
    """Someone else's notification, or none, is left as it is: nothing to tell."""
    with contextlib.suppress(ValueError, AggregateNotFoundError):
        found: object = laurel.nominations.repository.get(UUID(notification_id))
        if isinstance(found, Notification) and found.mark_read(username, unit_id,
                                                                laurel.clock()):
            laurel.nominations.save(found)


@router.post("/notifications/preferences")
async def preferences(request: Request) -> Response:
    user = signed_in(request)
    form = await posted_form(request)
    email = str(form.get("email") or "").strip()
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
        email = ""
    accounts_of(request).set_preferences(
        user.id, email=email, language=str(form.get("language") or "vi"),
        email_enabled=form.get("email_enabled") == "on")
    return see("/ui/notifications?saved=1")
