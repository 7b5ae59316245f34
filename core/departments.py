"""The department gate of the department plugins' JSON APIs (《办法》第二十条: each department
serves within its own duties) and the ID numbers their answers show.

A department clerk acts only for the own department; the county admin and the auditor are not
bound to one (the blueprint's ``roles`` say what they may do). Masking of ID numbers in the
answers is ``core.api.shown_id_number``.
"""

from __future__ import annotations

from typing import Any, Iterable

from core.http.errors import ApiError


def own_department(user: Any, department: str, title: str,
                   roles: Iterable[str] | None = None) -> None:
    """403 unless ``user`` may act for the department with org code ``department`` (shown as
    ``title`` in the Chinese message): a ``dept_clerk`` of another department (or of none) is
    refused. ``roles``, for a view declared ``roles_checked_in_view``, are the roles that may
    act at all; another role gets the plain 403 first."""
    if roles is not None and user.role not in roles:
        raise ApiError(403)
    if user.role == "dept_clerk" and (user.org is None or user.org.code != department):
        raise ApiError(403, message=f"仅县{title}部门的工作人员和县局管理员可以查看或办理（《办法》第二十条）")

