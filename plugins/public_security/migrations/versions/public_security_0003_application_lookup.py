"""public_security: one index for "the holder's latest issued application" (issue 6)

The entitlement checks of 第十八条（九）至（十一） and 第十九条 read a holder's latest issued
application on every ``GET /holders/{id}/entitlements``. With only single-column indexes,
SQLite (no statistics) chose the outcome index and read every issued application: 230 ms a
request at a million holders. ``(holder_id, outcome, accepted_on)`` answers it from the
index alone, on both engines.

Revision ID: public_security_0003
Revises: public_security_0002
"""

from typing import Sequence, Union

from alembic import op

revision: str = "public_security_0003"
down_revision: Union[str, Sequence[str], None] = "public_security_0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('public_security_application', schema=None) as batch_op:
        batch_op.create_index('public_security_application_holder_issued',
                              ['holder_id', 'outcome', 'accepted_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('public_security_application', schema=None) as batch_op:
        batch_op.drop_index('public_security_application_holder_issued')
