"""Run the alembic migrations programmatically (the SQL lives in migrations/versions)."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config

from service.config import MIGRATIONS_DIR


def alembic_config(dsn: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", dsn.replace("%", "%%"))
    return config


def _run(action: str, dsn: str, revision: str) -> None:
    getattr(command, action)(alembic_config(dsn), revision)


async def upgrade(dsn: str, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (in a thread: alembic runs its own event loop)."""
    await asyncio.to_thread(_run, "upgrade", dsn, revision)


async def downgrade(dsn: str, revision: str = "base") -> None:
    await asyncio.to_thread(_run, "downgrade", dsn, revision)
