"""Indexes of the admin at scale (issue 6): holder name prefix, audit search, endorsements
by station. Chosen from the query plans in docs/scale.md.

- ``ix_holder_name``: the name-prefix search of every holder-keyed list (a range on SQLite,
  ``LIKE 'term%'`` on PostgreSQL with ``varchar_pattern_ops``, independent of the collation);
- ``ix_audit_event_actor`` / ``_entity_id`` / ``_action``: the audit log's search (exact,
  exact, prefix) without reading the whole log;
- ``ix_endorsement_station_id``: a station clerk's 签注 list is filtered by station.

Revision ID: core_0005
Revises: core_0004
"""
from typing import Sequence, Union

from alembic import op

revision: str = "core_0005"
down_revision: Union[str, Sequence[str], None] = "core_0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_holder_name", "holder", ["name"],
                    postgresql_ops={"name": "varchar_pattern_ops"})
    op.create_index(op.f("ix_audit_event_actor"), "audit_event", ["actor"])
    op.create_index(op.f("ix_audit_event_entity_id"), "audit_event", ["entity_id"])
    op.create_index("ix_audit_event_action", "audit_event", ["action"],
                    postgresql_ops={"action": "varchar_pattern_ops"})
    op.create_index(op.f("ix_endorsement_station_id"), "endorsement", ["station_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_endorsement_station_id"), table_name="endorsement")
    op.drop_index("ix_audit_event_action", table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_entity_id"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_actor"), table_name="audit_event")
    op.drop_index("ix_holder_name", table_name="holder")
