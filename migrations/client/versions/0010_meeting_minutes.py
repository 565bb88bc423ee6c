"""Support meetings run from the app (issue 14): a meeting's start time and whether its
organiser accepts standing pledges; a standing pledge's last day on the attendee; the minutes
of each case on the agenda (discussion, decision); the status of a task (役割分担).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: attendees, cases and pledges refer to the meeting
    # table, and SQLite refuses to drop a referenced table while the foreign keys are on.
    op.add_column("support_meeting", sa.Column("starts_at", sa.String(5), nullable=True))
    op.add_column(
        "support_meeting",
        sa.Column(
            "standing_pledge_allowed", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("meeting_attendee", sa.Column("pledge_valid_until", sa.Date(), nullable=True))
    op.add_column("meeting_case", sa.Column("discussion", sa.Text(), nullable=True))
    op.add_column("meeting_case", sa.Column("decision", sa.Text(), nullable=True))
    op.add_column("role_assignment", sa.Column("status", sa.String(20), nullable=True))
    # Existing tasks: the status their ``done`` flag says.
    op.execute("UPDATE role_assignment SET status = CASE WHEN done THEN 'done' ELSE 'open' END")


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), never a batch copy: other tables refer to these, and
    # SQLite refuses to drop a referenced table while the foreign keys are on.
    op.drop_column("role_assignment", "status")
    op.drop_column("meeting_case", "decision")
    op.drop_column("meeting_case", "discussion")
    op.drop_column("meeting_attendee", "pledge_valid_until")
    op.drop_column("support_meeting", "standing_pledge_allowed")
    op.drop_column("support_meeting", "starts_at")
