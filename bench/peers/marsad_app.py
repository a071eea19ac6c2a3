"""Marsad itself, as production serves it: ``create_app`` with settings from the environment
(DATABASE_URL points at the benchmark database; the rate limit is lifted for the load test)."""

from __future__ import annotations

import os

from service.app import create_app
from service.config import load_settings

os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DSN", ""))
os.environ.setdefault("MARSAD_RATE_LIMIT_PER_MINUTE", "100000000")
os.environ.setdefault("MARSAD_LOG_LEVEL", "warning")

app = create_app(load_settings())
