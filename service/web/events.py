"""``/`` (events with filters, facets and a timeline) and ``/events/{id}`` (one event, every report
of it highlighted in its article, the articles side by side)."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.events import EVENTS
from service.api.listing import parse_filters
from service.db import claims as claim_db
from service.db.events import get_event
from service.db.filters import EVENT_FILTERS, EVENT_SORTS, STATUSES
from service.db.refs import actor_refs
from service.db.sources import sources_with_text
from service.db.stats import facet_counts, timeline
from service.errors import NotFound
from service.models import Attribution, Event
from service.web.charts import timeline_chart
from service.web.common import Budget, allowed_for, json_link, list_page, prepare
from service.web.highlight import Highlight, excerpt_windows
from service.web.query import Query
from service.web.render import page

# Facets shown beside the list: (facet, the filter its values set, heading).
FACETS = (
    ("type", "type", "Type"),
    ("status", "status", "Status"),
    ("country", "country", "Country"),
    ("actor", "actor", "Actor"),
    ("location", "location", "Place"),
    ("outlet", "outlet", "Outlet"),
    ("via", "via", "Relayed by"),
    ("has_conflict", "has_conflict", "Sources disagree"),
)
FACET_LIMIT = 8
# Filters whose values are actor ids or names (chips show the actor's name for an id).
ACTOR_FILTERS = ("actor", "country", "location", "via")
MAX_COLUMNS = 12  # reporting articles shown side by side on an event's page


@get("/", name="web:events", include_in_schema=False)
async def events_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    headers = await prepare(db, request, allowed_for(EVENTS))
    lr, events, token = await list_page(db, request, EVENTS)
    query = await parse_filters(db, request, EVENT_FILTERS, set(allowed_for(EVENTS)))
    budget = Budget()  # the timeline first, then the facets, in the time left
    days = await budget.run(db, lambda: timeline(db, query, "day", "none", 1))
    counted = await budget.run(db, lambda: facet_counts(db, query, [f for f, _, _ in FACETS], FACET_LIMIT))
    q = Query.of(request)
    chosen = q.filters(EVENT_FILTERS)
    ids = [v for k, v in chosen if k in ACTOR_FILTERS and v.startswith("act_")]
    names = {i: r.name_en or r.name_ar for i, r in (await actor_refs(db, ids)).items()}
    return page(
        "events.html",
        headers=headers,
        q=q,
        events=events,
        next=token,
        total=counted[0] if counted else (days.total if days else None),
        undated=days.undated if days else 0,
        chart=timeline_chart(days.buckets) if days else None,
        timeline_late=days is None,
        facets=[(name, param, title, counted[1][name]) for name, param, title in FACETS] if counted else [],
        facets_late=counted is None,
        facet_spec=[[name, param, title] for name, param, title in FACETS],
        estimated=counted[2] if counted else [],
        chosen=chosen,
        names=names,
        statuses=STATUSES,
        sorts=list(EVENT_SORTS),
        sort=lr.sort_name,
        default_sort=EVENTS.default_sort,
        json_href=json_link("/v1/events", q),
        facets_href="/v1/stats/facets" + _without_paging(q, f"facet_limit={FACET_LIMIT}"),
        timeline_href="/v1/stats/timeline" + _without_paging(q, "interval=day"),
    )


def _without_paging(q: Query, *extra: str) -> str:
    """The page's filters (no cursor, limit or order) as a query string, for the stats endpoints."""
    kept = Query([(k, v) for k, v in q.items if k not in ("cursor", "limit", "sort")])
    return "?" + "&".join(p for p in (kept.string, *extra) if p) if kept.items or extra else ""


@get("/events/{event_id:str}", name="web:event", include_in_schema=False)
async def event_page(
    request: Request,
    db: NamedDependency[asyncpg.Connection],
    event_id: str = Parameter(description="Event id"),
) -> Response[bytes]:
    headers = await prepare(db, request, set())
    event = None if "\x00" in event_id else await get_event(db, event_id)
    if event is None:
        raise NotFound(f"No event with id {event_id!r}")
    claims = await claim_db.claims_of_events(db, [event.id])
    return page(
        "event.html",
        headers=headers,
        event=event,
        reports=await reports(db, event),
        claims=claims,
        json_href=f"/v1/events/{event.id}",
    )


async def reports(db: asyncpg.Connection, event: Event) -> dict[str, Any]:
    """The event's attributions grouped by article, each article with excerpts of its text that show
    the reported spans highlighted."""
    by_source: dict[str, list[Attribution]] = {}
    for a in event.attributions:
        by_source.setdefault(a.source_id, []).append(a)
    shown = list(by_source)[:MAX_COLUMNS]
    texts = await sources_with_text(db, shown)
    columns = []
    for source_id in shown:
        if source_id not in texts:
            continue
        source, text = texts[source_id]
        attributions = by_source[source_id]
        marks = [
            Highlight(a.span[0], a.span[1], "event", event.id, label=f"{event.type} reported here")
            for a in attributions
        ]
        windows = excerpt_windows(text, [a.span for a in attributions])
        columns.append(
            {"source": source, "text": text, "attributions": attributions, "marks": marks, "windows": windows}
        )
    return {"columns": columns, "hidden": max(0, len(by_source) - len(shown))}
