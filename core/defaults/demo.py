"""The kernel's part of `juzhu init --demo`: one account per role and a few holders.

Demo accounts share one password (printed by `init --demo --print-logins`); they are for a
demonstration database, never for production.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core.api import hookimpl
from core.auth import create_user
from core.holders import HolderFacts, create_holder
from core.photos import photo_folder
from core.profile import Profile
from core.rules import id_check_char

DEMO_PASSWORD = "juzhu-demo-2026"

DEMO_USERS = (
    ("admin", "county_admin", None, "县局管理员"),
    ("danfeng", "station_clerk", "station-530323001", "丹凤派出所窗口"),
    ("xiongbi", "station_clerk", "station-530323102", "雄壁派出所窗口"),
    ("police", "police_officer", None, "县局民警"),
    ("edu", "dept_clerk", "dept-education", "教育体育局"),
    ("housing", "dept_clerk", "dept-housing", "住建局"),
    ("health", "dept_clerk", "dept-health", "卫健局"),
    ("hrss", "dept_clerk", "dept-hrss", "人社局"),
    ("justice", "dept_clerk", "dept-justice", "司法局"),
    ("civil", "dept_clerk", "dept-civil-affairs", "民政局"),
    ("landlord", "assistant", None, "房屋出租人"),
    ("auditor", "auditor", None, "审计员"),
)

# name, sex, ethnicity, birth date, region code of the ID, hukou address, hukou division code
DEMO_HOLDERS = (
    ("张伟", "male", "汉族", dt.date(1990, 3, 7), "530302", "云南省曲靖市麒麟区南宁街道", "530302001000"),
    ("李娜", "female", "彝族", dt.date(1988, 11, 21), "532101", "云南省红河州个旧市城区", "532501"),
    ("欧阳晓燕", "female", "汉族", dt.date(1995, 6, 30), "360102", "江西省南昌市东湖区", "360102"),
    ("王建国", "male", "壮族", dt.date(1979, 1, 15), "452601", "广西百色市右江区", "451002"),
    ("陈𠀾", "male", "汉族", dt.date(2001, 9, 9), "510104", "四川省成都市锦江区", "510104"),
    ("杨丽", "female", "苗族", dt.date(1992, 2, 29), "530323", "云南省曲靖市师宗县雄壁镇", "530323102000"),
)


def demo_id(region: str, birth: dt.date, seq: int, sex: str) -> str:
    seq = seq * 2 + (1 if sex == "male" else 0)  # 17th digit: odd male, even female
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def demo_photo(seed: str) -> str:
    """Draw a plain silhouette (no real face) into the photo folder; returns its name."""
    import hashlib

    from PIL import Image, ImageDraw

    name = hashlib.sha256(seed.encode()).hexdigest()[:16] + ".png"
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (240, 320), (210, 228, 245))  # 证件照 blue
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 60, 165, 165), fill=(120, 120, 130))
    draw.ellipse((30, 175, 210, 360), fill=(120, 120, 130))
    image.save(folder / name, "PNG")
    return name


@hookimpl
def seed_demo(session: Session, profile: Profile, as_of: dt.date) -> None:
    for username, role, org, _title in DEMO_USERS:
        create_user(session, username, role, org, password=DEMO_PASSWORD)
    for i, (name, sex, eth, birth, region, address, code) in enumerate(DEMO_HOLDERS, start=10):
        holder = create_holder(session, HolderFacts(
            name, sex, eth, birth, demo_id(region, birth, i, sex), address, code, f"139{i:08d}"),
            as_of=as_of)
        holder.photo = demo_photo(holder.id_number)
