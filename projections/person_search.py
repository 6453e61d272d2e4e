"""Finding people in the register: ``person_terms``, what each person is found by, and
the query that reads it (``found_people``).

A person was found by ``LIKE '% form%'`` on a folded ``search`` column of ``people``:
every person of the reader's units read and searched, for each query — 10⁶ people at a
province's scale. Here they are found as nominations are (``projections.search``): one
row for each word of the name, holding the name from that word on, one for the
civil-servant code and one for the national ID, compacted; a query form is a range of
that index in each unit the reader may see, each person counted once
(``shared_prefix``). The name rides along in the key's index, so the matches are counted
and put in the listing's order (name, then id) from the index alone, never read from
``people`` but for the page shown. The semantics are the column's: a phrase starting at
a word of the name, or a form starting the code or the national ID.

The people projector (``projections.people``) tells ``PersonTerms`` of each person it
registers or changes; a person's terms follow their unit, name, code and national ID.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    Column,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    bindparam,
    delete,
    select,
)
from sqlalchemy.engine import Connection

from projections import search
from projections.pending import Write, prepare_insert, prepare_many
from projections.people_tables import people
from projections.queries import _found_once, _found_page, _starting
from projections.search import MAX_QUERY, QueryForms
from projections.tables import metadata

Row = dict[str, Any]

_BYTEWISE = String(MAX_QUERY, collation="C").with_variant(String(MAX_QUERY), "sqlite")
"""Compared by code point (SQLite's own order), so that a prefix is a range of the index."""

person_terms = Table(
    "person_terms",
    metadata,
    # What a person is found by in their unit (``projections.person_search``): the name
    # from each of its words on, the civil-servant code and the national ID, folded. The
    # name (the listing's order) and the prefix shared with an earlier term (each person
    # found is counted once) ride in the key's index (SQLite: a table without row ids is
    # its key's B-tree): a search counts and orders its matches from the index alone.
    Column("unit_id", String(120), nullable=False),
    Column("term", _BYTEWISE, nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("name", String(200), nullable=False),
    Column("shared_prefix", SmallInteger, nullable=False),
    PrimaryKeyConstraint("unit_id", "term", "person_id",
                         postgresql_include=["name", "shared_prefix"]),
    sqlite_with_rowid=False,
)

FoundBy = tuple[str, str, str, str]
"""What a person's terms are made of: unit, name, civil-servant code, national ID."""


def found_by(row: Row) -> FoundBy:
    return (row["unit_id"], row["name"], row["civil_servant_code"], row["national_id"])


def terms_of(name: str, civil_servant_code: str, national_id: str) -> list[search.Term]:
    """The code and the name from each of its words on, as a nomination's tracking code
    and nominee's name are; then the national ID, added as a decision number is (after
    the others, once). Empty ones (a collective has neither code nor ID) are left out."""
    terms = search.nomination_terms(name, civil_servant_code)
    return terms + search.decision_terms(national_id, name, civil_servant_code)


def term_rows(person_id: str, found: FoundBy) -> list[Row]:
    unit_id, name, code, national_id = found
    return [{"unit_id": unit_id, "term": term, "person_id": person_id, "name": name,
             "shared_prefix": shared} for term, shared in terms_of(name, code, national_id)]


_FORGET = delete(person_terms).where(
    person_terms.c.unit_id == bindparam("unit"), person_terms.c.term == bindparam("term_"),
    person_terms.c.person_id == bindparam("person"))


def _key(row: Row) -> tuple[str, str, str]:
    return row["unit_id"], row["term"], row["person_id"]


class PersonTerms:
    """The ``person_terms`` changes of one batch of the people projector: each person
    followed from the first event that touches them (what their stored terms were made
    of, or nothing for one registered in the batch) to their row after the batch, so a
    person registered, corrected and transferred in one batch is written once."""

    def __init__(self) -> None:
        self._before: dict[str, FoundBy | None] = {}
        self._rows: dict[str, Row] = {}

    def follow(self, row: Row, *, stored: bool = True) -> None:
        """Call before an event changes ``row`` (``stored``: its terms are written)."""
        key = row["id"]
        if key not in self._before:
            self._before[key] = found_by(row) if stored else None
        self._rows[key] = row

    def writes(self, conn: Connection) -> list[Write]:
        """Old terms out, then new terms in, in key order (neighbours in the B-tree
        written together); none for a person whose terms did not change."""
        gone: list[Row] = []
        made: list[Row] = []
        for key, before in self._before.items():
            after = found_by(self._rows[key])
            if after == before:
                continue
            if before is not None:
                gone += term_rows(key, before)
            made += term_rows(key, after)
        self._before, self._rows = {}, {}
        writes: list[Write] = []
        if gone:
            writes.append(prepare_many(conn, _FORGET, [
                {"unit": r["unit_id"], "term_": r["term"], "person": r["person_id"]}
                for r in sorted(gone, key=_key)]))
        if made:
            writes.append(prepare_insert(conn, person_terms, sorted(made, key=_key)))
        return writes


_LISTING_ORDER = [people.c.name, people.c.id]


def found_people(conn: Connection, unit_ids: Collection[str], forms: QueryForms, limit: int,
                 offset: int) -> tuple[list[Row], int]:
    """The people of ``unit_ids`` that ``forms`` finds, by name then id (the listing's
    order): each form a range of terms in each unit, counted and paged from the index
    alone, each person once; then the page's rows of ``people``."""
    units = sorted(set(unit_ids))
    if not units:
        return [], 0
    pt = person_terms
    finding = [select(pt.c.person_id, pt.c.name).where(
        pt.c.unit_id.in_(units), *_starting(pt.c.term, form), pt.c.shared_prefix < len(form))
        for form in forms.forms]
    ids = _found_once(conn, finding, lambda hits: [hits[1], hits[0]])
    if ids is None:
        return [], 0
    return _found_page(conn, ids, people, _LISTING_ORDER, limit, offset)
