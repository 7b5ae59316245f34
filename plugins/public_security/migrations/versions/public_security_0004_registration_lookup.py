"""public_security: one index for "the holder's latest registration" (issue 6)

Every application reads the holder's latest registration on or before the day it is
accepted (第十三条). With single-column indexes PostgreSQL walked the registered_on index
backwards filtering by holder (3.3 s an application at a million registrations, for a holder
id newer than its statistics); ``(holder_id, registered_on)`` answers it in one descent.

Revision ID: public_security_0004
Revises: public_security_0003
"""

from typing import Sequence, Union

from alembic import op

revision: str = "public_security_0004"
down_revision: Union[str, Sequence[str], None] = "public_security_0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('public_security_registration', schema=None) as batch_op:
        batch_op.create_index('public_security_registration_holder_latest',
                              ['holder_id', 'registered_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('public_security_registration', schema=None) as batch_op:
        batch_op.drop_index('public_security_registration_holder_latest')
