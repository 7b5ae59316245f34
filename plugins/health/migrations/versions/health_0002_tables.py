"""health tables: the service log of 《办法》第十八条（六）.

Revision ID: health_0002
Revises: health_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "health_0002"
down_revision: Union[str, Sequence[str], None] = "health_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('health_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=100), nullable=False),
    sa.Column('free', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("service IN ('health_records', 'health_education', 'vaccination', 'child_health', 'maternal_health', 'elderly_health', 'chronic_disease', 'mental_disorder', 'tuberculosis', 'tcm_health', 'infectious_disease_report', 'health_supervision', 'family_planning')", name=op.f('ck_health_service_service')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_health_service_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_health_service_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_service'))
    )
    op.create_index(op.f('ix_health_service_holder_id'), 'health_service', ['holder_id'], unique=False)
    op.create_index(op.f('ix_health_service_served_on'), 'health_service', ['served_on'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_health_service_served_on'), table_name='health_service')
    op.drop_index(op.f('ix_health_service_holder_id'), table_name='health_service')
    op.drop_table('health_service')
