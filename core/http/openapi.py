"""The OpenAPI 3.1 document, generated from the same pydantic models that validate requests
(so the document cannot drift from what the server accepts)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from core import __version__
from core.http.routing import ApiBlueprint, Operation
from core.http.schema import ErrorBody

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_ERROR_TEXT = {401: "未认证", 403: "无权限", 404: "不存在", 409: "状态冲突", 422: "输入有误"}


def _path(prefix: str, rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for conv, name in _CONVERTER.findall(rule):
        schema = {"type": "integer"} if conv == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return prefix + _CONVERTER.sub(r"{\2}", rule), params


def _query_params(model: type[BaseModel], defs: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required,
             "description": prop.get("title", ""), "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def build(app: Flask) -> dict[str, Any]:
    ops: list[tuple[str, Operation]] = []
    for bp_name, bp in app.blueprints.items():
        if isinstance(bp, ApiBlueprint):
            prefix = "/api/v1" + (bp.url_prefix or "")
            ops += [(prefix, op) for op in bp.operations]

    models: set[type[BaseModel]] = {ErrorBody}
    for _, op in ops:
        if op.body:
            models.add(op.body)
        models.update(m for m in op.responses.values() if isinstance(m, type))
    ordered = sorted(models, key=lambda m: (m.__name__, m.__module__))
    refs, top = models_json_schema([(m, "validation") for m in ordered],
                                   ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(top.get("$defs", {}))

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        # pydantic renames models whose class names clash (two plugins' ApplicationIn) to
        # module-qualified names; its own map says which name each model got.
        return dict(refs[(model, "validation")])

    paths: dict[str, dict[str, Any]] = {}
    for prefix, op in ops:
        path, params = _path(prefix, op.rule)
        if op.query:
            params += _query_params(op.query, schemas)
        responses: dict[str, Any] = {}
        for status, model in op.responses.items():
            entry: dict[str, Any] = {"description": "成功"}
            if isinstance(model, type):
                entry["content"] = {"application/json": {"schema": ref(model)}}
            elif isinstance(model, str):  # a media type, e.g. text/html print views
                entry["content"] = {model: {"schema": {"type": "string"}}}
            responses[str(status)] = entry
        errors = set(op.errors) | {422} if (op.body or op.query or "<" in op.rule) else set(op.errors)
        if op.roles is not None:
            errors |= {401, 403}
        for status in sorted(errors):
            responses[str(status)] = {"description": _ERROR_TEXT.get(status, "错误"),
                                      "content": {"application/json": {"schema": ref(ErrorBody)}}}
        operation: dict[str, Any] = {
            "operationId": op.endpoint.replace(".", "_"),
            "summary": op.summary,
            "description": op.description,
            "tags": op.tags,
            "parameters": params,
            "responses": responses,
            "x-roles": sorted(op.roles) if op.roles is not None else ["public"],
        }
        if op.roles is None:
            operation["security"] = []
        if op.body:
            operation["requestBody"] = {"required": True,
                                        "content": {"application/json": {"schema": ref(op.body)}}}
        paths.setdefault(path, {})[op.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {"title": "juzhu 居住证服务接口", "version": __version__,
                 "description": "师宗县居住证平台 JSON 接口。错误体：{error, message, fields}。"},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
