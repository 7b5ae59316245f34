"""The login form: user-name login, labelled in Chinese (Flask-Security's catalogue has no
translation for "Username")."""

from __future__ import annotations

from typing import Any

from flask_security.forms import LoginForm


class JuzhuLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "username" in self._fields:
            self.username.label.text = "用户名"
