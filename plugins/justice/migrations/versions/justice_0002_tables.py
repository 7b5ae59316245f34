"""justice tables: the dated economic situation of holders and the legal-aid application
register (《办法》第十八条（五）).

Revision ID: justice_0002
Revises: justice_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "justice_0002"
down_revision: Union[str, Sequence[str], None] = "justice_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('justice_aid_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('matter', sa.String(length=30), nullable=False),
    sa.Column('means_test_exempt', sa.Boolean(), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('accepted', 'granted', 'refused')", name=op.f('ck_justice_aid_application_status')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_justice_aid_application_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_justice_aid_application_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_justice_aid_application'))
    )
    op.create_index(op.f('ix_justice_aid_application_applied_on'), 'justice_aid_application', ['applied_on'], unique=False)
    op.create_index(op.f('ix_justice_aid_application_holder_id'), 'justice_aid_application', ['holder_id'], unique=False)
    op.create_index(op.f('ix_justice_aid_application_status'), 'justice_aid_application', ['status'], unique=False)
    op.create_table('justice_means',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('monthly_income_per_person', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('monthly_income_per_person IS NULL OR monthly_income_per_person >= 0', name=op.f('ck_justice_means_monthly_income_per_person')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_justice_means_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_justice_means_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_justice_means'))
    )
    op.create_index('justice_means_holder_recorded', 'justice_means', ['holder_id', 'recorded_on'], unique=False)


def downgrade() -> None:
    op.drop_index('justice_means_holder_recorded', table_name='justice_means')
    op.drop_table('justice_means')
    op.drop_index(op.f('ix_justice_aid_application_status'), table_name='justice_aid_application')
    op.drop_index(op.f('ix_justice_aid_application_holder_id'), table_name='justice_aid_application')
    op.drop_index(op.f('ix_justice_aid_application_applied_on'), table_name='justice_aid_application')
    op.drop_table('justice_aid_application')
