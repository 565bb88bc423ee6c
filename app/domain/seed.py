"""Master data every installation starts with: the six districts and the agencies.

Ids are UUIDv5 of a stable code, so every laptop and the server make the same ids.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.vocab import DISTRICTS

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
