"""Administration workspace: admin sessions, device health reports, audit viewer indexes

Revision ID: 0010
Revises: 0008

- ``admin_session``: an administrator signed in from the desktop workspace holds a session
  token for the admin API, not a device (a password login used to add a device each time).
- ``device``: what the laptop reports at each pull (app and schema version, changes waiting
  to be pushed, refused changes not dismissed) and the reason of a revocation.
- ``server_audit``: one index per viewer filter, each ending in ``id``, so a page (newest
  first, keyset on ``id``) is a short backwards index range scan at any table size; the
  case filter reads ``detail->>'case_id'`` (PostgreSQL only: an expression index on json).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_session",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_admin_session"),
        sa.UniqueConstraint("token_hash", name="uq_admin_session_token_hash"),
    )
    op.create_index("ix_admin_session_user_id", "admin_session", ["user_id"])
    with op.batch_alter_table("device") as b:
        b.add_column(sa.Column("app_version", sa.String(40), nullable=True))
        b.add_column(sa.Column("schema_version", sa.Integer(), nullable=True))
        b.add_column(sa.Column("pending_changes", sa.Integer(), nullable=True))
        b.add_column(sa.Column("rejected_changes", sa.Integer(), nullable=True))
        b.add_column(sa.Column("revoke_reason", sa.String(200), nullable=True))
    op.drop_index("ix_server_audit_user_id", table_name="server_audit")
    op.create_index("ix_server_audit_user_id_id", "server_audit", ["user_id", "id"])
    op.create_index("ix_server_audit_device_id_id", "server_audit", ["device_id", "id"])
    op.create_index("ix_server_audit_action_id", "server_audit", ["action", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_server_audit_case_id_id ON server_audit "
            "((detail->>'case_id'), id)"
        )
        # A case's access history reads the laptops' pushed audit rows by the case's id.
        op.execute(
            "CREATE INDEX ix_record_audit_entity ON record ((data->>'entity_id'), seq) "
            "WHERE table_name = 'audit_event'"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_record_audit_entity")
        op.execute("DROP INDEX ix_server_audit_case_id_id")
    op.drop_index("ix_server_audit_action_id", table_name="server_audit")
    op.drop_index("ix_server_audit_device_id_id", table_name="server_audit")
    op.drop_index("ix_server_audit_user_id_id", table_name="server_audit")
    op.create_index("ix_server_audit_user_id", "server_audit", ["user_id"])
    with op.batch_alter_table("device") as b:
        for name in (
            "revoke_reason", "rejected_changes", "pending_changes", "schema_version", "app_version"
        ):
            b.drop_column(name)
    op.drop_index("ix_admin_session_user_id", table_name="admin_session")
    op.drop_table("admin_session")
