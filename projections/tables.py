"""Read-model tables (SQLAlchemy Core). They can be dropped and rebuilt from the events
at any time (the consumers' positions are ``infrastructure.positions``)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)

from projections.search import MAX_QUERY, TASK_SEARCH_LENGTH

metadata = MetaData()

nominations = Table(
    "nominations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_code", String(16), nullable=False, unique=True),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("proposer", String(120), nullable=False),
    Column("award_code", String(80), nullable=False),
    Column("nominee_name", String(300), nullable=False),
    Column("nominee_kind", String(20), nullable=False),
    Column("nominee", JSON, nullable=False),
    Column("achievements", Text, nullable=False),
    Column("documents", JSON, nullable=False),
    Column("policy_version", String(40), nullable=False),
    Column("route", JSON, nullable=False),
    Column("procedure", String(20), nullable=False),
    Column("proposal_id", String(36), index=True),
    Column("dossier_version", Integer, nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("current_level", String(30)),
    Column("current_unit_id", String(120)),
    Column("open_task_id", String(36)),
    Column("due_at", DateTime(timezone=True)),
    Column("reminded", Boolean, nullable=False, default=False),
    Column("overdue", Boolean, nullable=False, default=False),
    Column("escalated", Boolean, nullable=False, default=False),
    Column("notice_until", DateTime(timezone=True)),
    Column("objections_pending", Integer, nullable=False, default=0),
    Column("decision", JSON(none_as_null=True)),
    Column("withdrawal", JSON(none_as_null=True)),
    Column("revocation", JSON(none_as_null=True)),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # The year the achievements belong to, the nominee in the register (None: named
    # only), the councils' approvals so far, and the latest eligibility verdict recorded
    # (both languages) with the reason given to go on despite a failed rule, if any.
    Column("year", Integer),
    Column("person_id", String(36), index=True),
    Column("approvals", Integer, nullable=False, default=0),
    Column("eligibility", JSON(none_as_null=True)),
    Column("override_reason", Text, nullable=False, default=""),
    # The latest return's reason (a code of the policy's catalogue; None: none given) and
    # the lower form a decider granted instead of the award proposed (None: as proposed).
    Column("return_reason", String(60)),
    Column("granted_award", String(80)),
    # The work inside a level before its council: the latest consultation of agencies,
    # with their answers, and appraisal by the board (``projections.nominations._inside``).
    Column("inside_level", JSON(none_as_null=True)),
    # The kind of commendation (Law Art. 8) and the movement it was proposed in, if any.
    Column("commendation_type", String(20), nullable=False, default="merit"),
    Column("movement_id", String(36), index=True),
    # The day of the decision on it (ISO; None before one): what the year's figures and
    # lists count by (``api.reads.reports``).
    Column("decision_date", String(10)),
    # What it rests on beyond its dossier: a cluster's ranking ({cluster_id, year, rank,
    # score, unit_id}) for a flag proposed from one.
    Column("basis", JSON(none_as_null=True)),
    Index("ix_nominations_decided", "status", "decision_date"),
    # What a quota counts: a unit's nominations of an award for a year.
    Index("ix_nominations_quota", "unit_id", "award_code", "year"),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("nomination_id", String(36), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("level", String(30), nullable=False),
    Column("unit_id", String(120), nullable=False),
    Column("award_code", String(80), nullable=False),
    Column("nominee_name", String(300), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("reminded", Boolean, nullable=False, default=False),
    Column("overdue", Boolean, nullable=False, default=False),
    Column("escalated", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False),
    Column("outcome", String(30)),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", String(120)),
    # Who holds the task (claimed or assigned; None: no one) and since when.
    Column("assignee", String(120)),
    Column("assigned_at", DateTime(timezone=True)),
    Column("search", String(TASK_SEARCH_LENGTH), nullable=False, default=""),
    # The inbox: a unit's open tasks in due order, kind read from the index, so a page
    # stops after its rows and the count never touches the table; a search (the folded
    # ``search`` searched for the query, ``projections.search``) reads the index alone too.
    Index("ix_tasks_open_by_due", "unit_id", "status", "due_at", "id", "kind", "search"),
)

history = Table(
    "history",
    metadata,
    # On SQLite an INTEGER key is the row id itself: no second B-tree to keep.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("nomination_id", String(36), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("actor_unit", String(120), nullable=False),
    Column("level", String(30)),
    Column("unit_id", String(120)),
    Column("data", JSON, nullable=False),
)

_BYTEWISE = String(MAX_QUERY, collation="C").with_variant(String(MAX_QUERY), "sqlite")
"""Compared by code point (SQLite's own order), so that a prefix is a range of the index."""

search_terms = Table(
    "search_terms",
    metadata,
    # What a nomination is found by (``projections.search``): its tracking code, the
    # nominee's name from each of its words on, and its decision number, folded. A search
    # is a range of terms in each unit the caller may see; the time of proposal and the
    # prefix shared with an earlier term (each nomination found is counted once) ride in
    # the key's index (SQLite: a table without row ids is its key's B-tree), so that the
    # matches are counted and sorted newest first from the index alone.
    Column("unit_id", String(120), nullable=False),
    Column("term", _BYTEWISE, nullable=False),
    Column("nomination_id", String(36), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("shared_prefix", SmallInteger, nullable=False),
    PrimaryKeyConstraint("unit_id", "term", "nomination_id",
                         postgresql_include=["proposed_at", "shared_prefix"]),
    sqlite_with_rowid=False,
)

task_terms = Table(
    "task_terms",
    metadata,
    # What an open task is found by in its unit's inbox (``projections.search``): the
    # terms of its nomination's tracking code and nominee's name, made as the
    # nomination's are, while the task is open. A search is a range of terms in one unit;
    # the kind, the due date and the prefix shared with an earlier term ride in the key's
    # index, so that the unit's open tasks found are counted and sorted by due date from
    # the index alone, however many the unit has (its inbox's index was read whole for
    # each search: 30,000 open tasks of a province, at 10⁶ nominations).
    Column("unit_id", String(120), nullable=False),
    Column("term", _BYTEWISE, nullable=False),
    Column("task_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("shared_prefix", SmallInteger, nullable=False),
    PrimaryKeyConstraint("unit_id", "term", "task_id",
                         postgresql_include=["kind", "due_at", "shared_prefix"]),
    sqlite_with_rowid=False,
)

READ_MODELS = (nominations, tasks, history, search_terms, task_terms)

DEFERRABLE_INDEXES = [index for table in READ_MODELS for index in table.indexes
                      if list(index.columns) != [tasks.c.nomination_id]]
"""What a rebuild builds at its end (``drop_read_models``): every index but the one it
reads a nomination's tasks by. Primary keys and unique columns are always there."""
