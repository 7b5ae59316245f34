"""Accounts are bound to orgs as DESIGN §5 says; tokens are stored hashed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.auth import AccountError, create_user, issue_token, token_hash, user_for_token
from core.db import db
from core.models import ApiToken, User


@pytest.mark.parametrize("role,org,expected_org", [
    ("county_admin", None, "county-psb"),
    ("station_clerk", "station-530323104", "station-530323104"),
    ("police_officer", None, "county-psb"),
    ("police_officer", "station-530323001", "station-530323001"),
    ("dept_clerk", "dept-health", "dept-health"),
    ("assistant", None, None),
    ("auditor", None, None),
])
def test_roles_bind_to_orgs(app, role, org, expected_org) -> None:  # type: ignore[no-untyped-def]
    user = create_user(db.session, f"u_{role}", role, org, password="pass-word-1")
    db.session.commit()
    assert user.role == role
    assert (user.org.code if user.org else None) == expected_org
    assert user.password and user.password.startswith("$argon2")


@pytest.mark.parametrize("role,org,field", [
    ("station_clerk", None, "org"),
    ("dept_clerk", None, "org"),
    ("dept_clerk", "station-530323001", "org"),
    ("station_clerk", "dept-health", "org"),
    ("auditor", "county-psb", "org"),
    ("county_admin", "nosuch-org", "org"),
    ("superuser", None, "role"),
])
def test_wrong_bindings_are_refused_in_chinese(app, role, org, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccountError) as info:
        create_user(db.session, "x", role, org)
    assert info.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.username == "x")) is None


def test_tokens_are_stored_as_hashes(app) -> None:  # type: ignore[no-untyped-def]
    user = create_user(db.session, "tok", "auditor")
    token = issue_token(db.session, user)
    db.session.commit()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash == token_hash(token) and token not in (row.token_hash, row.prefix)
    assert user_for_token(db.session, token).id == user.id
    assert user_for_token(db.session, token + "x") is None


def test_inactive_user_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    user = create_user(db.session, "gone", "auditor")
    token = issue_token(db.session, user)
    user.active = False
    db.session.commit()
    assert user_for_token(db.session, token) is None
