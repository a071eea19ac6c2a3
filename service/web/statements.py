"""``/claims`` and ``/claims/{id}`` (who said what, through whom, with which stance) and
``/conflicts`` (where sources disagree: the competing values side by side, each with its quotes)."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.claims import CLAIMS
from service.api.conflicts import CONFLICTS
from service.db.claims import get_claim
from service.db.filters import CHANNELS, STANCES
from service.errors import NotFound
from service.web.common import list_view, prepare
from service.web.render import page


@get("/claims", name="web:claims", include_in_schema=False)
async def claims_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    return await list_view(
        db, request, CLAIMS, "claims.html", "/v1/claims", stances=STANCES, channels=CHANNELS
    )


@get("/claims/{claim_id:str}", name="web:claim", include_in_schema=False)
async def claim_page(
    request: Request,
    db: NamedDependency[asyncpg.Connection],
    claim_id: str = Parameter(description="Claim id"),
) -> Response[bytes]:
    headers = await prepare(db, request, set())
    claim = None if "\x00" in claim_id else await get_claim(db, claim_id)
    if claim is None:
        raise NotFound(f"No claim with id {claim_id!r}")
    return page("claim.html", headers=headers, claim=claim, json_href=f"/v1/claims/{claim.id}")


@get("/conflicts", name="web:conflicts", include_in_schema=False)
async def conflicts_page(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[bytes]:
    return await list_view(db, request, CONFLICTS, "conflicts.html", "/v1/conflicts")
