"""The one error body of the API: {"error", "message" (Chinese), "fields"} (DESIGN §5)."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.rules.errors import RuleError

MESSAGES = {
    400: ("bad_request", "请求无效"),
    401: ("unauthorized", "未提供或无效的访问令牌（Authorization: Bearer <令牌>）"),
    403: ("forbidden", "当前角色或所属单位无权执行此操作"),
    404: ("not_found", "资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "与当前状态冲突"),
    413: ("too_large", "请求体过大"),
    422: ("invalid_input", "输入有误"),
    500: ("internal_error", "服务器内部错误，已记录"),
}


PAGE_TITLES = {400: "请求无效", 403: "无权访问", 404: "页面不存在", 405: "不支持的请求方法",
               413: "上传内容过大"}


class ApiError(Exception):
    """Raise anywhere inside an API view; becomes the error body with `status`."""

    def __init__(self, status: int, error: str | None = None, message: str | None = None,
                 fields: dict[str, list[str]] | None = None, **extra: Any) -> None:
        default_error, default_message = MESSAGES.get(status, ("error", "错误"))
        super().__init__(message or default_message)
        self.status = status
        self.error = error or default_error
        self.message = message or default_message
        self.fields = fields or {}
        self.extra = extra

    @classmethod
    def from_rule(cls, err: RuleError, status: int = 422, **extra: Any) -> "ApiError":
        extra = {**{k: v for k, v in vars(err).items()
                    if k not in {"field", "code", "message", "basis", "args"}}, **extra}
        return cls(status, err.code, err.message, {err.field: [err.message]}, **extra)

    def body(self) -> dict[str, Any]:
        out = {"error": self.error, "message": self.message, "fields": self.fields}
        for key, value in self.extra.items():
            out[key] = value.isoformat() if hasattr(value, "isoformat") else value
        return out

    def response(self):  # type: ignore[no-untyped-def]
        resp = jsonify(self.body())
        resp.status_code = self.status
        return resp


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def install(app: Flask) -> None:
    app.register_error_handler(ApiError, lambda e: e.response())

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        if is_api_request():
            return ApiError(exc.code or 500).response()
        if exc.code is None or exc.code < 400 or exc.response is not None:
            return exc
        title = PAGE_TITLES.get(exc.code, "出错了")
        message = "表单已过期或缺少安全令牌，请刷新页面后重试。" if isinstance(exc, CSRFError) \
            else MESSAGES.get(exc.code, ("", "请求无法处理"))[1]
        return render_template("juzhu/error.html", title=title, message=message), exc.code

    @app.errorhandler(Exception)
    def _crash(exc: Exception):  # type: ignore[no-untyped-def]
        if isinstance(exc, HTTPException):
            return _http(exc)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            return ApiError(500).response()
        return render_template("juzhu/error.html", title="服务器内部错误",
                               message="服务器内部错误，已记录。"), 500
