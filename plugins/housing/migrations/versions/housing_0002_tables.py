"""housing tables: the dated housing facts of holders and the public-rental-housing
application register (《办法》第十八条（四）).

Revision ID: housing_0002
Revises: housing_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "housing_0002"
down_revision: Union[str, Sequence[str], None] = "housing_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('housing_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('failed_reasons', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('accepted', 'reviewing', 'waiting', 'allocated', 'rejected')", name=op.f('ck_housing_application_status')),
    sa.CheckConstraint('household_size >= 1', name=op.f('ck_housing_application_household_size')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_housing_application_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_housing_application_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_housing_application'))
    )
    op.create_index(op.f('ix_housing_application_applied_on'), 'housing_application', ['applied_on'], unique=False)
    op.create_index(op.f('ix_housing_application_holder_id'), 'housing_application', ['holder_id'], unique=False)
    op.create_index(op.f('ix_housing_application_status'), 'housing_application', ['status'], unique=False)
    op.create_table('housing_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('owns_housing_in_county', sa.Boolean(), nullable=True),
    sa.Column('housing_area_sqm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('insurance_months', sa.Integer(), nullable=True),
    sa.Column('employed', sa.Boolean(), nullable=True),
    sa.Column('monthly_income', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('housing_area_sqm IS NULL OR housing_area_sqm >= 0', name=op.f('ck_housing_facts_housing_area_sqm')),
    sa.CheckConstraint('insurance_months IS NULL OR insurance_months >= 0', name=op.f('ck_housing_facts_insurance_months')),
    sa.CheckConstraint('monthly_income IS NULL OR monthly_income >= 0', name=op.f('ck_housing_facts_monthly_income')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_housing_facts_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_housing_facts_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_housing_facts'))
    )
    op.create_index('housing_facts_holder_recorded', 'housing_facts', ['holder_id', 'recorded_on'], unique=False)


def downgrade() -> None:
    op.drop_index('housing_facts_holder_recorded', table_name='housing_facts')
    op.drop_table('housing_facts')
    op.drop_index(op.f('ix_housing_application_status'), table_name='housing_application')
    op.drop_index(op.f('ix_housing_application_holder_id'), table_name='housing_application')
    op.drop_index(op.f('ix_housing_application_applied_on'), table_name='housing_application')
    op.drop_table('housing_application')
