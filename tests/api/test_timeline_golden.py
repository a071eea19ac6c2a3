"""The default (buckets) shape of /v1/stats/timeline answers exactly what it answered before the
rollup path was rebuilt on the series statement (branch agg11): every body of a fixed set of
requests over a fixed dataset (the seeds, three test articles, a few events moved to run over
weeks, a month and a year) is compared (as parsed JSON, bucket order included) with tests/golden/timeline_buckets.json,
which was written by the code of cfb6f1d (the per-period statement).

``MARSAD_WRITE_GOLDEN=1`` rewrites the file from the code under test: only on purpose, when the
answers are meant to change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import asyncpg
from api_articles import straddling_dataset
from httpx import AsyncClient

GOLDEN = Path(__file__).parent.parent / "golden" / "timeline_buckets.json"

WINDOWS = [
    [],
    [("from", "2025-09-10")],
    [("to", "2025-11-20")],
    [("from", "2025-10-15"), ("to", "2025-12-03")],
    [("from", "2025-01-01"), ("to", "2025-12-31")],
]
FILTERS = [
    [],
    [("type", "CONSULT")],
    [("status", "occurred"), ("status", "planned")],
    [("actor", "Syria")],
    [("country", "Russia"), ("type", "CONSULT,AGREE")],
    [("has_conflict", "true")],
]
SHAPES = [
    [("interval", "day"), ("group_by", "actor")],
    [("interval", "day"), ("group_by", "none")],
    [("interval", "week"), ("group_by", "type")],
    [("interval", "month"), ("group_by", "status")],
    [("interval", "month"), ("group_by", "country"), ("group_limit", "2")],
    [("interval", "year"), ("group_by", "outlet")],
    [("interval", "week"), ("group_by", "location"), ("group_limit", "3")],
    [("interval", "day"), ("group_by", "mode")],
]


def requests() -> list[list[tuple[str, str]]]:
    """Every window with every filter and every interval/grouping the rollups answer for it."""
    out = []
    for window in WINDOWS:
        for flt in FILTERS:
            dim_filter = any(name in ("actor", "country", "has_conflict") for name, _ in flt)
            for shape in SHAPES:
                group_by = dict(shape)["group_by"]
                if dim_filter and group_by not in ("none", "type", "status"):
                    continue  # counted from the events: not the path this file guards
                out.append([*window, *flt, *shape])
    return out


async def test_default_shape_answers_are_unchanged(client: AsyncClient, conn: asyncpg.Connection) -> None:
    await straddling_dataset(conn)
    answers = {}
    for params in requests():
        response = await client.get("/v1/stats/timeline", params=params)
        assert response.status_code == 200, (params, response.text)
        answers["&".join(f"{k}={v}" for k, v in params)] = response.json()
    assert sum(len(a["buckets"]) for a in answers.values()) > 1000  # the dataset is not empty
    if os.environ.get("MARSAD_WRITE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(answers, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert answers.keys() == golden.keys()
    for request, answer in answers.items():
        assert answer == golden[request], request


async def test_benchmark_floor_sends_the_servers_own_bucket_bodies(
    client: AsyncClient, conn: asyncpg.Connection
) -> None:
    """The benchmark's floor (``bench.workloads.floor_call``) must run what the server runs, or a
    server faster than its floor shows up (it did: the floor built a dict per bucket while the
    server encodes from the rollups' arrays). Where the rollups cover a request the floor's body is
    the server's, byte for byte."""
    from bench.peers import data

    await straddling_dataset(conn)
    covered = 0
    for params in requests():
        if any("," in value or name == "has_conflict" for name, value in params):
            continue  # the peers' parser takes one value a parameter and no has_conflict; the workloads send neither
        body = await data.timeline_body(conn, params)
        if body is None:
            continue
        covered += 1
        response = await client.get("/v1/stats/timeline", params=params)
        assert response.content == body, params
    assert covered > 100
