"""Files in the dossier: ``POST /documents`` stores an upload by its content's hash and
records it as a document of the uploader's unit; ``GET /documents/{id}`` streams it back
to whoever may read that unit's dossiers. A nomination then names the document by id
(``domain.document``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import CurrentUser, LaurelDep, NewCommand
from api.document_schemas import DocumentCreated
from api.downloads import file_response
from api.problems import MEDIA_TYPE, PROBLEM_RESPONSES, Problem
from api.reads import documents as reads
from api.uploads import UploadRefused, receive
from domain.commands import DocumentStored, UploadDocument
from domain.document import MEDIA_TYPES, uploader_role

router = APIRouter(prefix="/documents", tags=["documents"], responses=PROBLEM_RESPONSES)


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["file"], "properties": {"file": {
        "type": "string", "format": "binary",
        "description": "PDF, PNG, JPEG, DOCX or XLSX, recognised by its content"}}}}}}}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DocumentCreated,
             openapi_extra=UPLOAD_BODY, responses={
                 413: _problem("Larger than LAUREL_MAX_UPLOAD_BYTES (/problems/file-too-large)"),
                 415: _problem("Not a PDF, PNG, JPEG, DOCX or XLSX file by its content "
                               "(/problems/unsupported-media-type)")})
async def upload(request: Request, command: NewCommand) -> Response:
    """A clerk, council secretary, decider or administrator uploads a file (multipart
    field `file`) for their unit's dossiers; its SHA-256 goes into the record. With an
    `Idempotency-Key`, the same upload again answers the document it made."""
    uploader_role(command.user)  # a refused role is told before the file is read
    laurel = command.laurel
    try:
        received = await receive(request, laurel.files, laurel.settings.max_upload_bytes)
    except UploadRefused as refused:
        return refused.response(request)
    stored = await command.give(UploadDocument(
        received.stored.sha256, received.stored.size, received.media_type, received.filename))
    assert isinstance(stored, DocumentStored)
    links = reads.links(str(stored.document_id))
    created = DocumentCreated(id=str(stored.document_id), sha256=stored.sha256,
                              size=stored.size, media_type=stored.media_type, links=links)
    return JSONResponse(created.model_dump(), status_code=status.HTTP_201_CREATED,
                        headers={"Location": links["self"]})


@router.get("/{document_id}", response_class=StreamingResponse, responses={
    200: {"description": "The file's bytes, as uploaded",
          "content": {media_type: {"schema": {"type": "string", "format": "binary"}}
                      for media_type in MEDIA_TYPES}},
    304: {"description": "Unchanged since the ETag in If-None-Match"},
    503: _problem("The file is missing from the store (/problems/document-unavailable)")})
async def download(document_id: str, user: CurrentUser, laurel: LaurelDep, request: Request,
                   if_none_match: Annotated[str | None, Header()] = None) -> Response:
    """The document's file, streamed, for the unit that uploaded it and those above it
    (as its dossiers); `ETag` is the file's SHA-256."""
    return await file_response(user, laurel, document_id, request, if_none_match)
