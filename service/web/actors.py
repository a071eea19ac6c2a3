"""``/actors`` (search by any name) and ``/actors/{id}`` (names and roles with their sources, events
over time, who the actor appears with)."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.actors import ACTORS
from service.api.events import EVENTS
from service.api.listing import Conditions
from service.api.stats import timeline_for
from service.db.actors import actor_network, get_actor
from service.db.filters import BY_ACTOR, EVENT_FILTERS, KINDS, SqlQuery
from service.errors import NotFound
from service.models import Actor
from service.web.charts import timeline_chart
from service.web.common import Budget, list_page, list_view, prepare
from service.web.query import Query
from service.web.render import page

CO_ACTORS = 24
# Counting who an actor appears with reads every co-actor of every one of its events: past this many
# events it cannot fit in a page's budget (~0.5 s at 30,000 events), so the page links to the JSON
# instead of spending its budget on a count it would cancel.
NETWORK_MAX_EVENTS = 5_000
SHOWN = 5  # mentions shown per alias (and four times as many roles); the JSON has them all
ATTRIBUTIONS = 200  # roles and mentions read for the page (a frequent actor has thousands)


@get("/actors", name="web:actors", include_in_schema=False)
async def actors_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    return await list_view(db, request, ACTORS, "actors.html", "/v1/actors", kinds=KINDS)


def actor_events(actor: Actor, sort: str | None) -> SqlQuery:
    """The events the explorer lists for an actor: those it takes part in (a place: those held there),
    read as ``/?actor=`` (``/?location=``) reads them; one actor id drives the list in date order."""
    query = SqlQuery()
    if actor.kind == "place":
        query.add(EVENT_FILTERS["location"].sql, [[actor.id]])
    elif sort is None or sort in BY_ACTOR.sorts:
        query.drive = BY_ACTOR
        query.add(BY_ACTOR.condition, [actor.id])
    else:
        query.add(EVENT_FILTERS["actor"].sql, [[actor.id]])
    return query


@get("/actors/{actor_id:str}", name="web:actor", include_in_schema=False)
async def actor_page(
    request: Request,
    db: NamedDependency[asyncpg.Connection],
    actor_id: str = Parameter(description="Actor id"),
) -> Response[bytes]:
    """The actor, and a page of its events (``cursor``, ``sort`` and ``limit`` page them)."""
    headers = await prepare(db, request, {"cursor", "sort", "limit"})
    actor = None if "\x00" in actor_id else await get_actor(db, actor_id, ATTRIBUTIONS)
    if actor is None:
        raise NotFound(f"No actor with id {actor_id!r}")
    q = Query.of(request)
    _, events, token = await list_page(db, request, EVENTS, actor_events(actor, q.get("sort") or None))
    filter_name = "location" if actor.kind == "place" else "actor"
    # The same events as the list, as the filter /v1/stats/timeline takes: read from the rollups.
    whole = Conditions([(filter_name, EVENT_FILTERS[filter_name], [[actor.id]])])
    budget = Budget()
    days = await budget.run(db, lambda: timeline_for(db, whole, "day", "none", 1))
    network = (
        await budget.run(db, lambda: actor_network(db, actor, SqlQuery(args=[actor.id]), CO_ACTORS))
        if actor.event_count <= NETWORK_MAX_EVENTS
        else None
    )
    return page(
        "actor.html",
        headers=headers,
        q=q,
        actor=actor,
        events=events,
        next=token,
        chart=timeline_chart(days.buckets) if days else None,
        undated=days.undated if days else 0,
        timeline_late=days is None,
        network=network,
        shown=SHOWN,
        limit=ATTRIBUTIONS,
        json_href=f"/v1/actors/{actor.id}",
        events_href=f"/v1/events?{filter_name}={actor.id}",
        explore_href=f"/?{filter_name}={actor.id}",
        network_href=f"/v1/actors/{actor.id}/network",
        held_there=actor.kind == "place",
    )
