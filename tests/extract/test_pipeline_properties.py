"""Properties of the whole pipeline over arbitrary input (hypothesis): any Unicode text is either refused
with a clear reason (``check_text``) or extracted without crashing; every stored span slices the text to
its quote; the same input gives the same result every time."""

from __future__ import annotations

import re

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.articles import ArticleError, check_text, detect_language
from service.db.rows import TableRows, dataset_rows
from service.extract.document import SourceMeta
from service.extract.pipeline import extract_document, text_sha256
from service.merge import build_dataset
from service.merge.build import source_id
from tests.conftest import SEEDS

SEED_SENTENCES = [
    s.strip()
    for path in sorted(SEEDS.glob("*.txt"))
    for s in re.split(r"(?<=[.،:\n])", path.read_text(encoding="utf-8"))
    if s.strip()
]
ARABIC = "".join(chr(c) for c in range(0x0621, 0x064B)) + "ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩،؛؟«»\"'()-.: \n"

arabic_like = st.lists(
    st.one_of(st.sampled_from(SEED_SENTENCES), st.text(alphabet=ARABIC, max_size=60), st.text(max_size=20)),
    min_size=1,
    max_size=12,
).map(lambda parts: "".join(p + sep for p, sep in zip(parts, [" ", "\n", "\n\n", "، "] * 3, strict=False)))
any_text = st.one_of(st.text(max_size=400), arabic_like)
meta = st.builds(
    SourceMeta,
    outlet=st.none() | st.text(max_size=30),
    published=st.none() | st.dates(),
    external_id=st.none() | st.text(min_size=1, max_size=20),
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans(rows: TableRows) -> list[tuple[str, int, int, str]]:
    """(source id, start, end, quote) of every span-carrying row the loader would store."""
    out = [(m[1], m[2], m[3], m[4]) for m in rows.mentions]
    out += [(r[4], r[5], r[6], r[7]) for r in rows.roles]
    out += [(a[2], a[3], a[4], a[5]) for a in rows.attributions]
    out += [(c[1], c[2], c[3], c[4]) for c in rows.claims]
    out += [(v[2], v[3], v[4], v[5]) for v in rows.conflict_values]
    return out


def run_pipeline(texts: list[tuple[str, SourceMeta]]) -> tuple[bytes, list]:
    docs = [extract_document(text, m) for text, m in texts]
    dataset = build_dataset(docs)
    rows = dataset_rows(dataset, docs)
    return msgspec.json.encode(rows), spans(rows)


@PROPERTY
@given(text=any_text, source_meta=meta)
def test_any_text_is_refused_clearly_or_extracted(text: str, source_meta: SourceMeta) -> None:
    try:
        checked = check_text(text, "input")
    except ArticleError as exc:
        assert str(exc).startswith("input: ") and len(str(exc)) > len("input: ")
        return
    assert detect_language(checked)
    _, found = run_pipeline([(checked, source_meta)])
    for _source, start, end, quote in found:
        assert 0 <= start < end <= len(checked)
        assert checked[start:end] == quote


@PROPERTY
@given(texts=st.lists(arabic_like, min_size=1, max_size=3, unique=True))
def test_spans_hold_and_results_repeat_across_articles(texts: list[str]) -> None:
    items = []
    for text in texts:
        try:
            items.append((check_text(text, "input"), SourceMeta()))
        except ArticleError:
            continue
    if not items:
        return
    first, found = run_pipeline(items)
    by_source = {source_id(text_sha256(text)): text for text, _ in items}
    for src, start, end, quote in found:
        assert by_source[src][start:end] == quote
    second, _ = run_pipeline(items)
    assert first == second
    reversed_order, _ = run_pipeline(list(reversed(items)))
    assert reversed_order == first  # the order articles arrive in does not change the dataset
