"""Staff accounts (Flask-Security), roles (DESIGN §5) and hashed API tokens."""

from __future__ import annotations

import datetime as dt

from flask_security import RoleMixin, UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db

roles_users = Table(
    "roles_users",
    db.metadata,
    Column("user_id", ForeignKey("user.id"), primary_key=True),
    Column("role_id", ForeignKey("role.id"), primary_key=True),
)


class Role(db.Model, RoleMixin):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))
    permissions: Mapped[str | None] = mapped_column(String(255))

    def __str__(self) -> str:
        return self.description or self.name


class User(db.Model, UserMixin):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    # Staff log in by user name; Flask-Security keeps an email column we do not require.
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    password: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fs_uniquifier: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    roles = relationship("Role", secondary=roles_users, backref="users")
    org = relationship("OrgUnit")

    @property
    def role(self) -> str | None:
        """Each account has exactly one of the six roles (DESIGN §5)."""
        return self.roles[0].name if self.roles else None

    def __str__(self) -> str:
        return self.username


class ApiToken(db.Model):
    """A bearer token, stored as its SHA-256: tokens are 256-bit random, so a fast hash
    suffices (no dictionary to attack) and lookup by hash stays an index probe."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user = relationship("User")


class LoginThrottle(db.Model):
    """Failed logins per user name (lower-cased), kept for names that exist and names that
    do not alike, so a lockout says nothing about who has an account. A row is deleted by a
    successful login or by the county admin's 解锁 action."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # the window's first failure; once locked, the moment of the lock
    window_start: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
