"""The application factory: routers, lifespan (pool), dependencies, the one error handler."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.routes import HTTPRoute

from service.api.actors import ActorController
from service.api.changes import list_deleted
from service.api.claims import ClaimController
from service.api.conflicts import ConflictController
from service.api.deps import provide_connection
from service.api.events import EventController
from service.api.health import health, ready
from service.api.ingest import WRITE_HANDLERS
from service.api.middleware import install as install_middleware
from service.api.sources import SourceController
from service.api.stats import StatsController
from service.auth import SECURITY_COMPONENTS, authorize
from service.config import Settings, load_settings
from service.db.pool import Connections, create_pools, resolve_dsn
from service.errors import handle_exception
from service.ingest.extraction import Extractor
from service.metrics import metrics_endpoint
from service.web import WEB_HANDLERS, schema_ui

READ_HANDLERS: list = [
    EventController,
    ActorController,
    SourceController,
    ClaimController,
    ConflictController,
    StatsController,
    list_deleted,
]
ROUTE_HANDLERS: list = [health, ready, *READ_HANDLERS, *WRITE_HANDLERS, metrics_endpoint, *WEB_HANDLERS]


def create_app(settings: Settings | None = None, connections: Connections | None = None) -> Litestar:
    """Build the API. With ``connections`` given (tests), no pool is created or closed: reads, writes
    and exports all borrow from it."""
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # POST /v1/sources extracts in processes of its own, off the event loop that serves reads.
        app.state.extractor = Extractor(settings.extract_processes if connections is None else 0)
        try:
            if connections is not None:  # injected (tests): already in app.state, not ours to close
                yield
                return
            pools = await create_pools(await resolve_dsn(settings), settings)
            app.state.connections = pools.reads
            app.state.write_connections = pools.writes
            app.state.export_connections = pools.exports
            try:
                yield
            finally:
                await pools.close()
        finally:
            app.state.extractor.close()

    app = Litestar(
        route_handlers=ROUTE_HANDLERS,
        # Writes carry their own guard (their scope); reads need one only when they need a key
        # (a guard costs a copy of the route handler on every request).
        guards=[authorize] if settings.require_read_key else None,
        dependencies={"db": Provide(provide_connection)},
        lifespan=[lifespan],
        exception_handlers={Exception: handle_exception},
        # gzip level 1, not Litestar's default 9: a 2.5 MB daily timeline costs the server 27 ms of
        # CPU instead of 127 (151 kB against 105 kB), a compressed CSV export 4.4 times less CPU
        # per row (docs/benchmarks.md, "Compression")
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=1),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        openapi_config=OpenAPIConfig(
            title="Marsad API",
            version="1.0.0",
            description="Arabic news as a queryable event dataset: events, actors, sources and claims, "
            "every fact attributed to a verbatim span of a source.",
            path="/schema",
            render_plugins=schema_ui(),  # offline: assets served by the app (service/web)
            components=SECURITY_COMPONENTS,
        ),
        request_max_body_size=settings.max_body_bytes,
        state=State(
            {"write_budget_s": settings.write_budget_s}
            | (
                {
                    "connections": connections,
                    "write_connections": connections,
                    "export_connections": connections,
                }
                if connections is not None
                else {}
            )
        ),
        debug=False,
    )
    _allow_every_method(app)
    return install_middleware(app, settings)


def _allow_every_method(app: Litestar) -> None:
    """Litestar keeps the automatic OPTIONS handler of the first registration at a path, so a path
    served by two registrations (GET /v1/sources from SourceController, POST from the write handlers)
    answered ``Allow: GET, OPTIONS``. Point each automatic handler at its merged route."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"} and handler.fn.__closure__:
                for cell in handler.fn.__closure__:
                    if isinstance(cell.cell_contents, HTTPRoute):
                        cell.cell_contents = route
