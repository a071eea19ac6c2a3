"""Sources: the ingested articles (filtered, paged, exported) and each one's verbatim text with every
span extracted from it."""

from __future__ import annotations

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.detail import DETAIL_OPERATION, serve_one
from service.api.listing import ListSpec, serve_list
from service.api.openapi import list_operation
from service.db.filters import SOURCE_FILTERS, SOURCE_SORTS
from service.db.sources import SOURCE_LIST_SELECT, get_source, sources_from_records
from service.models import Source, SourceDetail, SourcePage

SOURCES = ListSpec(
    name="sources",
    item=Source,
    page=SourcePage,
    select=SOURCE_LIST_SELECT,
    table="sources s",
    id_expr="s.id",
    filters=SOURCE_FILTERS,
    sorts=SOURCE_SORTS,
    default_sort="id",
    build=sources_from_records,
)


class SourceController(Controller):
    path = "/v1/sources"
    tags = ["sources"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/",
        summary="List sources (filters, keyset paging, JSON/NDJSON/CSV)",
        operation_class=list_operation(SOURCES),
    )
    async def list_all(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[SourcePage]:
        return await serve_list(db, request, SOURCES)

    @get(
        "/{source_id:str}",
        summary="One source with its verbatim text and extracted spans",
        operation_class=DETAIL_OPERATION,
    )
    async def get_one(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        source_id: str = Parameter(description="Source id, e.g. src_…"),
    ) -> Response[SourceDetail]:
        return await serve_one(db, request, lambda: get_source(db, source_id), "source", source_id)
