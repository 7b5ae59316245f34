"""education tables: the children of holders (随迁子女, 《办法》第十八条（三）).

Revision ID: education_0002
Revises: education_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "education_0002"
down_revision: Union[str, Sequence[str], None] = "education_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('education_child',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("relation IN ('son', 'daughter', 'ward')", name=op.f('ck_education_child_relation')),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_education_child_sex')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_education_child_holder_id_holder')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_education_child')),
    sa.UniqueConstraint('holder_id', 'id_number', name=op.f('uq_education_child_holder_id'))
    )
    op.create_index(op.f('ix_education_child_birth_date'), 'education_child', ['birth_date'], unique=False)
    op.create_index(op.f('ix_education_child_holder_id'), 'education_child', ['holder_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_education_child_holder_id'), table_name='education_child')
    op.drop_index(op.f('ix_education_child_birth_date'), table_name='education_child')
    op.drop_table('education_child')
