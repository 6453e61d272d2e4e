"""The certificates' and the public register's request and response bodies (their own
module: ``api.schemas`` is the nominations')."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import Label, Text


class CertificateReissueCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(description="why it is issued again (the certificate was lost…)")


class CertificateIssuedPublic(BaseModel):
    id: str
    nomination_id: str
    number: str
    """The register number (``15/2026/GCN-UBND``)."""
    code: str
    verify_url: str
    issued: bool
    """Whether this request issued it (False: it was issued before)."""


class Named(BaseModel):
    id: str
    name: str


class AwardNamed(BaseModel):
    code: str
    name: Label


class DecisionPublic(BaseModel):
    number: str
    date: str
    authority: str


class RevocationPublic(BaseModel):
    number: str
    date: str


class EventProofPublic(BaseModel):
    event: str
    """``decided``: the nomination's award; ``issued``: the certificate's issue."""
    position: int
    event_hash: str
    previous_hash: str
    chain_hash: str
    intact: bool


class CheckpointPublic(BaseModel):
    position: int
    chain_hash: str
    signed_at: str
    signature: str
    matches: bool


class HeadPublic(BaseModel):
    position: int
    chain_hash: str


class ProofPublic(BaseModel):
    events: list[EventProofPublic]
    checkpoint: CheckpointPublic | None
    """The latest auditor-signed checkpoint covering the events (None: none yet)."""
    head: HeadPublic | None
    """The chain's head now, unsigned."""


class VerificationPublic(BaseModel):
    code: str
    state: str
    """``valid``, ``revoked`` (the award was revoked) or ``replaced`` (a new certificate
    was issued for a lost one)."""
    valid: bool
    number: str
    issued_at: datetime
    nominee_name: str
    unit: Named
    award: AwardNamed
    issuer: Named
    decision: DecisionPublic
    revocation: RevocationPublic | None
    replaced_by: str | None
    replaces: str | None
    proof: ProofPublic


class PublicAward(BaseModel):
    nominee_name: str
    unit: Named
    award: AwardNamed
    year: int | None
    decision: DecisionPublic
    revoked: bool
    revocation: RevocationPublic | None


class PublicAwards(BaseModel):
    items: list[PublicAward]
    total: int
    limit: int
    offset: int
