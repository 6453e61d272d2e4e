"""Read-model tables of emulation clusters and blocks (``domain.cluster``): ``clusters``,
one row a cluster and year; ``cluster_members``, each member's self-assessment and its
place in the ranking; ``cluster_scores``, the points each approval step gave each member.
Filled by ``projections.clusters``; dropped and rebuilt with every read model."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from projections.tables import metadata

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(120), nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("year", Integer, nullable=False, index=True),
    Column("leader", String(120), nullable=False),
    Column("board", String(120), nullable=False),
    Column("members", JSON, nullable=False),
    Column("steps", JSON, nullable=False),
    Column("pact_document_id", String(36)),
    Column("pact_signed_on", String(10)),
    Column("criteria", JSON(none_as_null=True)),
    Column("tie_rule", Text),
    Column("ranked_at", DateTime(timezone=True)),
    Column("flag_nomination_id", String(36)),
    Column("flag_unit_id", String(120)),
    Column("defined_at", DateTime(timezone=True), nullable=False),
    Column("defined_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

cluster_members = Table(
    "cluster_members",
    metadata,
    Column("cluster_id", String(36), nullable=False),
    Column("unit_id", String(120), nullable=False),
    # The member's place in the definition's list.
    Column("position", Integer, nullable=False),
    Column("self_points", JSON(none_as_null=True)),
    Column("self_total", Float),
    Column("evidence", JSON(none_as_null=True)),
    Column("notes", JSON(none_as_null=True)),
    Column("self_assessed_at", DateTime(timezone=True)),
    Column("self_assessed_by", String(120)),
    Column("score", Float),
    Column("rank", Integer),
    PrimaryKeyConstraint("cluster_id", "unit_id"),
)

cluster_scores = Table(
    "cluster_scores",
    metadata,
    Column("cluster_id", String(36), nullable=False),
    Column("step", String(20), nullable=False),
    Column("unit_id", String(120), nullable=False),
    Column("points", JSON, nullable=False),
    Column("total", Float, nullable=False),
    Column("scored_at", DateTime(timezone=True), nullable=False),
    Column("scored_by", String(120), nullable=False),
    Column("scored_unit", String(120), nullable=False),
    Column("note", Text, nullable=False),
    PrimaryKeyConstraint("cluster_id", "step", "unit_id"),
)

CLUSTER_TABLES = (clusters, cluster_members, cluster_scores)
"""For ``projections.read_models``."""
