"""reframe pipeline: videos and their steps

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import vidlens.storage.tables

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reframe_videos",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("media_id", sa.String(length=36), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("charge_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", vidlens.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", vidlens.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reframe_videos", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reframe_videos_account", ["account_id", "created_at"], unique=False
        )
    op.create_table(
        "reframe_steps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("video_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=50), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("output_key", sa.String(length=500), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("created_at", vidlens.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", vidlens.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["video_id"], ["reframe_videos.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("video_id", "step", name="uq_reframe_step"),
    )


def downgrade() -> None:
    op.drop_table("reframe_steps")
    with op.batch_alter_table("reframe_videos", schema=None) as batch_op:
        batch_op.drop_index("ix_reframe_videos_account")
    op.drop_table("reframe_videos")
