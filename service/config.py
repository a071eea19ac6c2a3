"""Settings, read once from the environment (every variable is listed in the README)."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from service.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


def _source_root() -> Path | None:
    """The repository checkout this package runs from, or None for an installed wheel."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "migrations").is_dir() else None


SOURCE_ROOT = _source_root()
# A checkout keeps its data beside the code; an installed wheel keeps it in the working directory.
PROJECT_ROOT = SOURCE_ROOT or Path.cwd()
# The wheel carries migrations/ and seeds/ inside the package (pyproject.toml maps them there).
MIGRATIONS_DIR = SOURCE_ROOT / "migrations" if SOURCE_ROOT else PACKAGE_DIR / "migrations"
SEEDS_DIR = SOURCE_ROOT / "seeds" if SOURCE_ROOT else PACKAGE_DIR / "seeds"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / ".data"
    db_name: str = "marsad"
    host: str = "127.0.0.1"
    port: int = 8000
    pool_min: int = 1
    pool_max: int = 10  # reads: writes and exports have pools of their own, so they cannot starve reads
    write_pool_max: int = 2
    export_pool_max: int = 2
    pool_timeout_ms: int = 2000  # waiting for a free read or export connection; then 503 + Retry-After
    statement_timeout_ms: int = 5000
    idle_in_transaction_ms: int = 15000  # the server ends a transaction left idle this long
    write_budget_s: int = 120  # how long a write may wait (connection, lock, statements) before a 503
    body_timeout_s: float = 30.0  # a request body must arrive whole within this
    header_timeout_s: float = 10.0  # a request's headers must arrive whole within this (serve)
    limit_concurrency: int = 1000  # open connections + running requests per process (serve), then 503
    log_level: str = "info"
    cors_origins: tuple[str, ...] = ()
    require_read_key: bool = False
    max_body_bytes: int = 1_000_000
    max_text_chars: int = 200_000
    rate_limit_per_minute: int = 600
    auth_failures_per_minute: int = 20
    seeds_dir: Path = SEEDS_DIR
    worker: bool = True
    """``serve`` runs an ingest worker beside the API."""
    worker_concurrency: int = 1
    """Extraction processes of the worker ``serve`` runs."""
    worker_heartbeat: float = 30.0
    """Seconds without a heartbeat after which a worker's queue jobs are taken by another."""
    extract_processes: int = 1
    """Extraction processes of each API process (for POST /v1/sources)."""

    @property
    def embedded(self) -> bool:
        return not self.database_url

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value > 0:
        raise ConfigError(f"{name} must be more than 0, got {value}")
    return value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (MARSAD_* and DATABASE_URL)."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    pool_min = _int(env, "MARSAD_POOL_MIN", defaults.pool_min, minimum=1)
    pool_max = _int(env, "MARSAD_POOL_MAX", defaults.pool_max, minimum=1)
    if pool_max < pool_min:
        raise ConfigError(f"MARSAD_POOL_MAX ({pool_max}) must be >= MARSAD_POOL_MIN ({pool_min})")
    origins = tuple(o.strip() for o in env.get("MARSAD_CORS_ORIGINS", "").split(",") if o.strip())
    return Settings(
        database_url=env.get("DATABASE_URL") or None,
        data_dir=Path(env.get("MARSAD_DATA_DIR") or defaults.data_dir).expanduser().resolve(),
        db_name=env.get("MARSAD_DB_NAME") or defaults.db_name,
        host=env.get("MARSAD_HOST") or defaults.host,
        port=_int(env, "MARSAD_PORT", defaults.port, minimum=0),
        pool_min=pool_min,
        pool_max=pool_max,
        write_pool_max=_int(env, "MARSAD_WRITE_POOL_MAX", defaults.write_pool_max, minimum=1),
        export_pool_max=_int(env, "MARSAD_EXPORT_POOL_MAX", defaults.export_pool_max, minimum=1),
        pool_timeout_ms=_int(env, "MARSAD_POOL_TIMEOUT_MS", defaults.pool_timeout_ms, minimum=1),
        statement_timeout_ms=_int(
            env, "MARSAD_STATEMENT_TIMEOUT_MS", defaults.statement_timeout_ms, minimum=1
        ),
        idle_in_transaction_ms=_int(
            env, "MARSAD_IDLE_IN_TRANSACTION_MS", defaults.idle_in_transaction_ms, minimum=1
        ),
        write_budget_s=_int(env, "MARSAD_WRITE_BUDGET_S", defaults.write_budget_s, minimum=1),
        body_timeout_s=_seconds(env, "MARSAD_BODY_TIMEOUT_S", defaults.body_timeout_s),
        header_timeout_s=_seconds(env, "MARSAD_HEADER_TIMEOUT_S", defaults.header_timeout_s),
        limit_concurrency=_int(env, "MARSAD_LIMIT_CONCURRENCY", defaults.limit_concurrency, minimum=1),
        log_level=(env.get("MARSAD_LOG_LEVEL") or defaults.log_level).lower(),
        cors_origins=origins,
        require_read_key=_bool(env, "MARSAD_REQUIRE_READ_KEY", defaults.require_read_key),
        max_body_bytes=_int(env, "MARSAD_MAX_BODY_BYTES", defaults.max_body_bytes, minimum=1024),
        max_text_chars=_int(env, "MARSAD_MAX_TEXT_CHARS", defaults.max_text_chars, minimum=1),
        rate_limit_per_minute=_int(env, "MARSAD_RATE_LIMIT_PER_MINUTE", defaults.rate_limit_per_minute),
        auth_failures_per_minute=_int(
            env, "MARSAD_AUTH_FAILURES_PER_MINUTE", defaults.auth_failures_per_minute
        ),
        seeds_dir=Path(env.get("MARSAD_SEEDS_DIR") or defaults.seeds_dir).expanduser().resolve(),
        worker=_bool(env, "MARSAD_WORKER", defaults.worker),
        worker_concurrency=_int(env, "MARSAD_WORKER_CONCURRENCY", defaults.worker_concurrency, minimum=1),
        worker_heartbeat=float(
            _int(env, "MARSAD_WORKER_HEARTBEAT_SECONDS", int(defaults.worker_heartbeat), minimum=1)
        ),
        extract_processes=_int(env, "MARSAD_EXTRACT_PROCESSES", defaults.extract_processes),
    )
