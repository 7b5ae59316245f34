"""parameter_value: department-entered values of dated parameters (DESIGN §4)

Revision ID: core_0002
Revises: core_0001
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "core_0002"
down_revision: Union[str, Sequence[str], None] = "core_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('parameter_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_parameter_value_entered_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parameter_value')),
    sa.UniqueConstraint('name', 'start_on', name='uq_parameter_value_name_start')
    )


def downgrade() -> None:
    op.drop_table('parameter_value')
