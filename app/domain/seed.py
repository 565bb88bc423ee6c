"""Master data every installation starts with: the six districts and the agencies (laptops:
migration 0002), the 小学校区 and the issue categories (migration 0013).

Ids are UUIDv5 of a stable code, so every laptop and the server make the same ids.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.vocab import DISTRICTS, ISSUE_CATEGORY

NAMESPACE = uuid.UUID("6f1c6a52-3d0e-4c52-9a57-2f0b7e0c1a10")
SEED_TIME = "2026-01-01 00:00:00.000000"


def seed_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{code}"))


# (code, name, kind)
AGENCIES: list[tuple[str, str, str]] = [
    ("suishin", "重層的支援推進担当課", "internal"),
    ("hwc_south", "保健福祉センター（南部）", "internal"),
    ("hwc_north", "保健福祉センター（北部）", "internal"),
    ("fukushi", "福祉局", "internal"),
    ("hoken", "保健局", "internal"),
    ("kodomo", "こども青少年局", "internal"),
    ("shisan", "資産統括局（税務）", "internal"),
    ("toshi", "都市整備局（住宅）", "internal"),
    ("keizai", "経済環境局", "internal"),
    ("kyoiku", "教育委員会（スクールソーシャルワーカー）", "internal"),
    ("chiiki", "地域課", "internal"),
    ("houkatsu", "地域包括支援センター", "partner"),
    ("shakyo", "社会福祉協議会", "partner"),
    ("kouken", "成年後見等支援センター", "partner"),
    ("bengoshi", "弁護士会", "partner"),
    ("hogo", "保護観察所・保護司会", "partner"),
    ("doubutsu", "動物愛護センター", "partner"),
    ("iryou", "医療介護連携支援センター", "partner"),
    ("hikikomori", "ひきこもり支援センター", "partner"),
    ("npo", "NPO法人（つながり支援プロジェクト）", "partner"),
    ("kodomo_shokudo", "こども食堂ネットワーク", "partner"),
]


# district code -> its 小学校区 (the names persons' records use; administrators edit the list).
SCHOOL_ZONES: dict[str, tuple[str, ...]] = {
    "chuo": ("難波小", "西小", "明城小", "竹谷小"),
    "oda": ("杭瀬小", "長洲小", "金楽寺小", "下坂部小", "小田北小"),
    "osho": ("大庄小", "浜小", "成徳小", "大島小", "明倫小"),
    "tachibana": ("立花小", "七松小", "水堂小", "尾浜小", "立花南小"),
    "muko": ("武庫小", "武庫東小", "武庫庄小", "武庫南小", "常陽小"),
    "sonoda": ("園田小", "園田東小", "園田南小", "上坂部小", "園和小"),
}


def district_id(code: str) -> str:
    return seed_id("district", code)


def agency_id(code: str) -> str:
    return seed_id("agency", code)


def seed_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    common = {"created_at": SEED_TIME, "updated_at": SEED_TIME, "version": 1, "deleted": 0}
    districts = [
        {"id": district_id(code), "code": code, "name": name, "kana": kana, "sort_order": i}
        | common
        for i, (code, name, kana) in enumerate(DISTRICTS)
    ]
    agencies = [
        {"id": agency_id(code), "code": code, "name": name, "kind": kind} | common
        for code, name, kind in AGENCIES
    ]
    return [("district", districts), ("agency", agencies)]


def school_zone_code(district: str, i: int) -> str:
    return f"{district}-{i + 1:02d}"


def master_seed_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows laptops get from migration 0013 (frozen there): 小学校区 and issue categories.
    The categories' codes are the former fixed list's, so existing cases keep their meaning."""
    common = {"created_at": SEED_TIME, "updated_at": SEED_TIME, "version": 1, "deleted": 0}
    zones = []
    n = 0
    for dcode, names in SCHOOL_ZONES.items():
        for i, name in enumerate(names):
            code = school_zone_code(dcode, i)
            zones.append({"id": seed_id("school_zone", code), "code": code, "name": name,
                          "district_id": district_id(dcode), "sort_order": n, "active": True}
                         | common)  # fmt: skip
            n += 1
    categories = [
        {"id": seed_id("issue_category", code), "code": code, "name": ja, "name_en": en,
         "sort_order": i, "active": True} | common
        for i, (code, (ja, en)) in enumerate(ISSUE_CATEGORY.items())
    ]  # fmt: skip
    return [("school_zone", zones), ("issue_category", categories)]


def all_seed_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    """Everything the server seeds (``yorisoi-server migrate``)."""
    return seed_rows() + master_seed_rows()
