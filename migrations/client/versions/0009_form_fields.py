"""Fields the printed forms need (issue 15): on the referral sheet the consultation route, contact
cautions (e.g. 住所秘匿), how the hand-over is arranged and the relationship of a consenting
agent; the addressee an administrator sets on an agency; the agency organising a meeting.

Revision ID: 0009
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERRAL_COLUMNS = (
    ("consult_route", sa.String(20)),
    ("contact_cautions", sa.JSON()),
    ("contact_note", sa.String(200)),
    ("handover", sa.String(20)),
    ("first_meeting_at", sa.DateTime()),
    ("consent_agent_relationship", sa.String(40)),
)


def upgrade() -> None:
    for name, type_ in REFERRAL_COLUMNS:
        op.add_column("referral", sa.Column(name, type_, nullable=True))
    op.add_column("agency", sa.Column("addressee", sa.String(120), nullable=True))
    # ADD COLUMN in place, never a batch copy: attendees and cases refer to the meeting table,
    # and SQLite refuses to drop a referenced table while the foreign keys are on.
    # Alembic writes an added foreign key only by copying the table; plain SQLite DDL adds
    # it in place (the constraint named as the models name it).
    op.execute(
        "ALTER TABLE support_meeting ADD COLUMN organiser_agency_id VARCHAR(36)"
        " CONSTRAINT fk_support_meeting_organiser_agency_id_agency REFERENCES agency (id)"
    )


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), never a batch copy: attendees, cases, staff and
    # referrals refer to these tables, and SQLite refuses to drop a referenced table while the
    # foreign keys are on.
    op.drop_column("support_meeting", "organiser_agency_id")
    op.drop_column("agency", "addressee")
    for name, _ in reversed(REFERRAL_COLUMNS):
        op.drop_column("referral", name)
