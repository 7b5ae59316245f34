"""API blueprints: one decorator gives a route its token check, input validation, role
check, transaction and OpenAPI entry, so plugins' endpoints behave like the kernel's.

Order of checks (DESIGN §5): no or bad token → 401; invalid input → 422 (even for a role
that could not have acted); role not allowed → 403; then the view, which may 403 on org
scope, 404, 409 or 422 on a rule.
"""

from __future__ import annotations

import functools
import inspect
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from flask import Blueprint, g, redirect, request, url_for
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from core.db import db
from core.http.errors import ApiError
from core.http.schema import translate
from core.rules.errors import RuleError

ALL_ROLES = frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk",
                       "assistant", "auditor"})


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    roles: frozenset[str] | None  # None = public
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    responses: dict[int, type[BaseModel] | str | None]
    errors: tuple[int, ...]
    description: str = ""
    tags: list[str] = field(default_factory=list)


def bearer_user() -> Any:
    """The user of the request's bearer token; 401 when missing, unknown, expired, revoked."""
    from core.auth import user_for_token  # late: auth imports flask_security

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401)
    user = user_for_token(db.session, token.strip())
    if user is None:
        raise ApiError(401, message="访问令牌无效、已过期或已撤销")
    g.api_user = user
    return user


def _parse_body(model: type[BaseModel]) -> BaseModel:
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "invalid_json", "请求体不是合法的 JSON（UTF-8）",
                       {"_body": ["请求体不是合法的 JSON（UTF-8）"]}) from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_json", "请求体应为 JSON 对象", {"_body": ["请求体应为 JSON 对象"]})
    return _validate(model, data)


def _parse_query(model: type[BaseModel]) -> BaseModel:
    return _validate(model, dict(request.args.items()))


def _validate(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """Validate with `model`; a failure is one 422 listing every field's Chinese message."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = translate(model, exc)
        raise ApiError(422, "invalid_input", "输入有误：" + "；".join(
            m for msgs in fields.values() for m in msgs), fields) from None


def _respond(result: Any) -> Any:
    status = 200
    if isinstance(result, tuple):
        result, status = result
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json", exclude_none=False)
    if isinstance(result, (dict, list)):
        return result, status
    return result


class ApiBlueprint(Blueprint):
    """A blueprint mounted under /api/v1 whose routes are declared with :meth:`route_api`."""

    def __init__(self, name: str, import_name: str, url_prefix: str = "",
                 tags: Iterable[str] = (), **blueprint_options: Any) -> None:
        # blueprint_options: e.g. template_folder for a plugin's print views.
        super().__init__(name, import_name, url_prefix=url_prefix or None, **blueprint_options)
        self.operations: list[Operation] = []
        self.tags = list(tags)

    def route_api(
        self, rule: str, *, method: str = "GET", summary: str,
        roles: Iterable[str] | None = ALL_ROLES, public: bool = False,
        body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
        responses: dict[int, type[BaseModel] | str | None] | None = None,
        errors: Iterable[int] = (), description: str = "", roles_checked_in_view: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``roles_checked_in_view``: the view itself refuses other roles (403) after checking
        facts that make the input invalid whoever sends it (an address outside the county:
        422 even for a role that could not have acted, DESIGN §5). ``roles`` still documents
        who may act in the OpenAPI ``x-roles``."""
        role_set = None if public else frozenset(roles or ())
        unknown = (role_set or frozenset()) - ALL_ROLES
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)} on {rule}")

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            wants_user = "user" in inspect.signature(fn).parameters

            @functools.wraps(fn)
            def view(**path: Any) -> Any:
                user = None if public else bearer_user()
                kwargs: dict[str, Any] = dict(path)
                if body is not None:
                    kwargs["body"] = _parse_body(body)
                if query is not None:
                    kwargs["query"] = _parse_query(query)
                if role_set is not None and not roles_checked_in_view \
                        and user.role not in role_set:
                    raise ApiError(403)
                if wants_user:
                    kwargs["user"] = user
                try:
                    return _respond(fn(**kwargs))
                except RuleError as err:
                    db.session.rollback()
                    # A rule refusing a state (window not open, no numbers left) sets
                    # http_status = 409 on its class; bad input stays 422.
                    raise ApiError.from_rule(err, getattr(err, "http_status", 422)) from None
                except Exception:
                    db.session.rollback()  # nothing half-written
                    raise

            self.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
            self.operations.append(Operation(
                rule=rule, method=method.upper(), endpoint=f"{self.name}.{fn.__name__}",
                summary=summary, roles=role_set, body=body, query=query,
                responses=responses or {200: None}, errors=tuple(errors),
                description=description or (fn.__doc__ or "").strip(), tags=self.tags,
            ))
            return view

        return decorate

    def route_page(
        self, rule: str, *, summary: str, roles: Iterable[str] = ALL_ROLES,
        description: str = "",
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """A printable HTML page (notice, receipt, card) that an API answer hands out.

        DESIGN §5: such URLs serve the same bearer token as the API call that produced them,
        and also a logged-in admin session (the clerk clicks the link). With neither, a browser
        is sent to the login page and a program gets 401. The view receives ``user``.
        """
        role_set = frozenset(roles)

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(fn)
            def view(**path: Any) -> Any:
                if request.headers.get("Authorization"):
                    user = bearer_user()
                elif current_user and current_user.is_authenticated and current_user.active:
                    user = current_user._get_current_object()
                elif "text/html" in request.headers.get("Accept", ""):  # a browser, not */*
                    return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
                else:
                    raise ApiError(401)
                if user.role not in role_set:
                    raise ApiError(403)
                return fn(user=user, **path)

            self.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=["GET"])
            self.operations.append(Operation(
                rule=rule, method="GET", endpoint=f"{self.name}.{fn.__name__}", summary=summary,
                roles=role_set, body=None, query=None, responses={200: "text/html"},
                errors=(404,), description=description or (fn.__doc__ or "").strip(),
                tags=self.tags,
            ))
            return view

        return decorate
