"""``/actors`` (search by any name) and ``/actors/{id}`` (names and roles with their sources, events
over time, who the actor appears with)."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.actors import ACTOR_EVENTS, ACTORS
from service.api.events import EVENTS
from service.db.actors import actor_network, get_actor
from service.db.filters import KINDS, SqlQuery
from service.db.stats import timeline
from service.errors import NotFound
from service.web.charts import timeline_chart
from service.web.common import list_page, list_view, prepare
from service.web.query import Query
from service.web.render import page

CO_ACTORS = 24
SHOWN = 5  # mentions shown per alias (and four times as many roles); the JSON has them all


@get("/actors", name="web:actors", include_in_schema=False)
async def actors_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    return await list_view(db, request, ACTORS, "actors.html", "/v1/actors", kinds=KINDS)


@get("/actors/{actor_id:str}", name="web:actor", include_in_schema=False)
async def actor_page(
    request: Request,
    db: NamedDependency[asyncpg.Connection],
    actor_id: str = Parameter(description="Actor id"),
) -> Response[bytes]:
    """The actor, and a page of its events (``cursor``, ``sort`` and ``limit`` page them)."""
    headers = await prepare(db, request, {"cursor", "sort", "limit"})
    actor = None if "\x00" in actor_id else await get_actor(db, actor_id)
    if actor is None:
        raise NotFound(f"No actor with id {actor_id!r}")
    mine = SqlQuery()
    mine.add(ACTOR_EVENTS, [actor.id])
    _, events, token = await list_page(db, request, EVENTS, mine)
    mine = SqlQuery()
    mine.add(ACTOR_EVENTS, [actor.id])
    days = await timeline(db, mine, "day", "none")
    network = await actor_network(db, actor, SqlQuery(args=[actor.id]), CO_ACTORS)
    q = Query.of(request)
    return page(
        "actor.html",
        headers=headers,
        q=q,
        actor=actor,
        events=events,
        next=token,
        chart=timeline_chart(days.buckets),
        undated=days.undated,
        network=network,
        shown=SHOWN,
        json_href=f"/v1/actors/{actor.id}",
        events_href=f"/v1/actors/{actor.id}/events",
        network_href=f"/v1/actors/{actor.id}/network",
    )
