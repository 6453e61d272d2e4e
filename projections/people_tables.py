"""The register's read-model tables (SQLAlchemy Core), on the read models' one
``metadata``: made, fingerprinted, dropped and rebuilt with the nominations' tables
(``projections.read_models`` lists them all). Filled by ``projections.people``."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, String, Table

from projections.tables import metadata

PERSON_SEARCH_LENGTH = 400

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
    # The folded name, civil-servant code and national ID, each word after a space
    # (``projections.search``): a query's needles are found in it.
    Column("search", String(PERSON_SEARCH_LENGTH), nullable=False),
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
    # Every title and award a person or collective holds: recorded on the register
    # (id: person id and event version) or decided in Laurel (id: the nomination's).
    Column("id", String(48), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("award_code", String(80), nullable=False),
    Column("year", Integer, nullable=False),
    Column("decision_number", String(300), nullable=False),
    Column("decision_date", String(10), nullable=False),
    Column("issuer", String(300), nullable=False),
    Column("source", String(10), nullable=False),
    Column("nomination_id", String(36)),
    Column("revoked", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

person_nominations = Table(
    "person_nominations",
    metadata,
    # The nominations whose nominee names a person of the register, from their proposal:
    # what a decision on one adds to that person's awards.
    Column("nomination_id", String(36), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("award_code", String(80), nullable=False),
    Column("year", Integer),
)

PEOPLE_TABLES = (people, person_units, person_awards, person_nominations)
