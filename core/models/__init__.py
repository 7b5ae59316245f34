"""Kernel tables (DESIGN §2). Plugins own their own tables, prefixed with their name."""

from core.models.org import OrgUnit, ORG_KINDS
from core.models.holder import Holder, Residence, ETHNICITIES
from core.models.permit import Permit, Card, Endorsement, PermitStatusEvent, CARD_STATUSES
from core.models.calendar import CalendarDay
from core.models.audit import AuditEvent, AuditHead
from core.models.user import User, Role, ApiToken, LoginThrottle, roles_users
from core.models.parameter import ParameterValue

__all__ = [
    "OrgUnit", "ORG_KINDS", "Holder", "Residence", "ETHNICITIES", "Permit", "Card",
    "Endorsement", "PermitStatusEvent", "CARD_STATUSES", "CalendarDay", "AuditEvent",
    "AuditHead", "User", "Role", "ApiToken", "LoginThrottle", "roles_users", "ParameterValue",
]
