"""Run a raw multi-statement SQL script inside a revision.

asyncpg's prepared statements accept one command each; its simple-query path (``execute``
without arguments) runs a whole script, inside the migration's transaction.
"""

from alembic import context, op
from sqlalchemy.util import await_only


def run_sql(script: str) -> None:
    if context.is_offline_mode():
        op.execute(script)
        return
    driver_connection = op.get_bind().connection.driver_connection
    await_only(driver_connection.execute(script))
