"""Every read model's table, the nominations' (``projections.tables``) and the
register's (``projections.people_tables``): what is made, fingerprinted, dropped,
rebuilt and verified as one."""

from __future__ import annotations

from projections.cluster_tables import CLUSTER_TABLES
from projections.decisions import TABLES as DECISION_TABLES
from projections.movements import TABLES as MOVEMENT_TABLES
from projections.notifications import TABLES as NOTIFICATION_TABLES
from projections.people_tables import PEOPLE_TABLES
from projections.person_search import person_terms
from projections.registrations import TABLES as REGISTRATION_TABLES
from projections.tables import DEFERRABLE_INDEXES as NOMINATION_DEFERRABLE_INDEXES
from projections.tables import READ_MODELS as NOMINATION_TABLES

READ_MODELS = (*NOMINATION_TABLES, *PEOPLE_TABLES, person_terms, *DECISION_TABLES,
               *NOTIFICATION_TABLES, *MOVEMENT_TABLES, *REGISTRATION_TABLES, *CLUSTER_TABLES)

DEFERRABLE_INDEXES = [*NOMINATION_DEFERRABLE_INDEXES,
                      *(index for table in PEOPLE_TABLES for index in table.indexes)]
"""Built at a rebuild's end: the register's are never read by while it is rebuilt (its
rows are changed by their primary keys)."""
