"""Master data administrators edit (issue 16), task completion dates, and the 実績報告's indexes.

- ``school_zone`` (小学校区 per district) and ``issue_category`` (課題の分類) as synced master
  tables, seeded with fixed ids (UUIDv5 of the code, as the server seeds them): the issue
  categories' codes are the former fixed list's, so existing cases keep their meaning.
- ``agency.default_organiser``: the agency a meeting's pledges are addressed to when the
  meeting names no organiser (set by an administrator).
- ``role_assignment.completed_on``: the day a task was done; existing done tasks get none
  (the day is not known), so a report counts them as done but not as done on time.
- Covering indexes the 実績報告 reads alone (no table page is decrypted for it).

The seed rows are frozen here as app/domain/seed.py (``master_seed_rows``) made them when this
revision was written (tests/core/test_migrations.py compares them).

Revision ID: 0013
Revises: 0012
"""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- frozen from app/domain/seed.py and app/domain/vocab.py (ISSUE_CATEGORY) -----------------
_NAMESPACE = uuid.UUID("6f1c6a52-3d0e-4c52-9a57-2f0b7e0c1a10")
_SEED_TIME = "2026-01-01 00:00:00.000000"
_SCHOOL_ZONES: dict[str, tuple[str, ...]] = {
    "chuo": ("難波小", "西小", "明城小", "竹谷小"),
    "oda": ("杭瀬小", "長洲小", "金楽寺小", "下坂部小", "小田北小"),
    "osho": ("大庄小", "浜小", "成徳小", "大島小", "明倫小"),
    "tachibana": ("立花小", "七松小", "水堂小", "尾浜小", "立花南小"),
    "muko": ("武庫小", "武庫東小", "武庫庄小", "武庫南小", "常陽小"),
    "sonoda": ("園田小", "園田東小", "園田南小", "上坂部小", "園和小"),
}
_ISSUE_CATEGORIES: dict[str, tuple[str, str]] = {
    "health_disability": ("健康・障害", "Health / disability"),
    "housing": ("住まい", "Housing"),
    "income": ("収入・生活費", "Income / living costs"),
    "rent_loans": ("家賃・ローン", "Rent / loans"),
    "tax_utilities": ("税金・公共料金", "Taxes / utilities"),
    "debt": ("借金", "Debt"),
    "work": ("仕事", "Work"),
    "relationships": ("家族・近隣関係", "Family / neighbour relations"),
    "childcare": ("子育て", "Childcare"),
    "caregiving": ("介護", "Caregiving"),
    "hikikomori": ("ひきこもり・不登校", "Hikikomori / school refusal"),
    "dv_abuse": ("DV・虐待", "DV / abuse"),
    "no_food": ("食べるものがない", "No food"),
    "other": ("その他", "Other"),
}


def _seed_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{code}"))


def master_seed_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    common = {"created_at": _SEED_TIME, "updated_at": _SEED_TIME, "version": 1, "deleted": 0}
    zones = []
    n = 0
    for dcode, names in _SCHOOL_ZONES.items():
        for i, name in enumerate(names):
            code = f"{dcode}-{i + 1:02d}"
            zones.append({"id": _seed_id("school_zone", code), "code": code, "name": name,
                          "district_id": _seed_id("district", dcode), "sort_order": n,
                          "active": True} | common)  # fmt: skip
            n += 1
    categories = [
        {"id": _seed_id("issue_category", code), "code": code, "name": ja, "name_en": en,
         "sort_order": i, "active": True} | common
        for i, (code, (ja, en)) in enumerate(_ISSUE_CATEGORIES.items())
    ]  # fmt: skip
    return [("school_zone", zones), ("issue_category", categories)]


def _synced() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "school_zone",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kana", sa.String(length=120), nullable=True),
        sa.Column("district_id", sa.String(length=36), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["district_id"], ["district.id"], name=op.f("fk_school_zone_district_id_district")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_zone")),
        sa.UniqueConstraint("code", name=op.f("uq_school_zone_code")),
    )
    op.create_table(
        "issue_category",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_category")),
        sa.UniqueConstraint("code", name=op.f("uq_issue_category_code")),
    )
    # A plain ADD COLUMN: a batch copy of ``agency`` would drop a table other rows refer to.
    op.add_column(
        "agency",
        sa.Column("default_organiser", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("role_assignment", sa.Column("completed_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_case_report", "case",
        ["district_id", "opened_on", "closed_on", "status", "deleted", "issue_categories"],
    )  # fmt: skip
    op.create_index("ix_case_id_district", "case", ["id", "district_id", "deleted"])
    op.create_index(
        "ix_contact_record_report", "contact_record", ["contact_at", "case_id", "kind", "deleted"]
    )
    op.create_index(
        "ix_referral_report", "referral",
        ["referral_date", "case_id", "status", "to_agency_id", "reply_date", "deleted"],
    )  # fmt: skip
    op.create_index(
        "ix_role_assignment_report", "role_assignment",
        ["due_date", "case_id", "done", "completed_on", "deleted"],
    )  # fmt: skip
    for table, rows in master_seed_rows():
        for row in rows:
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            stmt = sa.text(f'INSERT OR IGNORE INTO "{table}" ({cols}) VALUES ({marks})')
            op.execute(stmt.bindparams(**row))


def downgrade() -> None:
    for name, table in (
        ("ix_role_assignment_report", "role_assignment"), ("ix_referral_report", "referral"),
        ("ix_contact_record_report", "contact_record"), ("ix_case_id_district", "case"),
        ("ix_case_report", "case"),
    ):  # fmt: skip
        op.drop_index(name, table_name=table)
    # SQLite's own DROP COLUMN (3.35+): a batch copy of ``agency`` would drop a table that
    # staff, cases and referrals refer to, which fails with the foreign keys on.
    op.drop_column("role_assignment", "completed_on")
    op.drop_column("agency", "default_organiser")
    op.drop_table("issue_category")
    op.drop_table("school_zone")
