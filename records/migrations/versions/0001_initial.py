"""The question log, feedback and reviews.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("session", sa.String(32), nullable=False, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("measure", sa.String(64)),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(32)),
        sa.Column("declined", sa.Boolean, nullable=False),
        sa.Column("cited", sa.JSON, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("app_version", sa.String(64), nullable=False),
        sa.Column("corpus_hash", sa.String(64), nullable=False),
        sa.Column("user", sa.String(128)),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(32)),
        sa.Column("comment", sa.Text),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(32)),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("measure", sa.String(64)),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("app_version", sa.String(64), nullable=False),
        sa.Column("corpus_hash", sa.String(64), nullable=False),
        sa.Column("user", sa.String(128)),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("feedback_id", sa.Integer, sa.ForeignKey("feedback.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("reviewer", sa.String(128)),
        sa.Column("expected_verdict", sa.String(32)),
        sa.Column("expected_refs", sa.JSON, nullable=False),
        sa.Column("key_facts", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("review")
    op.drop_table("feedback")
    op.drop_table("asked")
