"""Regenerate docs/api.md from docs/api.md.in with real responses.

    python docs/generate_api.py            # write docs/api.md
    python docs/generate_api.py --check    # exit 1 when docs/api.md is out of date

Starts the embedded Postgres in a scratch data directory (``.data/docs-postgres``; or uses the server
in DATABASE_URL), creates a fresh database, migrates it, ingests ``seeds/`` through ``service.ingest``
(the seed loader's pipeline), then replays every request of the template through httpx.ASGITransport
against ``create_app`` and writes the page. The database is dropped afterwards.

Template syntax (everything else is copied verbatim):

- a fenced ``http`` block whose first line is ``GET <target> HTTP/1.1`` (optionally followed by header
  lines) is a request: it is sent, and the response status/headers and body are written after it;
- ``<!-- trim: data=2 text=160 included.actors=1 -->`` on the line before such a block trims the
  response body (lists to their first N items, strings to N characters) and prints a note saying so;
- ``<!-- filters: EVENT_FILTERS -->`` becomes the parameter table of that allow-list
  (``service/db/filters.py``); ``<!-- controls: events -->`` the table of paging/format parameters;
- ``@{...}`` is replaced by a value: example ids chosen by content (``@{event:most_sources}``,
  ``@{actor:<alias>}``, ``@{claim:<stance>}``, ``@{source:<file prefix>}``), ``@{next}`` / ``@{etag}``
  (the previous response's cursor / ETag), ``@{etag:same}`` (the current ETag of this very request, for a
  conditional request), and generated lists (``@{event_sorts}``, ``@{groupings}``,
  ``@{facets}``).

Output is deterministic: timestamps in response bodies and request ids are replaced by fixed
placeholders; ETags and cursors depend only on the data and the request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from service.api.events import EVENTS  # noqa: E402
from service.app import create_app  # noqa: E402
from service.articles import read_articles  # noqa: E402
from service.config import load_settings  # noqa: E402
from service.db import filters, migrate  # noqa: E402
from service.db.admin import drop_database, recreate_database  # noqa: E402
from service.db.embedded import start_embedded  # noqa: E402
from service.db.pool import SingleConnection, init_connection  # noqa: E402
from service.db.stats import FACETS, GROUPINGS  # noqa: E402
from service.ingest import ingest_articles  # noqa: E402

TEMPLATE = ROOT / "docs" / "api.md.in"
OUTPUT = ROOT / "docs" / "api.md"
SEEDS = ROOT / "seeds"
SCRATCH = ROOT / ".data" / "docs-postgres"
BASE_URL = "http://marsad.test"

TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})")
TIMESTAMP_PLACEHOLDER = "2026-01-01T00:00:00Z"
REQUEST_ID_PLACEHOLDER = "0" * 32
PLACEHOLDER = re.compile(r"@\{([^}]+)\}")
SHOWN_HEADERS = ("content-type", "content-disposition", "link", "etag")
HEADER_NAMES = {
    "content-type": "Content-Type",
    "content-disposition": "Content-Disposition",
    "link": "Link",
    "etag": "Etag",
    "cache-control": "Cache-Control",
}
JSON_TYPES = ("application/json", "application/problem+json", "application/geo+json")
ZERO_ID = re.compile(r"\b(?:evt|act|clm|cfl|src)_0{16}\b")  # deliberately missing ids (404 examples)


class GenerationError(Exception):
    pass


# --- tables and lists generated from the code ----------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def filter_table(name: str) -> str:
    table: dict[str, filters.Filter] = getattr(filters, name)
    rows = ["| parameter | repeatable | meaning |", "|---|---|---|"]
    rows += [f"| `{p}` | {'yes' if f.repeatable else ''} | {_cell(f.doc)} |" for p, f in table.items()]
    return "\n".join(rows)


def controls_table() -> str:
    rows = ["| parameter | meaning |", "|---|---|"]
    rows += [f"| `{p}` | {_cell(doc)} |" for p, doc in EVENTS.control_params().items()]
    return "\n".join(rows)


STATIC_VALUES: dict[str, Callable[[], str]] = {
    "event_sorts": lambda: "; ".join(f"`{k}` — {s.doc}" for k, s in filters.EVENT_SORTS.items()),
    "groupings": lambda: ", ".join(f"`{g}`" for g in GROUPINGS),
    "facets": lambda: ", ".join(f"`{f}`" for f in FACETS),
}


# --- example ids chosen by content ---------------------------------------------------------------


async def _all(client: httpx.AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    """Every row of a list endpoint (following the cursor)."""
    rows: list[dict[str, Any]] = []
    query: dict[str, str] = {"limit": "1000", **params}
    while True:
        response = await client.get(path, params=query)
        if response.status_code != 200:
            raise GenerationError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
        body = response.json()
        rows += body["data"]
        if not body.get("next"):
            return rows
        query["cursor"] = body["next"]


def _one(rows: list[dict[str, Any]], what: str) -> str:
    if len(rows) != 1:
        raise GenerationError(f"expected exactly one {what}, found {len(rows)}: {[r['id'] for r in rows]}")
    return rows[0]["id"]


async def event_with_most_sources(client: httpx.AsyncClient, _: str) -> str:
    events = await _all(client, "/v1/events")
    if not events:
        raise GenerationError("no events")
    # most sources, then most attributions; ties broken by content (summary), the id last
    best = min(
        events,
        key=lambda e: (
            -e["source_count"],
            -len(e["attributions"]),
            (e.get("summary") or {}).get("en") or "",
            e["id"],
        ),
    )
    return best["id"]


async def actor_with_alias(client: httpx.AsyncClient, alias: str) -> str:
    """The actor one of whose aliases is, or contains the word, ``alias``."""
    actors = await _all(client, "/v1/actors", q=alias)
    return _one(
        [a for a in actors if any(alias == x["text"] or alias in x["text"].split() for x in a["aliases"])],
        f"actor with the alias {alias!r}",
    )


async def claim_with_stance(client: httpx.AsyncClient, stance: str) -> str:
    claims = await _all(client, "/v1/claims", stance=stance)
    if not claims:
        raise GenerationError(f"no claim whose stance is {stance!r}")
    # several: the one with the longest quote (the most to show), then by quote
    best = min(claims, key=lambda c: (-len(c["attribution"]["quote"]), c["attribution"]["quote"], c["id"]))
    return best["id"]


async def source_with_file_prefix(client: httpx.AsyncClient, prefix: str) -> str:
    sources = await _all(client, "/v1/sources", sort="id")
    return _one(
        [s for s in sources if (s.get("external_id") or "").startswith(prefix + "_")],
        f"source whose file starts with {prefix}_",
    )


CHOOSERS = {
    "event": {"most_sources": event_with_most_sources},
    "actor": actor_with_alias,
    "claim": claim_with_stance,
    "source": source_with_file_prefix,
}


class Context:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.last: httpx.Response | None = None

    async def value(self, key: str) -> str:
        if key in STATIC_VALUES:
            return STATIC_VALUES[key]()
        if key in ("next", "etag"):
            if self.last is None:
                raise GenerationError(f"@{{{key}}} needs an earlier request")
            value = self.last.json().get("next") if key == "next" else self.last.headers.get("etag")
            if not value:
                raise GenerationError(f"@{{{key}}}: the previous response has none")
            return value
        if key not in self.ids:
            kind, _, arg = key.partition(":")
            chooser = CHOOSERS.get(kind)
            if isinstance(chooser, dict):
                chooser = chooser.get(arg)
            if chooser is None:
                raise GenerationError(f"unknown placeholder @{{{key}}}")
            self.ids[key] = await chooser(self.client, arg)
        return self.ids[key]

    async def fill(self, text: str) -> str:
        out, pos = [], 0
        for m in PLACEHOLDER.finditer(text):
            out += [text[pos : m.start()], await self.value(m[1])]
            pos = m.end()
        return "".join(out) + text[pos:]


# --- responses -----------------------------------------------------------------------------------


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (REQUEST_ID_PLACEHOLDER if k == "request_id" and isinstance(v, str) else _normalise(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, str):
        return TIMESTAMP.sub(TIMESTAMP_PLACEHOLDER, value)
    return value


def trim(body: Any, spec: str) -> str | None:
    """Apply ``key=N`` trims (dotted paths) to ``body``; the note describing them, or None."""
    notes = []
    for item in spec.split():
        path, _, raw = item.partition("=")
        keep = int(raw)
        *parents, last = path.split(".")
        holder = body
        for key in parents:
            holder = holder[key]
        value = holder[last]
        if isinstance(value, str):
            if len(value) > keep:
                holder[last] = value[:keep] + "…"
                notes.append(f"`{last}` ({len(value)} characters) cut after {keep}")
        elif isinstance(value, list):
            if len(value) > keep:
                holder[last] = value[:keep]
                if parents and parents[0] == "included":
                    notes.append(f"{keep} of the {len(value)} embedded {last} shown")
                else:
                    noun = "items" if last == "data" else last
                    notes.append(f"the first {keep} of {len(value)} {noun} shown")
        else:
            raise GenerationError(f"trim {path}: not a list or string")
    if not notes:
        return None
    return "*Trimmed for this page: " + ", and ".join(notes) + ".*"


def ordered_link(link: str, target: str) -> str:
    """The Link header with its query parameters in the request's order, ``cursor`` last.

    The server does not keep the order of differently named parameters stable from run to run;
    the page must be."""
    m = re.fullmatch(r"<([^?>]*)\?([^>]*)>(.*)", link)
    if not m:
        return link
    order = [pair.split("=", 1)[0] for pair in target.partition("?")[2].split("&") if pair]
    pairs = m[2].split("&")
    pairs.sort(
        key=lambda pair: (
            pair.startswith("cursor="),
            order.index(pair.split("=", 1)[0]) if pair.split("=", 1)[0] in order else len(order),
        )
    )
    return f"<{m[1]}?{'&'.join(pairs)}>{m[3]}"


def render_response(response: httpx.Response, trim_spec: str | None, target: str) -> list[str]:
    names = ("etag", "cache-control") if response.status_code == 304 else SHOWN_HEADERS
    head = [f"HTTP/1.1 {response.status_code}"]
    for n in names:
        if n in response.headers:
            value = response.headers[n]
            head.append(f"{HEADER_NAMES[n]}: {ordered_link(value, target) if n == 'link' else value}")
    lines = ["```http", *head, "```"]
    if response.status_code == 304:
        return lines
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media in JSON_TYPES:
        body = _normalise(response.json())
        note = trim(body, trim_spec) if trim_spec else None
        if note:
            lines.append(note)
        lines += ["", "```json", json.dumps(body, ensure_ascii=False, indent=2), "```"]
    else:
        if trim_spec:
            raise GenerationError("trim is only supported on JSON bodies")
        # as sent (a CSV body keeps its byte-order mark), line ends as the page's
        text = TIMESTAMP.sub(TIMESTAMP_PLACEHOLDER, response.content.decode().replace("\r\n", "\n"))
        lang = "csv" if media == "text/csv" else "text"
        lines += ["", f"```{lang}", text.rstrip("\n"), "```"]
    return lines


async def run_request(ctx: Context, block: list[str]) -> tuple[list[str], httpx.Response]:
    text = "\n".join(block)
    if "@{etag:same}" in text:  # a conditional request: first fetch the same URL for its current ETag
        target = (await ctx.fill(block[0])).split(" ")[1]
        etag = (await ctx.client.get(target)).headers.get("etag")
        if not etag:
            raise GenerationError(f"{block[0]}: no ETag to revalidate")
        text = text.replace("@{etag:same}", etag)
    filled = (await ctx.fill(text)).split("\n")
    m = re.fullmatch(r"GET (\S+) HTTP/1\.1", filled[0])
    if not m:
        raise GenerationError(f"not a request line: {filled[0]!r}")
    headers = dict(line.split(": ", 1) for line in filled[1:])
    response = await ctx.client.get(m[1], headers=headers)
    expected_404 = ZERO_ID.search(m[1]) is not None
    if response.status_code >= 500 or (response.status_code == 404) != expected_404:
        raise GenerationError(f"{filled[0]} answered {response.status_code}: {response.text[:300]}")
    ctx.last = response
    return filled, response


async def render(template: str, client: httpx.AsyncClient) -> str:
    ctx = Context(client)
    lines = template.split("\n")
    if lines and lines[0].startswith("<!-- Template of docs/api.md"):
        lines = lines[1:]
    out: list[str] = []
    pending_trim: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := re.fullmatch(r"<!-- trim: (.+) -->", line):
            pending_trim = m[1]
            i += 1
            continue
        if m := re.fullmatch(r"<!-- filters: (\w+) -->", line):
            out.append(filter_table(m[1]))
            i += 1
            continue
        if line == "<!-- controls: events -->":
            out.append(controls_table())
            i += 1
            continue
        if line == "```http" and i + 1 < len(lines) and lines[i + 1].startswith("GET "):
            end = lines.index("```", i + 1)
            filled, response = await run_request(ctx, lines[i + 1 : end])
            target = filled[0].split(" ")[1]
            out += ["```http", *filled, "```", "", *render_response(response, pending_trim, target)]
            pending_trim = None
            i = end + 1
            continue
        if pending_trim:
            raise GenerationError(f"a trim directive must directly precede a request (line {i + 1})")
        out.append(await ctx.fill(line))
        i += 1
    return "\n".join(out)


# --- database ------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def seeded_database() -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A fresh database with ``seeds/`` ingested through the pipeline (the embedded scratch server, or
    DATABASE_URL's), dropped afterwards: its DSN and an open connection to it."""
    base = os.environ.get("DATABASE_URL") or start_embedded(SCRATCH)
    name = f"marsad_docs_{uuid.uuid4().hex[:8]}"
    dsn = await recreate_database(base, name)
    try:
        await migrate.upgrade(dsn)
        conn = await asyncpg.connect(dsn)
        try:
            await init_connection(conn)
            await ingest_articles(conn, read_articles([SEEDS]))
            yield dsn, conn
        finally:
            await conn.close()
    finally:
        await drop_database(base, name)


async def generate() -> str:
    async with seeded_database() as (_, conn):
        settings = load_settings({"MARSAD_DATA_DIR": str(SCRATCH.parent / "docs-data")})
        app = create_app(settings, connections=SingleConnection(conn))
        for logger in ("httpx", "marsad", "marsad.access"):
            logging.getLogger(logger).setLevel(logging.WARNING)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
            return await render(TEMPLATE.read_text(encoding="utf-8"), client)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is out of date")
    args = parser.parse_args(argv)
    try:
        page = asyncio.run(generate())
    except GenerationError as exc:
        print(f"generate_api: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != page:
            print("docs/api.md is out of date: run `make docs`", file=sys.stderr)
            return 1
        print("docs/api.md is up to date")
        return 0
    OUTPUT.write_text(page, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
