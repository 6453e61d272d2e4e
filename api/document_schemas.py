"""What the documents' routes answer (``api.routes.documents``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DocumentCreated(BaseModel):
    """A document recorded: quote ``id`` in a dossier's ``documents``."""

    id: str = Field(description="the document's id, for a nomination's documents")
    sha256: str = Field(description="SHA-256 of the file's bytes, in hex")
    size: int = Field(description="bytes")
    media_type: str = Field(description="as recognised from the content")
    links: dict[str, str]
