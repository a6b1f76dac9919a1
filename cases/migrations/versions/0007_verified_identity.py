"""verified identity: a citizen's real-name identity on the account (name, encrypted ID
number and its lookup digest, which provider verified it and when)

Revision ID: 0007
Revises: 0005 (re-chained onto 0006 at merge)
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("identity_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("identity_id_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("identity_id_digest", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("identity_provider", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("identity_verified_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_users_identity_id_digest", "users", ["identity_id_digest"])


def downgrade() -> None:
    op.drop_index("ix_users_identity_id_digest", table_name="users")
    with op.batch_alter_table("users") as batch:
        for name in (
            "identity_verified_at",
            "identity_provider",
            "identity_id_digest",
            "identity_id_enc",
            "identity_name",
        ):
            batch.drop_column(name)
