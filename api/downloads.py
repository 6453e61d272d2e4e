"""A document's file as an HTTP response, for the JSON route (``GET /documents/{id}``)
and the pages (``/ui/documents/{id}``) alike: streamed, named as uploaded, its SHA-256 as
the ETag, only for whoever may read the dossiers of its unit."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from fastapi import Request, status
from fastapi.responses import Response, StreamingResponse

from api.problems import http_problem
from api.reads import documents as reads
from domain.actor import Actor
from infrastructure.container import Laurel
from infrastructure.files import FileMissing


async def file_response(user: Actor, laurel: Laurel, document_id: str, request: Request,
                        if_none_match: str | None = None) -> Response:
    """The file (``NotFound`` for a document the user may not read); 304 when
    ``If-None-Match`` names it; 503 ``document-unavailable`` when the store lost it."""
    document = await asyncio.to_thread(reads.readable, user, laurel, document_id)
    etag = f'"{document.sha256}"'
    if if_none_match and etag in {t.strip().removeprefix("W/") for t in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    try:
        chunks = await asyncio.to_thread(laurel.files.open, document.sha256)
    except FileMissing:
        return http_problem("document-unavailable",
                            f"The file of document {document_id} is not in the store", request)
    return StreamingResponse(chunks, media_type=document.media_type, headers={
        "Content-Length": str(document.size), "ETag": etag,
        "Content-Disposition": disposition(document.filename),
        "Cache-Control": "private, no-cache"})


def disposition(filename: str) -> str:
    """An attachment named as uploaded: the UTF-8 name (RFC 6266's ``filename*``, for
    Vietnamese names) and a plain ASCII one for clients that read only that."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                    for c in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
