"""A dossier's file from the pages: the same file, for the same readers, as
``GET /documents/{id}`` (``api.downloads``), with the page's session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import laurel_of
from api.downloads import file_response
from api.web.session import refused, signed_in
from domain.errors import DomainError

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/documents/{document_id}")
async def document(request: Request, document_id: str) -> Response:
    user = signed_in(request)
    try:
        return await file_response(user, laurel_of(request), document_id, request,
                                   request.headers.get("if-none-match"))
    except DomainError as error:
        return refused(request, error, "/ui")
