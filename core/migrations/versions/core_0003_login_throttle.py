"""login_throttle: failed logins per user name, for the lockout (issue 5)

Revision ID: core_0003
Revises: core_0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "core_0003"
down_revision: Union[str, Sequence[str], None] = "core_0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle'))
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
