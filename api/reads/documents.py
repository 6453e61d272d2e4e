"""Documents as their readers see them, and the audit of their files.

A document is read from the event store, not a read model: one aggregate by id is as
quick, and what the audit checks is the record itself. Who may read it is who may read
the dossiers of its unit (``visible_units``): the unit that uploaded it and the councils,
deciders, inspectors and administrators above; anyone else finds nothing.

The audit hashes every recorded file again (``infrastructure.files.check_files``) and
names, for a changed or missing one, the nominations whose dossier lists the document
(the ``documents`` column of the nominations read model).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from api.reads.access import visible_units
from domain.actor import Actor
from domain.document import Document, load_document
from domain.errors import NotFound
from infrastructure.container import Laurel
from infrastructure.files import FilesReport, check_files
from projections.tables import nominations


def readable(user: Actor, laurel: Laurel, document_id: str) -> Document:
    """The document, if ``user`` may read it; else ``NotFound``, as if there were none."""
    document = load_document(laurel.nominations, document_id)
    if document is None or document.unit_id not in visible_units(user, laurel.policy.org):
        raise NotFound(f"No document {document_id}", vi=f"Không có tài liệu {document_id}")
    return document


def links(document_id: str) -> dict[str, str]:
    return {"self": f"/documents/{document_id}"}


def nominations_citing(conn: Connection, document_ids: set[str]) -> dict[str, list[dict[str, str]]]:
    """Each document's nominations (id, tracking code), whose current dossier lists it."""
    if not document_ids:
        return {}
    text = cast(nominations.c.documents, Text)
    query = select(nominations.c.id, nominations.c.tracking_code, nominations.c.documents)
    found: dict[str, list[dict[str, str]]] = {d: [] for d in document_ids}
    for document_id in sorted(document_ids):
        for row in conn.execute(query.where(text.contains(document_id))):
            if any(isinstance(entry, dict) and entry.get("document_id") == document_id
                   for entry in row.documents or []):
                found[document_id].append({"id": row.id, "tracking_code": row.tracking_code})
    return found


def files_report(laurel: Laurel) -> tuple[FilesReport, dict[str, list[dict[str, str]]]]:
    """Every recorded file checked against its hash, and the nominations of each
    document whose file failed."""
    report = check_files(laurel.nominations, laurel.files)
    broken = {b.document_id for b in report.breaks}
    try:
        with laurel.engine.connect() as conn:
            cited = nominations_citing(conn, broken)
    except SQLAlchemyError:  # no read models here (never built, or damaged): said so
        cited = {d: [{"id": "?", "tracking_code": "the read models cannot be read"}]
                 for d in broken}
    return report, cited


def render(report: FilesReport, cited: dict[str, list[dict[str, str]]]) -> str:
    """The report as ``laurel audit verify`` prints it: a line per failed document."""
    if report.intact:
        return (f"Files intact: {report.files} stored file(s) of {report.documents} "
                "document(s) match their recorded SHA-256")
    lines = [f"FILES BROKEN: {len(report.breaks)} document(s) of {report.documents} no "
             "longer match their recorded SHA-256"]
    for b in report.breaks:
        named = ", ".join(f"nomination {n['id']} ({n['tracking_code']})"
                          for n in cited.get(b.document_id, [])) or "no nomination lists it"
        what = ("missing" if b.kind == "missing"
                else f"changed (its content now hashes to {b.found_sha256})")
        lines.append(f"  document {b.document_id}: file {b.where} {what}; recorded "
                     f"{b.sha256}; {named}")
    return "\n".join(lines)


def as_dict(report: FilesReport, cited: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    return {"intact": report.intact, "documents": report.documents, "files": report.files,
            "breaks": [{**asdict(b), "nominations": cited.get(b.document_id, [])}
                       for b in report.breaks]}
