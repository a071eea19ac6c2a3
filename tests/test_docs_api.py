"""docs/api.md stays true to the code: every documented path is a route of the app, and every id on
the page is one the extraction pipeline produces from the seeds, or the id of an article the page
itself sends (regenerate with `make docs`). That the page's responses are the ones the server gives
now is checked by `make check` (`docs/generate_api.py --check`, with a worker and API keys), which CI
runs before the tests."""

from __future__ import annotations

import json
import re
from functools import cache

import msgspec
import pytest

from service.app import create_app
from service.articles import read_articles
from service.config import PROJECT_ROOT, load_settings
from service.extract.pipeline import EXTRACTOR_VERSION, text_sha256
from service.merge import extract
from service.merge.common import source_id

API_DOC = PROJECT_ROOT / "docs" / "api.md"
SEEDS = PROJECT_ROOT / "seeds"
REQUEST_LINE = re.compile(r"^(?:GET|POST) (/v1/\S*) HTTP/1\.1$", re.MULTILINE)
BATCH = re.compile(r"^POST /v1/ingest/jobs HTTP/1\.1\n(?:.+\n)*\n(\[.*\])$", re.MULTILINE)
ID = re.compile(r"\b(?:evt|act|clm|cfl|src)_[0-9a-f]{16}\b")
MISSING_ON_PURPOSE = re.compile(r"\b(?:evt|act|clm|cfl|src)_0{16}\b")  # the 404 examples


def doc() -> str:
    return API_DOC.read_text(encoding="utf-8")


def route_pattern(path: str) -> re.Pattern[str]:
    """A Litestar route path (``/v1/events/{event_id:str}``) as a regex over concrete paths."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "/?$")


@cache
def route_patterns() -> list[re.Pattern[str]]:
    app = create_app(load_settings({}))
    return [route_pattern(route.path) for route in app.routes]


@cache
def pipeline_ids() -> frozenset[str]:
    dataset = extract([(a.text, a.meta) for a in read_articles([SEEDS])])
    return frozenset(ID.findall(msgspec.json.encode(dataset).decode()))


def sent_source_ids() -> set[str]:
    """The source ids of the articles the page's batches send."""
    return {source_id(text_sha256(a["text"])) for body in BATCH.findall(doc()) for a in json.loads(body)}


def test_the_page_has_requests():
    assert len(REQUEST_LINE.findall(doc())) >= 20


@pytest.mark.parametrize("target", sorted(set(REQUEST_LINE.findall(doc()))))
def test_documented_path_is_a_route(target: str):
    path = target.split("?", 1)[0]
    assert any(p.match(path) for p in route_patterns()), f"{path} is not a route of the app"


def test_documented_ids_come_from_the_pipeline():
    ids = set(ID.findall(doc())) - set(MISSING_ON_PURPOSE.findall(doc()))
    assert ids, "no ids found on the page"
    assert sent_source_ids(), "the page sends no batch"
    stale = sorted(ids - pipeline_ids() - sent_source_ids())
    assert not stale, f"ids in docs/api.md that the pipeline no longer produces (run `make docs`): {stale}"


def test_csv_samples_show_the_byte_order_mark():
    blocks = re.findall(r"```csv\n(.*?)```", doc(), re.DOTALL)
    assert blocks and all(b.startswith("\ufeff") for b in blocks)


def test_sources_show_the_current_extractor_version():
    versions = set(re.findall(r'"extractor_version": "([^"]+)"', doc()))
    assert versions == {EXTRACTOR_VERSION}, "run `make docs`"


def test_404_examples_use_deliberately_missing_ids():
    for target in REQUEST_LINE.findall(doc()):
        for found in ID.findall(target):
            assert found in pipeline_ids() or MISSING_ON_PURPOSE.fullmatch(found), found
