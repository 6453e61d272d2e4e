"""A document of a dossier: a file uploaded once, recorded by its SHA-256.

The bytes live in a content-addressed store (``infrastructure.files``); the record lives
here, in the event store beside the nominations, so the hash chain covers each file's
hash: a file swapped in the store no longer matches the hash its ``Uploaded`` event
recorded, and ``laurel audit verify`` says which. A nomination names a document by the
dict ``Document.reference(kind)`` gives, the hash included, so its own events cover the
file too.

Who uploads: those who act on dossiers for a unit — its clerk, council secretary,
decision maker, administrator. The document belongs to their unit, which (with the units
above it) may read it.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.commands import Context, DocumentStored, UploadDocument
from domain.errors import ConcurrentChange, IdempotencyKeyReused, InvalidDocument, WrongRole
from domain.vocabulary import Role

if TYPE_CHECKING:
    from eventsourcing.application import Application

    from domain.application import Nominations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx"}
"""The types a dossier takes, each with the extension a file of it is named with."""
UPLOADERS = (Role.PROPOSER, Role.REVIEWER, Role.DECIDER, Role.ADMIN)
"""Everyone who acts on a unit's dossiers; an inspector (auditor) reads, never adds."""
MAX_FILENAME = 255

_DOCUMENTS = UUID("3d8c1f55-0a47-4e39-b0b1-5e2c7a9d4f12")
"""Namespace of the ids a keyed upload gives: the same request again finds its document."""


def document_id(actor: Actor, request_key: str) -> UUID:
    """The id of a new document: from the caller's idempotency key, if given."""
    if not request_key:
        return uuid4()
    return uuid5(_DOCUMENTS, f"{actor.unit_id}\n{actor.id}\n{request_key}")


def uploader_role(actor: Actor) -> str:
    """The role ``actor`` uploads in; ``WrongRole`` for anyone who may not (asked before
    a file is received, so a refused upload is not read)."""
    for role in UPLOADERS:
        if role in actor.roles:
            return role
    raise WrongRole(
        "Documents are uploaded by a unit's clerk, council secretary, decision maker or "
        "administrator",
        vi="Chỉ văn thư, thư ký Hội đồng Thi đua – Khen thưởng, người có thẩm quyền quyết "
           "định hoặc quản trị hệ thống của đơn vị được tải tài liệu lên")


def clean_filename(filename: str) -> str:
    """The name a file is recorded and served under: its last path part only (a name
    never says where to write), NFC, no control or format characters, at most
    ``MAX_FILENAME`` characters (the extension kept)."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > MAX_FILENAME:
        _, dot, extension = name.rpartition(".")
        kept = f"{dot}{extension}" if dot and len(extension) <= 10 else ""
        name = name[:MAX_FILENAME - len(kept)] + kept
    return name


class Document(Aggregate):
    """A stored file as uploaded (the module says why it is an aggregate of its own)."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Uploaded(Event, Aggregate.Created):
        sha256: str
        size: int
        media_type: str
        filename: str
        unit_id: str
        request: str = ""

        def apply(self, aggregate: Document) -> None:
            aggregate.requests.add(self.request)
            aggregate.sha256 = self.sha256
            aggregate.size = self.size
            aggregate.media_type = self.media_type
            aggregate.filename = self.filename
            aggregate.unit_id = self.unit_id
            aggregate.uploaded_by = self.actor
            aggregate.uploaded_at = self.timestamp

    def __init__(self) -> None:
        self.requests: set[str] = {""}
        self.sha256: str
        self.size: int
        self.media_type: str
        self.filename: str
        self.unit_id: str
        self.uploaded_by: str
        self.uploaded_at: datetime

    @classmethod
    def upload(cls, *, document_id: UUID, actor: Actor, sha256: str, size: int,
               media_type: str, filename: str, at: datetime, request: str = "") -> Document:
        """Record a file the store holds under ``sha256`` as a document of the actor's
        unit."""
        role = uploader_role(actor)
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InvalidDocument(f"{sha256!r} is not a SHA-256 in lower-case hex",
                                  vi=f"{sha256!r} không phải mã băm SHA-256 (hệ 16, chữ thường)")
        if size < 1:
            raise InvalidDocument("An empty file is not a document",
                                  vi="Tệp rỗng không phải là tài liệu")
        if media_type not in MEDIA_TYPES:
            raise InvalidDocument(
                f"A document is a PDF, PNG, JPEG, DOCX or XLSX file, not {media_type}",
                vi=f"Tài liệu phải là tệp PDF, PNG, JPEG, DOCX hoặc XLSX, không phải "
                   f"{media_type}")
        name = clean_filename(filename) or f"tai-lieu.{MEDIA_TYPES[media_type]}"
        return cls._create(
            cls.Uploaded, id=document_id, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, sha256=sha256, size=size, media_type=media_type,
            filename=name, unit_id=actor.unit_id, request=request)

    def reference(self, kind: str) -> dict[str, Any]:
        """What a nomination's ``documents`` list records of this document, as ``kind``
        (``to-trinh``, ``bao-cao-thanh-tich``…): its id, and the hash that ties the
        nomination's own events to the file."""
        return {"document_id": str(self.id), "kind": kind, "title": self.filename,
                "sha256": self.sha256, "size": self.size, "media_type": self.media_type}


def load_document(app: Application[Any], document_id: UUID | str) -> Document | None:
    """The document of that id as the event store holds it; None if there is none (or the
    id names something else, or is no id at all)."""
    try:
        key = document_id if isinstance(document_id, UUID) else UUID(str(document_id))
    except ValueError:
        return None
    try:
        found: object = app.repository.get(key)
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, Document) else None


def upload(app: Nominations, command: UploadDocument, context: Context,
           request: str) -> DocumentStored:
    """``UploadDocument`` given (``Register.handle`` routes it here): the document
    recorded, or for the same keyed request again, the one it recorded."""
    new_id = document_id(context.actor, context.request_key)
    if context.request_key:
        app.require_saved(new_id)
        earlier = load_document(app, new_id)
        if earlier is not None:
            if request in earlier.requests:
                return stored(earlier)
            raise IdempotencyKeyReused(
                "This Idempotency-Key was sent before with another request; use a new key "
                "for a new request",
                vi="Khóa Idempotency-Key này đã được gửi kèm một yêu cầu khác; hãy dùng khóa "
                   "mới cho yêu cầu mới")
    document = Document.upload(
        document_id=new_id, actor=context.actor, sha256=command.sha256, size=command.size,
        media_type=command.media_type, filename=command.filename, at=context.at,
        request=request)
    collected = app.collected()
    if collected is not None:  # group commit: saved with the others given together
        collected.append(document)
        return stored(document)
    try:
        app.save(document)
    except IntegrityError:
        raise ConcurrentChange(
            "The same upload was recorded meanwhile; send it again to read it",
            vi="Cùng yêu cầu tải lên vừa được ghi nhận; hãy gửi lại để xem kết quả") from None
    return stored(document)


def stored(document: Document) -> DocumentStored:
    return DocumentStored(document.id, document.version, document.sha256, document.size,
                          document.media_type)
