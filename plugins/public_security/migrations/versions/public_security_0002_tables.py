"""public_security tables: registrations, applications, numbers and stock, re-issues, changes,
checks, document sequences.

Revision ID: public_security_0002
Revises: public_security_0001
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "public_security_0002"
down_revision: Union[str, Sequence[str], None] = "public_security_0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('public_security_document_sequence',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_document_sequence_station_id_org_unit')),
    sa.PrimaryKeyConstraint('station_id', 'kind', 'year', name=op.f('pk_public_security_document_sequence'))
    )
    op.create_table('public_security_number_range',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.BigInteger(), nullable=False),
    sa.Column('end', sa.BigInteger(), nullable=False),
    sa.Column('next_free', sa.BigInteger(), nullable=False),
    sa.Column('allocated_on', sa.Date(), nullable=False),
    sa.Column('allocated_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.CheckConstraint('start >= 1 AND "end" >= start', name=op.f('ck_public_security_number_range_bounds')),
    sa.ForeignKeyConstraint(['allocated_by_id'], ['user.id'], name=op.f('fk_public_security_number_range_allocated_by_id_user')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_number_range_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_number_range')),
    sa.UniqueConstraint('end', name=op.f('uq_public_security_number_range_end')),
    sa.UniqueConstraint('start', name=op.f('uq_public_security_number_range_start'))
    )
    op.create_index('public_security_number_range_station_start', 'public_security_number_range', ['station_id', 'start'], unique=False)
    op.create_table('public_security_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_number', sa.String(length=24), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('residence_address', sa.String(length=255), nullable=False),
    sa.Column('residence_division_code', sa.String(length=12), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('floating_reason', sa.String(length=255), nullable=False),
    sa.Column('residence_id', sa.Integer(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reporter_org_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_public_security_registration_holder_id_holder')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_public_security_registration_reported_by_id_user')),
    sa.ForeignKeyConstraint(['reporter_org_id'], ['org_unit.id'], name=op.f('fk_public_security_registration_reporter_org_id_org_unit')),
    sa.ForeignKeyConstraint(['residence_id'], ['residence.id'], name=op.f('fk_public_security_registration_residence_id_residence')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_registration_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_registration')),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_public_security_registration_receipt_number'))
    )
    op.create_index(op.f('ix_public_security_registration_holder_id'), 'public_security_registration', ['holder_id'], unique=False)
    op.create_index(op.f('ix_public_security_registration_registered_on'), 'public_security_registration', ['registered_on'], unique=False)
    op.create_index(op.f('ix_public_security_registration_station_id'), 'public_security_registration', ['station_id'], unique=False)
    op.create_table('public_security_stock_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('counted_on', sa.Date(), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('counted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_public_security_stock_count_on_hand')),
    sa.ForeignKeyConstraint(['counted_by_id'], ['user.id'], name=op.f('fk_public_security_stock_count_counted_by_id_user')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_stock_count_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_stock_count'))
    )
    op.create_index(op.f('ix_public_security_stock_count_station_id'), 'public_security_stock_count', ['station_id'], unique=False)
    op.create_table('public_security_stock_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=50), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('serial_from', sa.BigInteger(), nullable=False),
    sa.Column('serial_to', sa.BigInteger(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('serial_to >= serial_from AND quantity >= 1', name=op.f('ck_public_security_stock_issue_serials')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_public_security_stock_issue_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_stock_issue_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_stock_issue'))
    )
    op.create_index(op.f('ix_public_security_stock_issue_station_id'), 'public_security_stock_issue', ['station_id'], unique=False)
    op.create_table('public_security_third_party_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_kind', sa.String(length=10), nullable=False),
    sa.Column('reporter_name', sa.String(length=100), nullable=False),
    sa.Column('holder_id_number', sa.String(length=18), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('contract_date', sa.Date(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('premises_address', sa.String(length=255), nullable=True),
    sa.Column('premises_division_code', sa.String(length=12), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("reporter_kind IN ('employer', 'landlord', 'agency')", name=op.f('ck_public_security_third_party_report_reporter_kind')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_public_security_third_party_report_holder_id_holder')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_public_security_third_party_report_reported_by_id_user')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_third_party_report_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_third_party_report'))
    )
    op.create_index(op.f('ix_public_security_third_party_report_holder_id'), 'public_security_third_party_report', ['holder_id'], unique=False)
    op.create_index(op.f('ix_public_security_third_party_report_holder_id_number'), 'public_security_third_party_report', ['holder_id_number'], unique=False)
    op.create_index(op.f('ix_public_security_third_party_report_station_id'), 'public_security_third_party_report', ['station_id'], unique=False)
    op.create_table('public_security_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=24), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('materials', sa.JSON(), nullable=False),
    sa.Column('applicant', sa.String(length=10), nullable=False),
    sa.Column('agent_id_number', sa.String(length=18), nullable=True),
    sa.Column('limited_mobility', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("outcome IN ('issued', 'incomplete', 'ineligible')", name=op.f('ck_public_security_application_outcome')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_public_security_application_accepted_by_id_user')),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_public_security_application_holder_id_holder')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_public_security_application_permit_id_permit')),
    sa.ForeignKeyConstraint(['registration_id'], ['public_security_registration.id'], name='fk_public_security_application_registration'),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_application_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_application')),
    sa.UniqueConstraint('document_number', name=op.f('uq_public_security_application_document_number'))
    )
    op.create_index(op.f('ix_public_security_application_holder_id'), 'public_security_application', ['holder_id'], unique=False)
    op.create_index(op.f('ix_public_security_application_outcome'), 'public_security_application', ['outcome'], unique=False)
    op.create_index(op.f('ix_public_security_application_station_id'), 'public_security_application', ['station_id'], unique=False)
    op.create_table('public_security_card_reissue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('old_card_id', sa.Integer(), nullable=True),
    sa.Column('new_card_id', sa.Integer(), nullable=False),
    sa.Column('old_card_returned', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('lost', 'damaged', 'change', 'address_change')", name=op.f('ck_public_security_card_reissue_reason')),
    sa.ForeignKeyConstraint(['new_card_id'], ['card.id'], name=op.f('fk_public_security_card_reissue_new_card_id_card')),
    sa.ForeignKeyConstraint(['old_card_id'], ['card.id'], name=op.f('fk_public_security_card_reissue_old_card_id_card')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_public_security_card_reissue_permit_id_permit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_public_security_card_reissue_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_card_reissue_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_card_reissue'))
    )
    op.create_index(op.f('ix_public_security_card_reissue_permit_id'), 'public_security_card_reissue', ['permit_id'], unique=False)
    op.create_index(op.f('ix_public_security_card_reissue_station_id'), 'public_security_card_reissue', ['station_id'], unique=False)
    op.create_table('public_security_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('permit_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('result', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.CheckConstraint("action IN ('none', 'detain', 'release')", name=op.f('ck_public_security_check_action')),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_public_security_check_card_id_card')),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], name=op.f('fk_public_security_check_officer_id_user')),
    sa.ForeignKeyConstraint(['org_id'], ['org_unit.id'], name=op.f('fk_public_security_check_org_id_org_unit')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_public_security_check_permit_id_permit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_check'))
    )
    op.create_index(op.f('ix_public_security_check_card_id'), 'public_security_check', ['card_id'], unique=False)
    op.create_index(op.f('ix_public_security_check_org_id'), 'public_security_check', ['org_id'], unique=False)
    op.create_index(op.f('ix_public_security_check_permit_id'), 'public_security_check', ['permit_id'], unique=False)
    op.create_table('public_security_serial_use',
    sa.Column('serial', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('range_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('issued', 'voided')", name=op.f('ck_public_security_serial_use_kind')),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_public_security_serial_use_card_id_card')),
    sa.ForeignKeyConstraint(['range_id'], ['public_security_number_range.id'], name='fk_public_security_serial_use_range'),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_serial_use_station_id_org_unit')),
    sa.ForeignKeyConstraint(['used_by_id'], ['user.id'], name=op.f('fk_public_security_serial_use_used_by_id_user')),
    sa.PrimaryKeyConstraint('serial', name=op.f('pk_public_security_serial_use')),
    sa.UniqueConstraint('card_id', name=op.f('uq_public_security_serial_use_card_id'))
    )
    op.create_index(op.f('ix_public_security_serial_use_range_id'), 'public_security_serial_use', ['range_id'], unique=False)
    op.create_index(op.f('ix_public_security_serial_use_station_id'), 'public_security_serial_use', ['station_id'], unique=False)
    op.create_table('public_security_address_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('old_station_id', sa.Integer(), nullable=False),
    sa.Column('new_station_id', sa.Integer(), nullable=False),
    sa.Column('old_residence_id', sa.Integer(), nullable=True),
    sa.Column('new_residence_id', sa.Integer(), nullable=False),
    sa.Column('reissue_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['new_residence_id'], ['residence.id'], name=op.f('fk_public_security_address_change_new_residence_id_residence')),
    sa.ForeignKeyConstraint(['new_station_id'], ['org_unit.id'], name=op.f('fk_public_security_address_change_new_station_id_org_unit')),
    sa.ForeignKeyConstraint(['old_residence_id'], ['residence.id'], name=op.f('fk_public_security_address_change_old_residence_id_residence')),
    sa.ForeignKeyConstraint(['old_station_id'], ['org_unit.id'], name=op.f('fk_public_security_address_change_old_station_id_org_unit')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_public_security_address_change_permit_id_permit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_public_security_address_change_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['reissue_id'], ['public_security_card_reissue.id'], name='fk_public_security_address_change_reissue'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_address_change'))
    )
    op.create_index(op.f('ix_public_security_address_change_new_station_id'), 'public_security_address_change', ['new_station_id'], unique=False)
    op.create_index(op.f('ix_public_security_address_change_permit_id'), 'public_security_address_change', ['permit_id'], unique=False)
    op.create_table('public_security_fact_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('reissue_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['holder.id'], name=op.f('fk_public_security_fact_change_holder_id_holder')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_public_security_fact_change_permit_id_permit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_public_security_fact_change_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['reissue_id'], ['public_security_card_reissue.id'], name='fk_public_security_fact_change_reissue'),
    sa.ForeignKeyConstraint(['station_id'], ['org_unit.id'], name=op.f('fk_public_security_fact_change_station_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_security_fact_change'))
    )
    op.create_index(op.f('ix_public_security_fact_change_holder_id'), 'public_security_fact_change', ['holder_id'], unique=False)
    op.create_index(op.f('ix_public_security_fact_change_permit_id'), 'public_security_fact_change', ['permit_id'], unique=False)
    op.create_index(op.f('ix_public_security_fact_change_station_id'), 'public_security_fact_change', ['station_id'], unique=False)


def downgrade() -> None:
    op.drop_table('public_security_fact_change')
    op.drop_table('public_security_address_change')
    op.drop_table('public_security_serial_use')
    op.drop_table('public_security_check')
    op.drop_table('public_security_card_reissue')
    op.drop_table('public_security_application')
    op.drop_table('public_security_third_party_report')
    op.drop_table('public_security_stock_issue')
    op.drop_table('public_security_stock_count')
    op.drop_table('public_security_registration')
    op.drop_table('public_security_number_range')
    op.drop_table('public_security_document_sequence')
