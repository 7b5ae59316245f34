"""The access matrix (issue 5): who may use every admin view and API endpoint, and with
which org scoping. A plain data structure, written out by hand: it is the specification the
code is tested against (``tests/security/test_access_matrix.py`` walks every cell through the
real app; a meta-test fails when a view or endpoint exists that this table does not list, or
the table lists one that does not exist). ``docs/security.md`` is rendered from it by
:func:`render_markdown`.

A cell is ``{role: scope}``; a role not named is refused (403; an anonymous caller gets the
login page or 401). ``PUBLIC`` marks what needs no login at all.
"""

from __future__ import annotations

ROLES = ("county_admin", "station_clerk", "police_officer", "dept_clerk", "assistant", "auditor")
ROLE_TITLES = {"county_admin": "县局管理员", "station_clerk": "派出所窗口", "police_officer": "民警",
               "dept_clerk": "部门经办人", "assistant": "协助单位", "auditor": "审计员"}

ALL = "all"                      # every row of the county
STATION = "own station"          # rows of the user's police station only
DEPARTMENT = "own department"    # only the user's own department's menu, API and rows
TOWNSHIP = "own township"        # acts only where the address lies in the station's township
OWN = "own reports"              # only what the user (or its assisting party) reported
PUBLIC = "public"                # no login, no token
SCOPE_TITLES = {ALL: "全县", STATION: "本所", DEPARTMENT: "本部门", TOWNSHIP: "本所辖区",
                OWN: "本人（本单位）报送", PUBLIC: "公开"}

# Admin actions as Flask-Admin names them; "index" is the list (or the page of a custom view).
ACTIONS = ("index", "details", "create", "edit", "delete", "export")

_CA, _SC, _PO, _DC, _AS, _AU = ROLES
_POLICE_READ = {_CA: ALL, _SC: STATION, _PO: ALL, _AU: ALL}
_DEPT = {_CA: ALL, _DC: DEPARTMENT}


def _police(create: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    views = {"index": dict(_POLICE_READ), "details": dict(_POLICE_READ),
             "export": dict(_POLICE_READ)}  # CSV: masked for the auditor, scoped like the list
    if create:
        views["create"] = create
    return views


def _dept(*actions: str) -> dict[str, dict[str, str]]:
    return {action: dict(_DEPT) for action in actions}


# endpoint of the admin view → action → {role: scope}
ADMIN_VIEWS: dict[str, dict[str, dict[str, str]]] = {
    # kernel
    "admin": {"index": {r: ALL for r in ROLES}},
    "holders": {
        # index also gates /admin/holders/lookup/, the forms' look-up by ID number (JSON)
        "index": {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL},
        "details": {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL},
        "create": {_CA: ALL, _SC: ALL},
        "edit": {_CA: ALL},  # facts change through 变更 at the issuing station
        "export": {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL},  # masked for _DC, _AU
    },
    "explanations": {"index": {_CA: ALL, _SC: ALL, _PO: ALL, _AU: ALL}},
    "calendar_days": {
        "index": {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL},
        "details": {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL},
        "create": {_CA: ALL}, "edit": {_CA: ALL}, "delete": {_CA: ALL},
    },
    "org_units": {"index": {_CA: ALL, _AU: ALL}, "details": {_CA: ALL, _AU: ALL},
                  "create": {_CA: ALL}, "edit": {_CA: ALL}},
    "users": {"index": {_CA: ALL}, "details": {_CA: ALL}, "create": {_CA: ALL},
              "edit": {_CA: ALL}},
    "api_tokens": {"index": {_CA: ALL}, "details": {_CA: ALL}},
    "audit_events": {"index": {_CA: ALL, _AU: ALL}, "details": {_CA: ALL, _AU: ALL}},
    "plugins": {"index": {_CA: ALL, _AU: ALL}},
    # 民政 (civil_affairs)
    "civil_affairs_elections": _dept("index", "details", "export", "create"),
    "civil_affairs_voter_applications": _dept("index", "details", "export", "create", "edit"),
    "civil_affairs_parameters": _dept("index", "details", "export", "create"),
    "civil_affairs_explanations": _dept("index"),
    # 教育 (education)
    "education_children": _dept("index", "details", "export", "create"),
    "education_enrolment": _dept("index"),
    "education_parameters": _dept("index", "details", "export", "create"),
    "education_explanations": _dept("index"),
    # 卫生健康 (health)
    "health_services": _dept("index", "details", "export", "create"),
    "health_explanations": _dept("index"),
    # 住房保障 (housing)
    "housing_facts": _dept("index", "details", "export", "create"),
    "housing_applications": _dept("index", "details", "export", "create", "edit"),
    "housing_parameters": _dept("index", "details", "export", "create"),
    "housing_explanations": _dept("index"),
    # 人力资源和社会保障 (human_resources)
    "human_resources_employment": _dept("index", "details", "export", "create", "edit"),
    "human_resources_training": _dept("index", "details", "export", "create"),
    "human_resources_parameters": _dept("index", "details", "export", "create"),
    "human_resources_explanations": _dept("index"),
    # 司法行政 (justice)
    "justice_means": _dept("index", "details", "export", "create"),
    "justice_applications": _dept("index", "details", "export", "create", "edit"),
    "justice_parameters": _dept("index", "details", "export", "create"),
    "justice_explanations": _dept("index"),
    # 公安 (public_security)
    "public_security_registrations": _police({_CA: ALL, _SC: STATION}),
    # 批量导入登记: who registers (POST /registrations) among the police; a clerk's rows must
    # lie in its township
    "public_security_import": {"index": {_CA: ALL, _SC: TOWNSHIP}},
    "public_security_third_party_reports": _police(),
    "public_security_applications": _police({_CA: ALL, _SC: STATION}),
    "public_security_permits": _police(),
    "public_security_cards": _police(),
    "public_security_endorsements": _police({_CA: ALL, _SC: STATION}),
    "public_security_card_reissues": _police(),
    "public_security_address_changes": _police(),
    "public_security_fact_changes": _police(),
    "public_security_number_ranges": _police({_CA: ALL}),
    "public_security_serial_uses": _police(),
    "public_security_voids": _police({_CA: ALL, _SC: STATION}),
    "public_security_stock_issues": _police({_CA: ALL, _SC: STATION}),
    "public_security_stock_counts": _police({_CA: ALL, _SC: STATION}),
    "public_security_reconciliation": {"index": dict(_POLICE_READ)},
    "public_security_overdue": {"index": dict(_POLICE_READ)},
    "public_security_checks": _police(),
}

_READ_HOLDER = {_CA: ALL, _SC: ALL, _PO: ALL, _DC: ALL, _AU: ALL}  # masked for _DC and _AU
_POLICE3 = {_CA: ALL, _SC: ALL, _PO: ALL}
_DEPT_READ = {_CA: ALL, _DC: DEPARTMENT, _AU: ALL}

# (method, URL rule) → {role: scope}, or PUBLIC
API_ENDPOINTS: dict[tuple[str, str], dict[str, str] | str] = {
    # kernel
    ("POST", "/api/v1/holders"): {_CA: ALL, _SC: ALL},
    ("GET", "/api/v1/holders/<int:holder_id>"): dict(_READ_HOLDER),
    ("GET", "/api/v1/holders/<int:holder_id>/entitlements"): dict(_READ_HOLDER),
    ("GET", "/api/v1/holders/<int:holder_id>/entitlements/print"): dict(_READ_HOLDER),
    ("GET", "/api/v1/calendar/working-days"): {r: ALL for r in ROLES},
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    # 民政
    ("POST", "/api/v1/civil_affairs/elections"): dict(_DEPT),
    ("GET", "/api/v1/civil_affairs/elections"): dict(_DEPT_READ),
    ("POST", "/api/v1/civil_affairs/elections/<int:election_id>/applications"): dict(_DEPT),
    ("GET", "/api/v1/civil_affairs/elections/<int:election_id>/applications"): dict(_DEPT_READ),
    ("POST", "/api/v1/civil_affairs/elections/<int:election_id>/applications/"
             "<int:application_id>/decision"): dict(_DEPT),
    ("GET", "/api/v1/civil_affairs/elections/<int:election_id>/voters"): dict(_DEPT_READ),
    # 教育
    ("POST", "/api/v1/education/children"): dict(_DEPT),
    ("GET", "/api/v1/education/holders/<int:holder_id>/children"): dict(_DEPT_READ),
    ("GET", "/api/v1/education/enrolment"): dict(_DEPT_READ),
    # 卫生健康
    ("POST", "/api/v1/health/services"): dict(_DEPT),
    ("GET", "/api/v1/health/holders/<int:holder_id>/services"): dict(_DEPT_READ),
    # 住房保障
    ("PUT", "/api/v1/housing/holders/<int:holder_id>/facts"): dict(_DEPT),
    ("GET", "/api/v1/housing/holders/<int:holder_id>/facts"): dict(_DEPT_READ),
    ("POST", "/api/v1/housing/applications"): dict(_DEPT),
    ("GET", "/api/v1/housing/applications"): dict(_DEPT_READ),
    # 人力资源和社会保障
    ("POST", "/api/v1/human_resources/employment"): dict(_DEPT),
    ("GET", "/api/v1/human_resources/holders/<int:holder_id>/employment"): dict(_DEPT_READ),
    ("POST", "/api/v1/human_resources/training"): dict(_DEPT),
    ("GET", "/api/v1/human_resources/holders/<int:holder_id>/training"): dict(_DEPT_READ),
    # 司法行政
    ("PUT", "/api/v1/justice/holders/<int:holder_id>/means"): dict(_DEPT),
    ("GET", "/api/v1/justice/holders/<int:holder_id>/means"): dict(_DEPT_READ),
    ("GET", "/api/v1/justice/matters"): dict(_DEPT_READ),
    ("POST", "/api/v1/justice/applications"): dict(_DEPT),
    ("GET", "/api/v1/justice/applications"): dict(_DEPT_READ),
    # 公安
    ("POST", "/api/v1/registrations"): {_CA: ALL, _SC: TOWNSHIP, _AS: ALL},
    ("GET", "/api/v1/registrations/<int:registration_id>"): {_CA: ALL, _SC: ALL, _PO: ALL,
                                                              _AS: OWN},
    ("GET", "/api/v1/registrations/<int:registration_id>/receipt"): {
        _CA: ALL, _SC: STATION, _PO: ALL, _AS: OWN},
    ("POST", "/api/v1/third-party-reports"): {_CA: ALL, _SC: ALL, _AS: ALL},
    ("GET", "/api/v1/registrations/overdue"): {_CA: ALL, _SC: STATION, _PO: ALL},
    ("POST", "/api/v1/applications"): {_CA: ALL, _SC: TOWNSHIP},
    ("GET", "/api/v1/applications/<int:application_id>"): {_CA: ALL, _SC: STATION, _PO: ALL},
    ("GET", "/api/v1/applications/<int:application_id>/notice"): {_CA: ALL, _SC: STATION,
                                                                   _PO: ALL},
    ("POST", "/api/v1/number-ranges"): {_CA: ALL},
    ("GET", "/api/v1/number-ranges"): {_CA: ALL, _SC: STATION, _PO: ALL},
    ("POST", "/api/v1/stations/<code>/stock-issues"): {_CA: ALL, _SC: STATION},
    ("POST", "/api/v1/stations/<code>/voids"): {_CA: ALL, _SC: STATION},
    ("POST", "/api/v1/stations/<code>/stock-counts"): {_CA: ALL, _SC: STATION},
    ("GET", "/api/v1/stations/<code>/reconciliation"): {_CA: ALL, _SC: STATION},
    ("GET", "/api/v1/permits/<number>"): dict(_READ_HOLDER),
    ("POST", "/api/v1/permits/<number>/endorsements"): {_CA: ALL, _SC: STATION},
    ("POST", "/api/v1/permits/<number>/replacements"): {_CA: ALL, _SC: STATION},
    ("POST", "/api/v1/permits/<number>/address-changes"): {_CA: ALL, _SC: TOWNSHIP},
    ("POST", "/api/v1/permits/<number>/changes"): {_CA: ALL, _SC: STATION},
    ("POST", "/api/v1/permits/<number>/revocation"): {_CA: ALL},
    ("GET", "/api/v1/permits/<number>/card"): {_CA: ALL, _SC: STATION, _PO: ALL},
    ("POST", "/api/v1/checks"): dict(_POLICE3),
    ("GET", "/api/v1/checks"): dict(_POLICE3),
    ("GET", "/api/v1/verify/<token>"): PUBLIC,
    # public page outside the API (register_pages)
    ("GET", "/verify/<token>"): PUBLIC,
}


def cell(scopes: dict[str, str] | str, role: str) -> str | None:
    """The scope ``role`` has in a cell, or None when refused."""
    if scopes == PUBLIC:
        return PUBLIC
    assert isinstance(scopes, dict)
    return scopes.get(role)


def _row(scopes: dict[str, str] | str) -> str:
    if scopes == PUBLIC:
        return " | ".join(["公开"] * len(ROLES))
    return " | ".join(SCOPE_TITLES[scopes[r]] if r in scopes else "—" for r in ROLES)


def render_markdown() -> str:
    """The two tables of ``docs/security.md`` (between its generated-table markers)."""
    head = "| " + " | ".join(ROLE_TITLES[r] for r in ROLES) + " |"
    sep = "|---|---|" + "---|" * len(ROLES)
    lines = ["### 管理后台（Flask-Admin 视图）", "",
             "| 视图 endpoint | 操作 " + head, sep]
    for endpoint, actions in ADMIN_VIEWS.items():
        for action in ACTIONS:
            if action in actions:
                lines.append(f"| `{endpoint}` | {action} | {_row(actions[action])} |")
    lines += ["", "### HTTP API 与公开页面", "", "| 方法 | URL 规则 " + head, sep]
    for (method, rule), scopes in API_ENDPOINTS.items():
        lines.append(f"| {method} | `{rule}` | {_row(scopes)} |")
    return "\n".join(lines) + "\n"
