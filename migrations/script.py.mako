"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

from sqlscript import run_sql

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None

UPGRADE = r"""
"""

DOWNGRADE = r"""
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
