"""``/sources`` (the articles) and ``/sources/{id}`` (one article, verbatim, every extracted span
highlighted and linked to its record)."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.sources import SOURCES
from service.db.claims import claims_by_id
from service.db.events import events_by_id
from service.db.refs import actor_refs
from service.db.sources import get_source
from service.errors import NotFound
from service.models import SpanRef
from service.web.common import list_view, prepare
from service.web.highlight import Highlight
from service.web.render import page


@get("/sources", name="web:sources", include_in_schema=False)
async def sources_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    return await list_view(db, request, SOURCES, "sources.html", "/v1/sources")


@get("/sources/{source_id:str}", name="web:source", include_in_schema=False)
async def source_page(
    request: Request,
    db: NamedDependency[asyncpg.Connection],
    source_id: str = Parameter(description="Source id"),
) -> Response[bytes]:
    headers = await prepare(db, request, set())
    source = None if "\x00" in source_id else await get_source(db, source_id)
    if source is None:
        raise NotFound(f"No source with id {source_id!r}")
    actor_ids = sorted({s.id for s in source.spans if s.kind in ("actor", "role")})
    actors = await actor_refs(db, actor_ids)
    events = {
        e.id: e for e in await events_by_id(db, sorted({s.id for s in source.spans if s.kind == "event"}))
    }
    claims = {
        c.id: c for c in await claims_by_id(db, sorted({s.id for s in source.spans if s.kind == "claim"}))
    }

    def describe(span: SpanRef) -> tuple[str, str]:
        """(link to the span's record, a short description of it)."""
        if span.kind in ("actor", "role"):
            ref = actors.get(span.id)
            name = (ref.name_en or ref.name_ar) if ref else span.id
            return f"/actors/{span.id}", (f"role of {name}" if span.kind == "role" else name)
        if span.kind == "event":
            event = events.get(span.id)
            return f"/events/{span.id}", (f"{event.type}: {event.summary.en}" if event else span.id)
        if span.kind == "claim":
            claim = claims.get(span.id)
            who = (
                (claim.speaker.name_en or claim.speaker.name_ar) if claim and claim.speaker else "the outlet"
            )
            return f"/claims/{span.id}", (f"{claim.stance} — {who}" if claim else span.id)
        return "", span.kind

    index = [(span, *describe(span)) for span in source.spans]
    marks = [
        Highlight(span.span[0], span.span[1], span.kind, span.id, href=href, label=f"{span.kind}: {label}")
        for span, href, label in index
    ]
    return page(
        "source.html",
        headers=headers,
        source=source,
        marks=marks,
        index=index,
        kinds=sorted({s.kind for s in source.spans}),
        json_href=f"/v1/sources/{source.id}",
    )
