"""The register's read-model tables (SQLAlchemy Core), on the read models' one
``metadata``: made, fingerprinted, dropped and rebuilt with the nominations' tables
(``projections.read_models`` lists them all). Filled by ``projections.people``: people,
their units, awards, facts and starts of service, and the initiatives of the register
with their authors and uses."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from projections.tables import metadata

people = Table(
    "people",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("national_id", String(12), nullable=False, index=True),
    Column("civil_servant_code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("birth_date", String(10), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("position", String(300), nullable=False),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("team", String(200), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

person_units = Table(
    "person_units",
    metadata,
    # One row each time a person joins a unit (registered, transferred), in log order.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("person_id", String(36), nullable=False, index=True),
    Column("unit_id", String(120), nullable=False),
    Column("from_unit_id", String(120)),
    Column("since", String(10), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("actor_unit", String(120), nullable=False),
)

person_awards = Table(
    "person_awards",
    metadata,
    # Every title and award a person or collective holds, from the person's own events:
    # entered or imported (id: person id and event version), or decided in Laurel and
    # recorded on the person with the decision (id: the nomination's, which a revocation
    # names). ``unit_id``: the person's unit when it was recorded, what a unit's quota
    # holders of a year are counted by.
    Column("id", String(48), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("award_code", String(80), nullable=False),
    Column("year", Integer, nullable=False),
    Column("decision_number", String(300), nullable=False),
    Column("decision_date", String(10), nullable=False),
    Column("issuer", String(300), nullable=False),
    Column("source", String(10), nullable=False),
    Column("nomination_id", String(36)),
    Column("unit_id", String(120), nullable=False),
    Column("revoked_on", String(10)),
    Column("revoked", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_person_awards_unit_year_award", "unit_id", "year", "award_code"),
)

person_nominations = Table(
    "person_nominations",
    metadata,
    # The nominations whose nominee names a person of the register, from their proposal:
    # a person's nominations (the award a decision gives is recorded on the person).
    Column("nomination_id", String(36), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("award_code", String(80), nullable=False),
    Column("year", Integer),
)

person_facts = Table(
    "person_facts",
    metadata,
    # What bars an award while it lasts (discipline, investigation, inspection, an
    # unresolved complaint), each from its document; personal data, shown only to those
    # ``api.reads.people.sees_facts`` names.
    Column("id", String(36), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("fact", String(20), nullable=False),
    Column("start", String(10), nullable=False),
    Column("end", String(10)),
    Column("evidence", String(300), nullable=False),
    Column("end_evidence", String(300)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_unit", String(120), nullable=False),
)

person_service = Table(
    "person_service",
    metadata,
    # Each start of service recorded, in log order: the latest is the one that holds.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("person_id", String(36), nullable=False, index=True),
    Column("start", String(10), nullable=False),
    Column("evidence", String(300), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_unit", String(120), nullable=False),
)

INITIATIVE_SEARCH_LENGTH = 600

initiatives = Table(
    "initiatives",
    metadata,
    # The register's recognised initiatives (``domain.initiative``), seen by the units
    # that see their unit, as people are.
    Column("id", String(36), primary_key=True),
    Column("title", String(500), nullable=False),
    # The folded title, each word after a space (``projections.search``).
    Column("search", String(INITIATIVE_SEARCH_LENGTH), nullable=False),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("recognised_on", String(10), nullable=False),
    Column("recognition", String(300), nullable=False),
    Column("scope", String(500), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_unit", String(120), nullable=False),
)

initiative_authors = Table(
    "initiative_authors",
    metadata,
    # An initiative's authors, people of the register, in the order the decision names.
    Column("initiative_id", String(36), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("person_id", String(36), nullable=False, index=True),
    PrimaryKeyConstraint("initiative_id", "ordinal"),
)

initiative_uses = Table(
    "initiative_uses",
    metadata,
    # Every use of an initiative as a nomination's basis (id: initiative id and event
    # version); a released one stays, marked, so the record shows it was once cited.
    Column("id", String(48), primary_key=True),
    Column("initiative_id", String(36), nullable=False, index=True),
    Column("nomination_id", String(36), nullable=False),
    Column("award_code", String(80), nullable=False),
    Column("year", Integer, nullable=False),
    Column("unit_id", String(120), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=False),
    Column("released", Boolean, nullable=False),
    Column("release_reason", String(300)),
    Column("released_at", DateTime(timezone=True)),
)

PEOPLE_TABLES = (people, person_units, person_awards, person_nominations, person_facts,
                 person_service, initiatives, initiative_authors, initiative_uses)
