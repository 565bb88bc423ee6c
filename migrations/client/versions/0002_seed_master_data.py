"""Seed the six districts and the agencies of the city's shared support system.

Ids are fixed (UUIDv5 of the code) so every laptop and the server agree on them. The rows are
frozen here as app/domain/seed.py made them when this revision was written: a later change to
the live seed (which the server still seeds from) needs a migration of its own.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# --- frozen from app/domain/seed.py and app/domain/vocab.py (DISTRICTS) ----------------------
_NAMESPACE = uuid.UUID("6f1c6a52-3d0e-4c52-9a57-2f0b7e0c1a10")
_SEED_TIME = "2026-01-01 00:00:00.000000"
# (code, name, kana)
_DISTRICTS: list[tuple[str, str, str]] = [
    ("chuo", "中央", "ちゅうおう"),
    ("oda", "小田", "おだ"),
    ("osho", "大庄", "おおしょう"),
    ("tachibana", "立花", "たちばな"),
    ("muko", "武庫", "むこ"),
    ("sonoda", "園田", "そのだ"),
]
# (code, name, kind)
_AGENCIES: list[tuple[str, str, str]] = [
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


def _seed_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{code}"))


def seed_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    common = {"created_at": _SEED_TIME, "updated_at": _SEED_TIME, "version": 1, "deleted": 0}
    districts = [
        {"id": _seed_id("district", code), "code": code, "name": name, "kana": kana}
        | {"sort_order": i}
        | common
        for i, (code, name, kana) in enumerate(_DISTRICTS)
    ]
    agencies = [
        {"id": _seed_id("agency", code), "code": code, "name": name, "kind": kind} | common
        for code, name, kind in _AGENCIES
    ]
    return [("district", districts), ("agency", agencies)]


def upgrade() -> None:
    for table, rows in seed_rows():
        for row in rows:
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            stmt = sa.text(f'INSERT OR IGNORE INTO "{table}" ({cols}) VALUES ({marks})')
            op.execute(stmt.bindparams(**row))


def downgrade() -> None:
    for table, rows in reversed(seed_rows()):
        for row in rows:
            op.execute(sa.text(f'DELETE FROM "{table}" WHERE id = :id').bindparams(id=row["id"]))
