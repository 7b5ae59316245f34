"""The OpenAPI document names who may act on the police's routes, including the routes that
check roles in the view (after the facts that are invalid whoever sends them)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path, method, roles", [
    ("/api/v1/registrations", "post", ["assistant", "county_admin", "station_clerk"]),
    ("/api/v1/third-party-reports", "post", ["assistant", "county_admin", "station_clerk"]),
    ("/api/v1/number-ranges", "post", ["county_admin"]),
    ("/api/v1/permits/{number}/address-changes", "post", ["county_admin", "station_clerk"]),
])
def test_x_roles_are_the_roles_that_may_act(client, path, method, roles) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").json
    assert doc["paths"][path][method]["x-roles"] == roles


def test_a_role_that_may_not_act_gets_422_for_invalid_facts_then_403(api, users) -> None:  # type: ignore[no-untyped-def]
    _, dept = users("dept_clerk", "dept-education")
    reversed_range = api("POST", "/number-ranges", dept,
                         json={"station": "station-530323001", "start": 10, "end": 1})
    assert reversed_range.status_code == 422 and reversed_range.json["error"] == "range_reversed"
    fine = api("POST", "/number-ranges", dept,
               json={"station": "station-530323001", "start": 1, "end": 10})
    assert fine.status_code == 403
