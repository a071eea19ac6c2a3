"""Ingest jobs over HTTP: a batch is accepted at once (202) as a job that a worker processes through
the queue; the job resource reports progress and each article's fate. Runs on a database of its own
with a real pool and committed transactions, as workers need."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from service.db import migrate
from service.ingest.extraction import Extractor
from service.ingest.worker import run_worker
from tests.api.api_helpers import write_client
from tests.api.test_ingest import ARTICLE
from tests.conftest import create_database, drop_database


@pytest.fixture(scope="module")
async def jobs_db() -> AsyncIterator[str]:
    name = f"marsad_test_jobs_{uuid.uuid4().hex[:8]}"
    dsn = await create_database(name)
    await migrate.upgrade(dsn)
    yield dsn
    await drop_database(name)


@pytest.fixture
async def api(jobs_db: str) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    async with write_client(jobs_db, "jobs") as (client, token):
        yield client, {"Authorization": f"Bearer {token}"}


async def drain(dsn: str) -> None:
    """Run a worker until the queue is empty (extraction in a thread: no processes to start)."""
    await run_worker(dsn, drain=True, extractor=Extractor(processes=0))


async def test_a_batch_becomes_a_job_a_worker_completes(api, jobs_db: str) -> None:
    client, auth = api
    batch = [
        {"text": ARTICLE + "\nدفعة أولى.", "outlet": "بترا", "external_id": "job-1"},
        {"text": ARTICLE + "\nدفعة ثانية."},
        {"text": "<p>markup</p>"},
        {"text": ARTICLE + "\nدفعة أولى.", "outlet": "بترا"},  # the same text again: one source
    ]
    response = await client.post("/v1/ingest/jobs", json=batch, headers=auth)
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/v1/ingest/jobs/{job['id']}"
    assert job["status"] == "running" and job["total"] == 4 and job["failed"] == 1 and job["done"] == 1
    assert job["results"][2]["status"] == "failed" and "HTML" in job["results"][2]["error"]

    await drain(jobs_db)

    done = (await client.get(f"/v1/ingest/jobs/{job['id']}", headers=auth)).json()
    assert done["status"] == "done" and done["progress"] == 1.0 and done["finished_at"]
    statuses = [r["status"] for r in done["results"]]
    assert statuses == ["created", "created", "failed", "exists"]
    assert done["results"][0]["source_id"] == done["results"][3]["source_id"]
    assert (done["created"], done["exists"], done["failed"]) == (2, 1, 1)
    source = await client.get(f"/v1/sources/{done['results'][0]['source_id']}")
    assert source.status_code == 200 and source.json()["external_id"] == "job-1"
    page = (await client.get(f"/v1/ingest/jobs/{job['id']}", params={"limit": 2}, headers=auth)).json()
    assert [r["seq"] for r in page["results"]] == [0, 1] and page["next_after"] == 1
    rest = await client.get(f"/v1/ingest/jobs/{job['id']}", params={"after": 1}, headers=auth)
    assert [r["seq"] for r in rest.json()["results"]] == [2, 3] and rest.json()["next_after"] is None


async def test_ndjson_batches_and_their_bad_lines(api, jobs_db: str) -> None:
    client, auth = api
    lines = [
        json.dumps({"text": ARTICLE + "\nسطر جديد."}, ensure_ascii=False),
        "{not json",
        json.dumps({"text": ARTICLE, "unknown": 1}, ensure_ascii=False),
    ]
    response = await client.post(
        "/v1/ingest/jobs",
        content="\n".join(lines).encode(),
        headers=auth | {"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert [r["status"] for r in job["results"]] == ["pending", "failed", "failed"]
    assert "unknown" in job["results"][2]["error"] and "line 2" in job["results"][1]["error"]
    await drain(jobs_db)
    done = (await client.get(f"/v1/ingest/jobs/{job['id']}", headers=auth)).json()
    assert done["status"] == "done" and done["results"][0]["status"] == "created"


async def test_refusals_quoting_nul_bytes_are_stored(api) -> None:
    """A reason may quote what it refuses (an unknown field's name); Postgres text cannot hold a NUL
    byte, so it is stored escaped rather than failing the request."""
    client, auth = api
    body = '[{"text": "نص", "\\u0000x": 1}, {"text": "نص", "\\ud83d\\ude00\\u0000": 1}]'.encode()
    response = await client.post(
        "/v1/ingest/jobs", content=body, headers=auth | {"Content-Type": "application/json"}
    )
    assert response.status_code == 202, response.text
    errors = [r["error"] for r in response.json()["results"]]
    assert "`\\x00x`" in errors[0] and "`\U0001f600\\x00`" in errors[1], errors


async def test_job_requests_are_checked(api) -> None:
    client, auth = api
    assert (await client.post("/v1/ingest/jobs", json=[{"text": ARTICLE}])).status_code == 401
    assert (await client.post("/v1/ingest/jobs", json={"text": ARTICLE}, headers=auth)).status_code == 400
    assert (await client.post("/v1/ingest/jobs", json=[], headers=auth)).status_code == 400
    wrong = await client.post("/v1/ingest/jobs", content=b"x", headers=auth | {"Content-Type": "text/csv"})
    assert wrong.status_code == 415
    missing = await client.get("/v1/ingest/jobs/job_nope", headers=auth)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert (await client.get("/v1/ingest/jobs/job_nope")).status_code == 401
    past_any_seq = await client.get("/v1/ingest/jobs/job_nope", params={"after": 2**31}, headers=auth)
    assert past_any_seq.status_code == 400, past_any_seq.text
