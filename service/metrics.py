"""Prometheus metrics in the text exposition format (0.0.4), kept per application instance.

Request latency is a histogram by route template (never the raw path, so cardinality stays bounded),
method and status class; ingests and extraction failures are counters; pool usage is read at scrape time.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from typing import Any

from litestar import Request, Response, get

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    if not pairs:
        return ""
    body = ",".join(
        f'{k}="{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34)).replace(chr(10), " ")}"'
        for k, v in pairs
    )
    return "{" + body + "}"


class Metrics:
    """Counters and one latency histogram; thread-safe, cheap to update."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hist_counts: dict[tuple[tuple[str, str], ...], list[int]] = {}
        self._hist_sums: dict[tuple[tuple[str, str], ...], float] = defaultdict(float)
        self._counters: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(
            lambda: defaultdict(float)
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in KNOWN_METHODS else "other"
        key = (("route", route), ("method", method), ("status", f"{status // 100}xx"))
        with self._lock:
            counts = self._hist_counts.setdefault(key, [0] * (len(LATENCY_BUCKETS) + 1))
            counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
            self._hist_sums[key] += seconds

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        with self._lock:
            self._counters[name][tuple(sorted(labels.items()))] += amount

    def render(self, pool: Any = None) -> str:
        lines = [
            "# HELP marsad_http_request_duration_seconds HTTP request latency by route template.",
            "# TYPE marsad_http_request_duration_seconds histogram",
        ]
        with self._lock:
            for key, counts in sorted(self._hist_counts.items()):
                cumulative = 0
                for bound, count in zip((*LATENCY_BUCKETS, float("inf")), counts, strict=True):
                    cumulative += count
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    lines.append(
                        f"marsad_http_request_duration_seconds_bucket{_labels((*key, ('le', le)))} {cumulative}"
                    )
                lines.append(
                    f"marsad_http_request_duration_seconds_sum{_labels(key)} {self._hist_sums[key]:.6f}"
                )
                lines.append(f"marsad_http_request_duration_seconds_count{_labels(key)} {cumulative}")
            for name, help_text in COUNTERS.items():
                lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
                series = self._counters.get(name) or {(): 0.0}
                for labels, value in sorted(series.items()):
                    lines.append(f"{name}{_labels(labels)} {value:g}")
        if pool is not None and hasattr(pool, "get_size"):
            for name, value, help_text in (
                ("marsad_db_pool_size", pool.get_size(), "Open connections in the pool."),
                ("marsad_db_pool_idle", pool.get_idle_size(), "Idle connections in the pool."),
                ("marsad_db_pool_in_use", pool.get_size() - pool.get_idle_size(), "Connections lent out."),
                ("marsad_db_pool_max", pool.get_max_size(), "Largest pool size allowed (MARSAD_POOL_MAX)."),
            ):
                lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value}"]
        return "\n".join(lines) + "\n"


COUNTERS = {
    "marsad_ingest_sources_total": "Articles submitted for ingestion, by result (created, exists, rejected).",
    "marsad_extraction_failures_total": "Articles whose extraction raised an error.",
    "marsad_rate_limited_total": "Requests refused by the rate limiter.",
    "marsad_exports_aborted_total": "Streamed exports cut after their headers (a failed transfer), by reason "
    "(database, stalled client, error).",
}


@get(
    "/metrics",
    summary="Prometheus metrics",
    tags=["health"],
    include_in_schema=False,
    media_type=CONTENT_TYPE,
)
async def metrics_endpoint(request: Request[Any, Any, Any]) -> Response[str]:
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.render(request.app.state.get("connections")), media_type=CONTENT_TYPE)
