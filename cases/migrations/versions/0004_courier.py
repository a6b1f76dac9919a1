"""courier: shipment attempt, carrier reference, proof location, reconciliation marks;
one-time pickup codes

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
# "0003" when REVIEW's migration lands first (the chain is fixed at merge)
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("carrier_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("proof_key", sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column("reconciled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("needs_resubscribe", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index("ix_shipments_tracking", ["carrier", "tracking_number"])
    op.create_table(
        "pickup_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_enc", sa.LargeBinary(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("pickup_codes", schema=None) as batch_op:
        batch_op.create_index("ix_pickup_codes_application_id", ["application_id"])


def downgrade() -> None:
    with op.batch_alter_table("pickup_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_pickup_codes_application_id")
    op.drop_table("pickup_codes")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_tracking")
        batch_op.drop_column("needs_resubscribe")
        batch_op.drop_column("reconciled_at")
        batch_op.drop_column("proof_key")
        batch_op.drop_column("carrier_ref")
        batch_op.drop_column("attempt")
