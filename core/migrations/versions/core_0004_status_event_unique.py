"""permit_status_event: one event of a kind per permit and day (issue 5)

Two sweeps running at once could both record the same suspension; the unique constraint
makes the second insert skip (ON CONFLICT DO NOTHING in the sweep). Duplicates an older
version may have written are removed first, keeping the earliest row of each.

Revision ID: core_0004
Revises: core_0003
"""
from typing import Sequence, Union

from alembic import op

revision: str = "core_0004"
down_revision: Union[str, Sequence[str], None] = "core_0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(
        'DELETE FROM permit_status_event WHERE id NOT IN ('
        'SELECT min(id) FROM permit_status_event GROUP BY permit_id, status, "on")')
    with op.batch_alter_table('permit_status_event', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_permit_status_event_permit_id'), ['permit_id', 'status', 'on'])


def downgrade() -> None:
    with op.batch_alter_table('permit_status_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_permit_status_event_permit_id'), type_='unique')
