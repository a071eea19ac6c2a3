"""Sources: the ingested articles, their verbatim text and every span extracted from them."""

from __future__ import annotations

import asyncpg
import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.db.sources import get_source, list_sources
from service.errors import NotFound
from service.models import Source, SourceDetail


class SourcePage(msgspec.Struct):
    data: list[Source]
    next: str | None


class SourceController(Controller):
    path = "/v1/sources"
    tags = ["sources"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get("/", summary="List sources (keyset paging by id)")
    async def list_all(
        self,
        db: NamedDependency[asyncpg.Connection],
        limit: int = Parameter(default=50, ge=1, le=1000, description="Page size"),
        cursor: str | None = Parameter(default=None, description="The `next` value of the previous page"),
    ) -> SourcePage:
        rows = await list_sources(db, cursor, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return SourcePage(data=rows, next=rows[-1].id if more and rows else None)

    @get("/{source_id:str}", summary="One source with its verbatim text and extracted spans")
    async def get_one(
        self, db: NamedDependency[asyncpg.Connection], source_id: str = Parameter(description="Source id, e.g. src_…")
    ) -> SourceDetail:
        source = await get_source(db, source_id)
        if source is None:
            raise NotFound(f"No source with id {source_id!r}")
        return source
