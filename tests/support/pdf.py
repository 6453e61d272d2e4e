"""A PDF answer's text, as a reader's search would see it."""

from __future__ import annotations

import io

import httpx
import pypdf


def pdf_text(response: httpx.Response) -> str:
    """The text of every page, its whitespace run together: a 200 PDF, or the test fails."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
