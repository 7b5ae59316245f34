"""Helpers the admin tests share: a client logged in through the real login form."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

PASSWORD = "pass-word-1"  # the `users` fixture's default password


def login(site: Any, users: Any, role: str, org: str | None = None) -> Any:
    """A client of ``site`` logged in through the real login form as a new user of ``role``
    (and ``org``); fails with the form's own error when the login is refused."""
    user, _token = users(role, org)
    client = site.test_client()
    r = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 302, re.findall(r'fs-error-msg">([^<]*)', r.text)
    assert urlsplit(r.headers["Location"]).path == "/admin/"
    return client
