"""Browser fixtures (imported by test_browser.py; not a conftest.py, which would shadow the root
one for modules that import it): the explorer served by uvicorn on loopback (its own database: the seeds plus the
articles in tests/web/articles, all through the pipeline) and Debian's Chromium driven by Playwright,
with every request to a non-loopback address recorded, refused and failing the test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from conftest import create_seeded_database, drop_database

from service.app import create_app
from service.articles import read_articles
from service.config import load_settings
from service.db.pool import init_connection
from service.ingest import ingest_articles
from service.web.harness import BrowserMissing, is_loopback, launch_chromium, serve

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
BROWSER_POLICY = (
    " The browser tests fail rather than skip, so a machine without a browser cannot pass the suite "
    "unnoticed; deselect them explicitly with `-m 'not browser'`."
)


@pytest.fixture(scope="session")
async def explorer_database() -> AsyncIterator[str]:
    """A database of its own: the seeds and the test articles, loaded through the pipeline."""
    name = f"marsad_web_{uuid.uuid4().hex[:8]}"
    dsn = await create_seeded_database(name)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        await ingest_articles(conn, read_articles([ARTICLES]))
    finally:
        await conn.close()
    yield dsn
    await drop_database(name)


@pytest.fixture(scope="session")
def explorer_url(explorer_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as `make run` serves it (uvicorn, a pool, the middleware), on a free loopback port."""
    settings = load_settings(
        {
            "DATABASE_URL": explorer_database,
            "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
            "MARSAD_DATA_DIR": str(tmp_path_factory.mktemp("explorer-data")),
        }
    )
    with serve(create_app(settings)) as url:
        yield url


async def _launch(playwright: Any, profile: Path, **options: Any) -> Any:
    try:
        return await launch_chromium(playwright, profile, **options)
    except BrowserMissing as exc:
        pytest.fail(str(exc) + BROWSER_POLICY)


@pytest.fixture(scope="session")
async def playwright_driver() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
async def browser(playwright_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Any]:
    """Chromium with a fresh profile and JavaScript on."""
    context = await _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile"))
    yield context
    await context.close()


@pytest.fixture(scope="session")
async def browser_without_js(
    playwright_driver: Any, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Any]:
    """Chromium with a fresh profile and JavaScript off: the pages must work without it."""
    context = await _launch(
        playwright_driver, tmp_path_factory.mktemp("chromium-profile-nojs"), java_script_enabled=False
    )
    yield context
    await context.close()


@dataclass
class Watched:
    """A page and what it did that a test must not allow: requests leaving the machine, errors."""

    page: Any
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.outside == [], f"requests to non-loopback addresses: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


async def watch(context: Any) -> Watched:
    page = await context.new_page()
    watched = Watched(page)

    async def guard(route: Any) -> None:
        url = route.request.url
        watched.requests.append(url)
        if is_loopback(url):
            await route.continue_()
        else:
            watched.outside.append(url)
            await route.abort()

    await page.route("**/*", guard)
    page.on("pageerror", lambda exc: watched.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda message: (
            watched.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return watched


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Watched]:
    watched = await watch(browser)
    yield watched
    await watched.page.close()
    watched.check()


@pytest.fixture
async def page_without_js(browser_without_js: Any) -> AsyncIterator[Watched]:
    watched = await watch(browser_without_js)
    yield watched
    await watched.page.close()
    watched.check()
