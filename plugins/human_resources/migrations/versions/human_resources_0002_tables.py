"""human_resources tables: employment records and the training / employment-service register.

Revision ID: human_resources_0002
Revises: human_resources_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "human_resources_0002"
down_revision: Union[str, Sequence[str], None] = "human_resources_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('human_resources_employment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('employer', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('insured', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_human_resources_employment_dates')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_human_resources_employment_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_human_resources_employment_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_human_resources_employment'))
    )
    op.create_index(op.f('ix_human_resources_employment_holder_id'), 'human_resources_employment', ['holder_id'], unique=False)
    op.create_table('human_resources_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('skills_training', 'job_guidance', 'job_referral', 'exam_registration')", name=op.f('ck_human_resources_training_kind')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_human_resources_training_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_human_resources_training_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_human_resources_training'))
    )
    op.create_index(op.f('ix_human_resources_training_holder_id'), 'human_resources_training', ['holder_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_human_resources_training_holder_id'), table_name='human_resources_training')
    op.drop_table('human_resources_training')
    op.drop_index(op.f('ix_human_resources_employment_holder_id'), table_name='human_resources_employment')
    op.drop_table('human_resources_employment')
