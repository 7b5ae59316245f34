"""Pure rules of 《办法》 and the standards it relies on.

Every function here is a pure function of its facts and, where time matters, an explicit
``as_of`` date: nothing reads the clock, the database or the configuration. Refusals are
:class:`RuleError` with a field, a machine code, a Chinese message and the legal basis.
"""

from __future__ import annotations

from .divisions import (
    PROVINCE_CODES,
    Classification,
    CountyProfile,
    Township,
    check_division_code,
    classify_floating,
)
from .errors import RuleError
from .idcard import CitizenId, check_id_agrees, id_check_char, parse_id_number
from .masking import COMPOUND_SURNAMES, mask_id_number, mask_name, mask_phone
from .periods import add_months, add_years, age_on
from .permit_dates import (
    ENDORSEMENT_WINDOW_DAYS,
    MEASURES_EXPIRE_ON,
    EndorsementResult,
    Status,
    Window,
    WindowNotOpen,
    endorse,
    endorsement_window,
    measures_warning,
    permit_status,
    residence_eligible_from,
    valid_until_for,
)
from .workdays import (
    DayInfo,
    Deadline,
    OfficialCalendar,
    add_working_days,
    day_info,
    is_on_time,
    statutory_holidays,
)

__all__ = [
    # errors
    "RuleError",
    # idcard
    "CitizenId",
    "parse_id_number",
    "check_id_agrees",
    "id_check_char",
    # divisions
    "PROVINCE_CODES",
    "Township",
    "CountyProfile",
    "Classification",
    "check_division_code",
    "classify_floating",
    # periods
    "add_months",
    "add_years",
    "age_on",
    # workdays
    "OfficialCalendar",
    "DayInfo",
    "Deadline",
    "day_info",
    "statutory_holidays",
    "add_working_days",
    "is_on_time",
    # permit dates
    "ENDORSEMENT_WINDOW_DAYS",
    "MEASURES_EXPIRE_ON",
    "Status",
    "Window",
    "EndorsementResult",
    "WindowNotOpen",
    "residence_eligible_from",
    "valid_until_for",
    "endorsement_window",
    "permit_status",
    "endorse",
    "measures_warning",
    # masking
    "COMPOUND_SURNAMES",
    "mask_id_number",
    "mask_phone",
    "mask_name",
]
