"""Holders (《办法》第四条) and their residence history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db

# GB 3304-1991 names of China's nationalities, plus the two extra entries of the standard.
ETHNICITIES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 "
    "其他 外国血统中国籍人士"
).split()
SEXES = {"male": "男", "female": "女"}


class Holder(db.Model):
    __tablename__ = "holder"
    __table_args__ = (
        # The admin's name-prefix search (core/admin/search.py): a range on SQLite, LIKE
        # 'term%' on PostgreSQL, whose pattern opclass serves it under any collation.
        Index("ix_holder_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # 100 code points: names may hold rare GB 18030 characters outside the BMP.
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(6))
    ethnicity: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    photo: Mapped[str | None] = mapped_column(String(255))
    hukou_address: Mapped[str] = mapped_column(String(255))
    hukou_division_code: Mapped[str] = mapped_column(String(12))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    residences: Mapped[list["Residence"]] = relationship(
        back_populates="holder", order_by="Residence.from_date", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.name


class Residence(db.Model):
    __tablename__ = "residence"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id"), index=True)
    address: Mapped[str] = mapped_column(String(255))
    division_code: Mapped[str] = mapped_column(String(12))
    from_date: Mapped[dt.date] = mapped_column(Date)
    to_date: Mapped[dt.date | None] = mapped_column(Date)

    holder: Mapped[Holder] = relationship(back_populates="residences")
