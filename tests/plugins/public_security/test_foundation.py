"""The ground the police's acts stand on: number allocation, document numbers, QR tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.db import db
from plugins.public_security import documents, numbers, verification
from plugins.public_security.models import SerialUse

from .conftest import DANFENG, XIONGBI

D = dt.date(2026, 12, 1)


def test_serials_are_taken_lowest_first_across_ranges_and_skip_used_numbers(ps) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(DANFENG, 20, 21)
    ps.number_range(DANFENG, 10, 12)
    station = ps.station(DANFENG)
    # a blank voided by serial above the cursor is skipped, not reused
    db.session.add(SerialUse(serial=11, range_id=numbers.NumberRange.query.filter_by(start=10).one().id,
                             station_id=station.id, kind="voided", used_on=D, reason="卡面污损"))
    db.session.flush()
    taken = [numbers.take_serial(db.session, station, kind="issued", on=D).serial for _ in range(3)]
    assert taken == [10, 12, 20]


def test_empty_station_is_refused_with_409_code(ps) -> None:  # type: ignore[no-untyped-def]
    ps.number_range(XIONGBI, 1, 1)
    station = ps.station(XIONGBI)
    numbers.take_serial(db.session, station, kind="issued", on=D)
    with pytest.raises(numbers.NoNumbersLeft) as info:
        numbers.take_serial(db.session, station, kind="issued", on=D)
    assert info.value.code == "no_numbers_left" and info.value.http_status == 409
    assert "雄壁派出所" in info.value.message and "第七条" in info.value.message
    assert db.session.scalar(select(func.count()).select_from(SerialUse)) == 1


def test_document_numbers_count_per_station_kind_and_year(ps) -> None:  # type: ignore[no-untyped-def]
    station = ps.station(DANFENG)
    a = documents.next_number(db.session, station, "registration", 2026)
    b = documents.next_number(db.session, station, "registration", 2026)
    c = documents.next_number(db.session, station, "document", 2026)
    d = documents.next_number(db.session, station, "registration", 2027)
    assert (a, b) == ("DJ5303230012026000001", "DJ5303230012026000002")
    assert c == "WS5303230012026000001" and d == "DJ5303230012027000001"


def test_qr_token_round_trip_and_forgery(ps, make_app) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    card = permit.live_card
    token = verification.token_for(card)
    assert verification.serial_of(token) == card.serial
    ok = verification.verify(db.session, token, dt.date(2026, 6, 1))
    assert ok.valid and ok.status == "valid" and ok.masked_name == "张*"
    assert ok.valid_until == dt.date(2027, 1, 15)
    later = verification.verify(db.session, token, dt.date(2027, 1, 16))
    assert later.valid and later.status == "suspended"
    key_id, serial36, seal = token.split(".")
    forged = f"{key_id}.{int(serial36, 36) + 1:x}.{seal}"
    assert verification.verify(db.session, forged, D) == verification.FORGED
    assert verification.verify(db.session, "garbage", D) == verification.FORGED
    card.status = "lost"
    db.session.flush()
    assert not verification.verify(db.session, token, D).valid


def test_cards_signed_with_a_rotated_key_still_verify(ps, make_app) -> None:  # type: ignore[no-untyped-def]
    permit = ps.permit(issued_on=dt.date(2026, 1, 15))
    old_token = verification.token_for(permit.live_card)
    rotated = make_app(JUZHU_QR_KEY="a-new-qr-key", JUZHU_QR_OLD_KEYS="test-qr-key")
    with rotated.app_context():
        assert verification.verify(db.session, old_token, D).valid
        new_token = verification.token_for(db.session.merge(permit.live_card))
        assert new_token.split(".")[0] != old_token.split(".")[0]
    dropped = make_app(JUZHU_QR_KEY="a-new-qr-key")
    with dropped.app_context():
        assert verification.verify(db.session, old_token, D) == verification.FORGED
