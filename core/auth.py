"""Roles, accounts and API tokens (DESIGN §5).

Each account holds exactly one of six roles, bound to an org as §5 says. API tokens are
random 256-bit strings shown once; only their SHA-256 is stored; they expire and can be
revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app, g, has_request_context
from flask_login import current_user
from flask_security import hash_password
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from core import audit
from core.clock import utcnow
from core.models import ApiToken, OrgUnit, Role, User


@dataclass(frozen=True)
class RoleSpec:
    name: str
    title: str  # Chinese
    org_kinds: tuple[str, ...]  # kinds of org the role may be bound to
    org_required: bool
    default_org: str | None = None
    sees_personal_data: bool = False  # full ID numbers and phones (DESIGN §5)


ROLES: dict[str, RoleSpec] = {r.name: r for r in (
    RoleSpec("county_admin", "县局管理员", ("county_psb",), False, "county-psb", True),
    RoleSpec("station_clerk", "派出所民警（窗口）", ("police_station",), True, None, True),
    RoleSpec("police_officer", "民警", ("county_psb", "police_station"), False, "county-psb", True),
    RoleSpec("dept_clerk", "部门经办人", ("department",), True),
    RoleSpec("assistant", "协助单位", ("assisting_party",), False),
    RoleSpec("auditor", "审计员", (), False),
)}
POLICE_ROLES = frozenset({"county_admin", "station_clerk", "police_officer"})


class AccountError(ValueError):
    """A user could not be made as asked; the message is Chinese and names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def ensure_roles(session: Session) -> None:
    have = set(session.scalars(select(Role.name)))
    for spec in ROLES.values():
        if spec.name not in have:
            session.add(Role(name=spec.name, description=spec.title))


def create_user(session: Session, username: str, role: str, org_code: str | None = None,
                password: str | None = None, actor: User | None = None) -> User:
    """Make an account bound to its org (DESIGN §5); audited in the caller's transaction."""
    spec = ROLES.get(role)
    if spec is None:
        raise AccountError("role", f"角色 {role!r} 不存在；可选：{', '.join(ROLES)}")
    if not username or len(username) > 80:
        raise AccountError("username", "用户名不能为空，且不超过 80 个字符")
    # login matches names case-insensitively, so creation must too
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise AccountError("username", f"用户名 {username} 已存在")
    org_code = org_code or spec.default_org
    org = None
    if org_code:
        if not spec.org_kinds:
            raise AccountError("org", f"{spec.title}（{role}）不隶属任何单位，不能指定 --org")
        org = session.scalar(select(OrgUnit).where(OrgUnit.code == org_code))
        if org is None:
            raise AccountError("org", f"单位代码 {org_code} 不存在（先运行 juzhu init）")
        if org.kind not in spec.org_kinds:
            raise AccountError("org", f"{spec.title}（{role}）不能隶属于 {org.name}（{org.kind}）")
    elif spec.org_required:
        raise AccountError("org", f"{spec.title}（{role}）必须用 --org 指定所属单位")
    ensure_roles(session)
    session.flush()
    role_row = session.scalar(select(Role).where(Role.name == role))
    user = User(username=username, active=True, fs_uniquifier=uuid.uuid4().hex, org=org,
                password=hash_password(password) if password else None, roles=[role_row])
    session.add(user)
    session.flush()
    audit.record(session, action="user.create", entity="user", entity_id=user.id, actor=actor,
                 new={"username": username, "role": role, "org": org_code})
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, days: int | None = None,
                actor: User | None = None) -> str:
    """Create an API token for `user`; the plain token is returned once and never stored."""
    token = "jz_" + secrets.token_urlsafe(32)
    days = current_app.config["JUZHU_API_TOKEN_DAYS"] if days is None else days
    now = utcnow()
    row = ApiToken(user=user, token_hash=token_hash(token), prefix=token[:10], created_at=now,
                   expires_at=now + dt.timedelta(days=days) if days else None)
    session.add(row)
    session.flush()
    audit.record(session, action="token.issue", entity="api_token", entity_id=row.id,
                 actor=actor, new={"user": user.username, "prefix": row.prefix,
                                   "expires_at": row.expires_at})
    return token


@cache
def _token_with_user() -> Any:
    # Built once with a placeholder: building it (two joined loads) cost more than running it.
    return (select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
            .options(joinedload(ApiToken.user).joinedload(User.roles),
                     joinedload(ApiToken.user).joinedload(User.org)))


def user_for_token(session: Session, token: str) -> User | None:
    """The active user of an unexpired, unrevoked token, else None. One statement: the
    token, its user, the user's role and org come back joined, because every API request
    pays for this before its own work (the org is what the audit log names)."""
    row = session.scalars(_token_with_user(),
                          {"token_hash": token_hash(token)}).unique().first()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    if not row.user.active:
        return None
    return row.user


def current_actor() -> User | None:
    """The user acting in this request: bearer-token user, else the logged-in one."""
    if not has_request_context():
        return None
    user = g.get("api_user")
    if user is not None:
        return user
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None
