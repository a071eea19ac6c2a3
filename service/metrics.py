"""Prometheus metrics through ``prometheus-client``: request latency by route template (never the raw
path, so cardinality stays bounded), method and status class; counters for ingests, extraction
failures, refusals and slow clients; process metrics; the pools' use, read at scrape time.

Each application has its own registry. With ``PROMETHEUS_MULTIPROC_DIR`` set (several server
processes), ``prometheus-client`` keeps the values in files there and ``/metrics`` answers for all
processes together (the directory must be emptied when the service starts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from litestar import Request, Response, get
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# name -> (help, label names)
COUNTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "marsad_ingest_sources_total": (
        "Articles submitted for ingestion, by result (created, exists, rejected).",
        ("result",),
    ),
    "marsad_extraction_failures_total": ("Articles whose extraction raised an error.", ()),
    "marsad_rate_limited_total": ("Requests refused by the rate limiter, by identity (key, ip).", ("by",)),
    "marsad_auth_failures_total": ("Requests with a malformed, unknown or revoked API key.", ()),
    "marsad_slow_bodies_total": ("Request bodies that did not arrive within MARSAD_BODY_TIMEOUT_S.", ()),
    "marsad_exports_aborted_total": (
        "Streamed exports cut after their headers (a failed transfer), by reason (database, stalled, error).",
        ("reason",),
    ),
}
disable_created_metrics()  # no *_created series: a counter's start time is the process's
POOLS = ("connections", "write_connections", "export_connections")


class _PoolCollector(Collector):
    """The pools' sizes, read when scraped (per process)."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pools = {}
        for attribute in POOLS:
            pool = self.state.get(attribute)
            if pool is not None and hasattr(pool, "get_size") and pool not in pools.values():
                pools[getattr(pool, "name", attribute)] = pool
        for name, help_text, read in (
            ("marsad_db_pool_size", "Open connections in the pool.", lambda p: p.get_size()),
            ("marsad_db_pool_idle", "Idle connections in the pool.", lambda p: p.get_idle_size()),
            ("marsad_db_pool_in_use", "Connections lent out.", lambda p: p.get_size() - p.get_idle_size()),
            ("marsad_db_pool_max", "Largest pool size allowed.", lambda p: p.get_max_size()),
        ):
            family = GaugeMetricFamily(name, help_text, labels=["pool"])
            for pool_name, pool in pools.items():
                family.add_metric([pool_name], read(pool))
            yield family


class Metrics:
    """The metrics of one application."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        self.latency = Histogram(
            "marsad_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ("route", "method", "status"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.counters = {
            name: Counter(name.removesuffix("_total"), help_text, labels, registry=self.registry)
            for name, (help_text, labels) in COUNTERS.items()
        }
        if not self.multiprocess_dir:
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in KNOWN_METHODS else "other"
        self.latency.labels(route, method, f"{status // 100}xx").observe(seconds)

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        counter = self.counters[name]
        (counter.labels(**labels) if labels else counter).inc(amount)

    def render(self, state: Any = None) -> bytes:
        if self.multiprocess_dir:
            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged, path=self.multiprocess_dir)
            text = generate_latest(merged)
        else:
            text = generate_latest(self.registry)
        if state is not None:
            pools = CollectorRegistry()
            pools.register(_PoolCollector(state))
            text += generate_latest(pools)
        return text


@get(
    "/metrics",
    summary="Prometheus metrics",
    tags=["health"],
    include_in_schema=False,
    media_type=CONTENT_TYPE_LATEST,
)
async def metrics_endpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.render(request.app.state), media_type=CONTENT_TYPE_LATEST)
