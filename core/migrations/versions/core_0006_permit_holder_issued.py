"""The latest permit of a holder on a day, read from an index (issue 6).

``ix_permit_holder_issued`` (holder_id, issued_on, id) replaces ``ix_permit_holder_id``: the
per-holder read (core.engine.permit_state) and the batch's correlated form
(core.batch.latest_permits) walk a holder's permits latest first without a sort, and the
prefix still serves every lookup by holder. Chosen from the query plans in docs/scale.md.

Revision ID: core_0006
Revises: core_0005
"""
from typing import Sequence, Union

from alembic import op

revision: str = "core_0006"
down_revision: Union[str, Sequence[str], None] = "core_0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_permit_holder_issued", "permit", ["holder_id", "issued_on", "id"])
    op.drop_index("ix_permit_holder_id", table_name="permit")


def downgrade() -> None:
    op.create_index("ix_permit_holder_id", "permit", ["holder_id"])
    op.drop_index("ix_permit_holder_issued", table_name="permit")
