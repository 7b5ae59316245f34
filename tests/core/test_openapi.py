"""The OpenAPI document is public and generated from the models that validate requests."""

from __future__ import annotations

from core.defaults.holders_api import HolderIn


def test_openapi_is_public_and_lists_the_kernel_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/holders", "/api/v1/holders/{holder_id}",
            "/api/v1/calendar/working-days"} <= set(doc["paths"])
    post = doc["paths"]["/api/v1/holders"]["post"]
    assert set(post["responses"]) >= {"201", "401", "403", "409", "422"}
    assert post["x-roles"] == ["county_admin", "station_clerk"]
    params = doc["paths"]["/api/v1/calendar/working-days"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"from", "n"}


def test_schema_is_the_validating_model(client) -> None:  # type: ignore[no-untyped-def]
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    published = schemas["HolderIn"]
    assert set(published["required"]) == {n for n, f in HolderIn.model_fields.items()
                                          if f.is_required()}
    assert published["additionalProperties"] is False
    assert published["properties"]["birth_date"]["format"] == "date"
    assert published["properties"]["name"]["title"] == "姓名"
    assert "ErrorBody" in schemas


def test_every_ref_resolves(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").json
    refs: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert refs
    for ref in refs:
        assert ref.split("/")[-1] in doc["components"]["schemas"], ref


def test_schema_names_are_plain_and_unique_across_plugins(client) -> None:  # type: ignore[no-untyped-def]
    """Two plugins' models with one class name would be renamed by pydantic to module paths
    (plugins__x__routes__ApplicationIn): other systems generate clients from these names, so
    every plugin names its models uniquely and the document keeps plain names."""
    names = list(client.get("/api/v1/openapi.json").json["components"]["schemas"])
    assert names and all("__" not in n and "." not in n for n in names), \
        [n for n in names if "__" in n or "." in n]
    assert "ReasonOut" in names  # the kernel's one schema of a reason, shared by plugins
