"""public_security: drop the single-column index on registration.holder_id (issue 6)

``(holder_id, registered_on)`` (public_security_0004) answers every look-up by holder that
the single-column index did, so the latter only cost every insert one more index to keep: a
bulk import writes a hundred thousand registrations at a time.

Revision ID: public_security_0005
Revises: public_security_0004
"""

from typing import Sequence, Union

from alembic import op

revision: str = "public_security_0005"
down_revision: Union[str, Sequence[str], None] = "public_security_0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('public_security_registration', schema=None) as batch_op:
        batch_op.drop_index('ix_public_security_registration_holder_id')


def downgrade() -> None:
    with op.batch_alter_table('public_security_registration', schema=None) as batch_op:
        batch_op.create_index('ix_public_security_registration_holder_id', ['holder_id'],
                              unique=False)
