"""Serving the app on loopback from a thread, and Debian's Chromium as the tools that look at it use it:
the browser tests, the screenshots in docs/ and the page benchmark (Playwright is a dev dependency,
imported by the callers)."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from litestar import Litestar

CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
# Headless (Playwright adds --headless), nothing of Chromium's own reaching the network; the
# profile is a fresh --user-data-dir given by launch_persistent_context.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_BROWSER = (
    f"Chromium not found at {CHROMIUM}. `make browser` installs Debian's chromium (apt-get, as root), "
    "or set MARSAD_CHROMIUM to a Chromium binary. Never `playwright install`: it downloads a browser."
)


class BrowserMissing(RuntimeError):
    pass


@contextlib.contextmanager
def serve(app: Litestar, host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread on a free port of ``host``; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="marsad-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


async def launch_chromium(playwright: Any, profile: Path, **options: Any) -> Any:
    """A persistent Chromium context on a fresh profile directory (BrowserMissing without Chromium)."""
    if not os.access(CHROMIUM, os.X_OK):
        raise BrowserMissing(MISSING_BROWSER)
    return await playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport={"width": 1280, "height": 900},
        **options,
    )


def is_loopback(url: str) -> bool:
    """Whether a request to ``url`` stays on this machine (loopback, or no network at all)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
