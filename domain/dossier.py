"""A dossier's documents as a proposal or a supplement records them: files uploaded
(``domain.document``) named by their id, each recorded with its SHA-256, so that the hash
chain of the nomination's events covers the bytes councils read; or, as before files, a
title and a link.

An award's required documents (policy data, ``Award.required_documents``) must be there
as files: a title alone is no document a council can read.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application

from domain.document import load_document
from domain.errors import MissingDocuments, NotFound
from domain.policy import DOCUMENT_KINDS, Award, Policy


def recorded_documents(app: Application[Any], given: list[dict[str, Any]], unit_id: str,
                       policy: Policy) -> list[dict[str, Any]]:
    """``given`` as the event records it: each file by its reference (id, kind, title,
    hash, size, type), a title given replacing the file's name; each link as it came. A
    file must have been uploaded by ``unit_id`` or a unit below it."""
    units = policy.org.subtree(unit_id)
    recorded = []
    for entry in given:
        if not entry.get("document_id"):
            recorded.append(entry)
            continue
        document = load_document(app, str(entry["document_id"]))
        if document is None or document.unit_id not in units:
            raise NotFound(f"No document {entry['document_id']} of your unit",
                           vi=f"Không có tài liệu {entry['document_id']} của đơn vị bạn")
        reference = document.reference(str(entry.get("kind") or "other"))
        if entry.get("title"):
            reference["title"] = entry["title"]
        recorded.append(reference)
    return recorded


def require_documents(award: Award, documents: list[dict[str, Any]]) -> None:
    """Every kind of document the award requires, there as a file; the refusal names each
    missing one."""
    held = {d.get("kind") for d in documents if d.get("document_id")}
    missing = tuple(kind for kind in award.required_documents if kind not in held)
    if missing:
        names = [DOCUMENT_KINDS[kind] for kind in missing]
        raise MissingDocuments(
            f"The dossier of {award.name.en} needs, as uploaded files: "
            + ", ".join(f"{n.en} ({k})" for n, k in zip(names, missing, strict=True)),
            vi=f"Hồ sơ đề nghị {award.name.vi} còn thiếu (tệp đính kèm): "
               + ", ".join(f"{n.vi} ({k})" for n, k in zip(names, missing, strict=True)),
            missing=missing)
