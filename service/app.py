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
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

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
from service.db.pool import Connections, create_pool, resolve_dsn
from service.errors import handle_exception
from service.ingest.extraction import Extractor
from service.metrics import metrics_endpoint

READ_HANDLERS: list = [
    EventController,
    ActorController,
    SourceController,
    ClaimController,
    ConflictController,
    StatsController,
    list_deleted,
]
ROUTE_HANDLERS: list = [health, ready, *READ_HANDLERS, *WRITE_HANDLERS, metrics_endpoint]


def create_app(settings: Settings | None = None, connections: Connections | None = None) -> Litestar:
    """Build the API. With ``connections`` given (tests), no pool is created or closed."""
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # POST /v1/sources extracts in processes of its own, off the event loop that serves reads.
        app.state.extractor = Extractor(settings.extract_processes if connections is None else 0)
        try:
            if connections is not None:  # injected (tests): already in app.state, not ours to close
                yield
                return
            pool = await create_pool(await resolve_dsn(settings), settings)
            app.state.connections = pool
            try:
                yield
            finally:
                await pool.close()
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
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        openapi_config=OpenAPIConfig(
            title="Marsad API",
            version="1.0.0",
            description="Arabic news as a queryable event dataset: events, actors, sources and claims, "
            "every fact attributed to a verbatim span of a source.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            components=SECURITY_COMPONENTS,
        ),
        request_max_body_size=settings.max_body_bytes,
        state=State({"connections": connections} if connections is not None else {}),
        debug=False,
    )
    return install_middleware(app, settings)
