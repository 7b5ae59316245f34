"""The login form: user-name login, labelled in Chinese (Flask-Security's catalogue has no
translation for "Username")."""

from __future__ import annotations

from typing import Any

from flask_security.forms import LoginForm, username_validator


class JuzhuLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "username" in self._fields:
            self.username.label.text = "用户名"
            # Flask-Security's username_validator is a sign-up rule (letters and digits only,
            # 4-32 characters). Our accounts are made by `juzhu user create` and the 用户
            # admin view, which accept any name up to 80 characters ("station_clerk1",
            # "张三", the demo account "edu"), so at login it refused real users with an
            # untranslated "Username can contain only letters and numbers". Login only
            # looks the name up (a bound parameter), so look it up as it was stored.
            self.username.validators = [v for v in self.username.validators
                                        if v is not username_validator]
            if isinstance(self.username.data, str):
                self.username.data = self.username.data.strip()
