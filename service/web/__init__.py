"""The explorer: server-rendered pages over the same queries as the JSON API, every page linking to
the JSON it was built from; static assets served from the package (nothing from the internet)."""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from service.web.actors import actor_page, actors_page
from service.web.errors import html_error
from service.web.events import event_page, events_page
from service.web.render import STATIC
from service.web.sources import source_page, sources_page
from service.web.statements import claim_page, claims_page, conflicts_page

STATIC_PATH = "/static"
ASSETS = f"{STATIC_PATH}/explorer"
SWAGGER_ASSETS = f"{STATIC_PATH}/swagger-ui"
_CACHE = CacheControlHeader(max_age=3600, public=True)

PAGES = Router(
    path="/",
    route_handlers=[
        events_page,
        event_page,
        sources_page,
        source_page,
        actors_page,
        actor_page,
        claims_page,
        claim_page,
        conflicts_page,
    ],
    exception_handlers={Exception: html_error},
    include_in_schema=False,
)

WEB_HANDLERS: list = [
    PAGES,
    create_static_files_router(
        path=ASSETS, directories=[STATIC], cache_control=_CACHE, include_in_schema=False, name="web:assets"
    ),
    create_static_files_router(
        path=SWAGGER_ASSETS,
        directories=[swagger_ui_path],
        cache_control=_CACHE,
        include_in_schema=False,
        name="web:swagger-assets",
    ),
]


def schema_ui() -> list[OpenAPIRenderPlugin]:
    """The OpenAPI UI at /schema (and /schema/swagger): Swagger UI from its PyPI package, served here."""
    return [
        SwaggerRenderPlugin(
            path=["/", "/swagger"],
            js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/svg+xml' href='{ASSETS}/marsad.svg'>",
        )
    ]
