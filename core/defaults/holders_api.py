"""POST /holders and GET /holders/{id} (DESIGN §5)."""

from __future__ import annotations

from typing import Literal

from flask import Flask
from pydantic import Field

from core.admin.views.holders import log_holder_view
from core.api import (ApiBlueprint, ApiError, In, IsoDate, Out, db, field, hookimpl,
                      sees_personal_data, today)
from core.auth import ROLES
from core.holders import DuplicateIdNumber, HolderFacts, create_holder
from core.models import Holder
from core.rules import mask_id_number, mask_phone

B4 = "《办法》第四条"


class HolderIn(In):
    name: str = field("姓名", B4, min_length=1, max_length=100)
    sex: Literal["male", "female"] = field("性别", B4)
    ethnicity: str = field("民族", B4, min_length=1, max_length=20)
    birth_date: IsoDate = field("出生日期", B4)
    id_number: str = field("公民身份号码", B4, min_length=1, max_length=18)
    hukou_address: str = field("常住户口所在地住址", B4, min_length=1, max_length=255)
    hukou_division_code: str = field("户籍区划代码", B4, min_length=6, max_length=12)
    phone: str | None = field("联系电话", max_length=20, default=None)


class HolderOut(Out):
    id: int
    name: str
    sex: Literal["male", "female"]
    ethnicity: str
    birth_date: IsoDate
    id_number: str = Field(description="非公安角色看到的是脱敏号码")
    hukou_address: str
    hukou_division_code: str
    phone: str | None
    masked: bool = Field(description="id_number 与 phone 是否已脱敏")


def holder_out(holder: Holder, role: str | None) -> HolderOut:
    full = bool(role and ROLES[role].sees_personal_data)
    return HolderOut(
        id=holder.id, name=holder.name, sex=holder.sex, ethnicity=holder.ethnicity,
        birth_date=holder.birth_date,
        id_number=holder.id_number if full else mask_id_number(holder.id_number),
        hukou_address=holder.hukou_address, hukou_division_code=holder.hukou_division_code,
        phone=holder.phone if full else mask_phone(holder.phone), masked=not full,
    )


def blueprint() -> ApiBlueprint:
    bp = ApiBlueprint("core_holders", __name__, tags=["持证人"])

    @bp.route_api("/holders", method="POST", summary="登记持证人基本信息（第四条）",
                  roles={"county_admin", "station_clerk"}, body=HolderIn,
                  responses={201: HolderOut}, errors=(409,))
    def create(body: HolderIn, user):  # type: ignore[no-untyped-def]
        try:
            holder = create_holder(db.session, HolderFacts(**body.model_dump()), as_of=today(),
                                   actor=user)
        except DuplicateIdNumber as err:
            raise ApiError(409, err.code, err.message, {"id_number": [err.message]},
                           holder_id=err.holder_id) from None
        db.session.commit()
        return holder_out(holder, user.role), 201

    @bp.route_api("/holders/<int:holder_id>", summary="查询持证人",
                  roles={"county_admin", "station_clerk", "police_officer", "dept_clerk",
                         "auditor"}, responses={200: HolderOut}, errors=(404,))
    def read(holder_id: int, user):  # type: ignore[no-untyped-def]
        holder = db.session.get(Holder, holder_id)
        if holder is None:
            raise ApiError(404, "holder_not_found", f"持证人 {holder_id} 不存在")
        if not sees_personal_data(user.role):
            log_holder_view(holder.id, user)  # the access log: a non-police role's view
        return holder_out(holder, user.role)

    return bp


@hookimpl
def register_api(app: Flask):  # type: ignore[no-untyped-def]
    return [blueprint()]
