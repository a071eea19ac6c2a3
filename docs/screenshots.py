"""Regenerate the explorer's screenshots in docs/explorer/ (``make screenshots``).

    python docs/screenshots.py

Loads ``seeds/`` into a fresh database (as ``docs/generate_api.py`` does), serves the app with
uvicorn on a loopback port, and photographs its main pages in Debian's Chromium (``make browser``)
at 1280x900. The browser refuses any request to a non-loopback address, and the script fails if
a page made one.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from docs.generate_api import SCRATCH, event_with_most_sources, seeded_database  # noqa: E402
from service.app import create_app  # noqa: E402
from service.config import load_settings  # noqa: E402
from service.web.harness import is_loopback, launch_chromium, serve  # noqa: E402

OUTPUT = ROOT / "docs" / "explorer"


async def pages(base: str) -> dict[str, str]:
    """File name -> path of the page it shows, chosen by content (the same pages on every run)."""
    async with httpx.AsyncClient(base_url=base) as client:
        event = await event_with_most_sources(client, "")
        sources = (await client.get("/v1/sources")).json()["data"]
        richest = max(sources, key=lambda s: (s["length"], s["id"]))["id"]
        actor = (await client.get("/v1/actors", params={"q": "Naasan"})).json()["data"][0]["id"]
    return {
        "events.png": "/",
        "event.png": f"/events/{event}",
        "source.png": f"/sources/{richest}",
        "actor.png": f"/actors/{actor}",
        "claims.png": "/claims",
        "conflicts.png": "/conflicts",
        "schema.png": "/schema",
    }


async def photograph(base: str) -> list[Path]:
    from playwright.async_api import async_playwright

    outside: list[str] = []

    async def guard(route: Any) -> None:
        if is_loopback(route.request.url):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    written = []
    with tempfile.TemporaryDirectory() as profile:
        async with async_playwright() as playwright:
            context = await launch_chromium(playwright, Path(profile))
            page = await context.new_page()
            await page.route("**/*", guard)
            for name, path in (await pages(base)).items():
                await page.goto(base + path, wait_until="networkidle")
                if path == "/schema":
                    await page.locator(".swagger-ui .info .title").wait_for()
                await page.screenshot(path=OUTPUT / name)
                written.append(OUTPUT / name)
            await context.close()
    if outside:
        raise SystemExit(f"pages requested non-loopback addresses: {outside}")
    return written


async def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for logger in ("httpx", "marsad.access"):
        logging.getLogger(logger).setLevel(logging.WARNING)
    async with seeded_database() as (dsn, _):
        settings = load_settings(
            {
                "DATABASE_URL": dsn,
                "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
                "MARSAD_DATA_DIR": str(SCRATCH.parent / "docs-data"),
            }
        )
        with serve(create_app(settings)) as base:
            for path in await photograph(base):
                print(path.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
