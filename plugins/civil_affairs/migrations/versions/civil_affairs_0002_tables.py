"""civil_affairs tables: elections and voter applications.

Revision ID: civil_affairs_0002
Revises: civil_affairs_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "civil_affairs_0002"
down_revision: Union[str, Sequence[str], None] = "civil_affairs_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('civil_affairs_election',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('registration_closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('village', 'community')", name=op.f('ck_civil_affairs_election_kind')),
    sa.CheckConstraint('registration_closes_on <= held_on', name=op.f('ck_civil_affairs_election_dates')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_civil_affairs_election_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_civil_affairs_election'))
    )
    op.create_index(op.f('ix_civil_affairs_election_division_code'), 'civil_affairs_election', ['division_code'], unique=False)
    op.create_table('civil_affairs_voter_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('approved IS NULL OR approved_on IS NOT NULL', name=op.f('ck_civil_affairs_voter_application_decision_dated')),
    sa.ForeignKeyConstraint(['election_id'], ['civil_affairs_election.id'], name='fk_civil_affairs_voter_application_election'),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_civil_affairs_voter_application_holder_id_holder')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_civil_affairs_voter_application_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_civil_affairs_voter_application')),
    sa.UniqueConstraint('election_id', 'holder_id', name=op.f('uq_civil_affairs_voter_application_election_id'))
    )
    op.create_index(op.f('ix_civil_affairs_voter_application_election_id'), 'civil_affairs_voter_application', ['election_id'], unique=False)
    op.create_index(op.f('ix_civil_affairs_voter_application_holder_id'), 'civil_affairs_voter_application', ['holder_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_civil_affairs_voter_application_holder_id'), table_name='civil_affairs_voter_application')
    op.drop_index(op.f('ix_civil_affairs_voter_application_election_id'), table_name='civil_affairs_voter_application')
    op.drop_table('civil_affairs_voter_application')
    op.drop_index(op.f('ix_civil_affairs_election_division_code'), table_name='civil_affairs_election')
    op.drop_table('civil_affairs_election')
