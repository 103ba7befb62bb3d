"""registry: meter role (green contract, wastewater treatment, waste fate)

Revision ID: registry_0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "registry_0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``meters.role``."""
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "role",
                sa.String(length=32),
                nullable=True,
                comment="What the readings stand for beyond the carrier: a green-power contract (electricity), "
                "treated or untreated wastewater, or a waste meter's fate.",
            )
        )


def downgrade() -> None:
    """Drop ``meters.role``."""
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.drop_column("role")
