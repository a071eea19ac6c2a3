"""The statistical name tagger: training on tagged sentences, tagging, the gate, and its pass in the
actors stage (exact spans, method "model", nothing over tokens the rules claimed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.corpora import TaggedSentence
from service.extract.actors import tagged, tagger
from service.extract.actors.find import KB
from service.extract.actors.scan import Found, Scan
from service.extract.actors.train_tagger import scan_sequence, train
from service.extract.pipeline import extract_document

NAMES = ["رامسفيلد", "شيراك", "كاسترو", "موراليس", "ساركوزي", "برلسكوني", "شرودر", "بلير"]
ORGS = [("منظمة", "اوبك"), ("شركة", "توتال"), ("نادي", "برشلونة")]


def _sentences() -> list[TaggedSentence]:
    out = []
    for k, name in enumerate(NAMES):
        head, org = ORGS[k % len(ORGS)]
        tokens = ("وقال", name, "إن", head, org, "ستعقد", "اجتماعا", "في", "المدينة", ".")
        tags = ("O", "B-PER", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O")
        out.append(TaggedSentence(f"t#{k}", tokens, tags, ("",) * len(tokens)))
        tokens = ("والتقى", name, "وزير", "الخارجية", "أمس", ".")
        tags = ("O", "B-PER", "O", "O", "O", "O")
        out.append(TaggedSentence(f"u#{k}", tokens, tags, ("",) * len(tokens)))
    return out


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tagger") / "model.crfsuite"
    assert train(_sentences(), path) == 2 * len(NAMES)
    return path


@pytest.fixture
def using(small_model: Path) -> Iterator[Path]:
    previous = tagger.current_model()
    tagger.use_model(small_model)
    yield small_model
    tagger.use_model(previous)


def test_scan_sequence_tokenises_like_the_scan() -> None:
    sentence = TaggedSentence(
        "x#0",
        ("قال", "(", "جورج", "بوش-الابن", ")", "."),
        ("O", "O", "B-PER", "I-PER", "O", "O"),
        ("",) * 6,
    )
    tokens, gaps, tags = scan_sequence(sentence)
    assert tokens == ["قال", "جورج", "بوش", "الابن"]
    assert gaps == ["", "(", "", "-"]
    assert tags == ["O", "B-PER", "I-PER", "I-PER"]


def test_trained_model_tags_its_sentences_with_confidence(small_model: Path) -> None:
    model = tagger.NameTagger(small_model)
    tokens, gaps, _ = scan_sequence(_sentences()[0])
    spans = model.tag(tokens, gaps)
    assert [(s.first, s.last, s.cls) for s in spans] == [(1, 1, "PER"), (3, 4, "ORG")]
    assert all(0.5 < s.confidence <= 1.0 for s in spans)
    assert model.name_score(NAMES[0]) > model.name_score("وقال")


def test_gate_reads_only_windows_around_hot_tokens(using: Path) -> None:
    model = tagger.name_tagger()
    assert model is not None
    doc = extract_document(
        "وقال شيراك إن الاجتماع سيعقد في المدينة. وذكرت الصحيفة أن الطقس كان حارا في الصيف."
    )
    scan = Scan(doc, KB)
    full = tagger.tag_scan(scan, model, gated=False)
    previous = tagger.GATE_MARGIN
    try:
        tagger.GATE_MARGIN = 1e9  # nothing passes: nothing is tagged
        assert tagger.tag_scan(scan, model) == []
        tagger.GATE_MARGIN = model.name_score("شيراك")
        gated = tagger.tag_scan(scan, model)
    finally:
        tagger.GATE_MARGIN = previous
    assert [(s.first, s.cls) for s in gated] == [(1, "PER")]
    assert {(s.first, s.last, s.cls) for s in gated} <= {(s.first, s.last, s.cls) for s in full}


def test_tagger_pass_adds_exact_model_mentions_the_rules_missed(using: Path) -> None:
    previous = tagger.GATE_MARGIN
    tagger.GATE_MARGIN = -1e9  # every free token is tagged
    try:
        doc = extract_document("والتقى كاسترو وزير الخارجية الروسي سيرغي لافروف أمس في موسكو.")
    finally:
        tagger.GATE_MARGIN = previous
    found = [m for m in doc.mentions if m.method == "model"]
    assert [(m.text, doc.entities[m.entity].kind) for m in found] == [("كاسترو", "person")]
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text
    # the rules' own mentions are untouched: the titled minister and the city
    assert {"سيرغي لافروف", "موسكو"} <= {m.text for m in doc.mentions if m.method != "model"}


def test_safeguards_reject_groups_stopwords_and_claimed_tokens(using: Path) -> None:
    doc = extract_document("وقال الشيعة إن على الحكومة أن تستقيل في موسكو.")
    scan = Scan(doc, KB)
    assert scan.tokens[1] == "الشيعه" and scan.tokens[3] == "علي"
    group = tagger.TaggedSpan(1, 1, "PER", 0.99)
    stop = tagger.TaggedSpan(3, 3, "PER", 0.99)
    assert not tagged._accepted(scan, group)
    assert not tagged._accepted(scan, stop)
    assert not tagged._accepted(scan, tagger.TaggedSpan(0, 0, "PER", 0.99))  # "وقال": و + a verb
    at = scan.tokens.index("موسكو")
    place = tagger.TaggedSpan(at, at, "ORG", 0.99)
    assert tagged._accepted(scan, place)
    scan.claim(Found(at, at, scan.starts[at], scan.ends[at], "kb:x", "place", "kb", 1.0))
    assert not tagged._accepted(scan, place)
    assert not tagged._accepted(scan, tagger.TaggedSpan(1, 1, "PER", 0.5))
    # a class the policy gives no threshold is never taken (places were not, before 0.12.1)
    tagged.use_policy(tagged.TaggerPolicy(thresholds={"PER": 0.8, "ORG": 0.9}))
    try:
        assert not tagged._accepted(scan, tagger.TaggedSpan(1, 1, "LOC", 0.99))
    finally:
        tagged.use_policy(tagged.SHIPPED)
    assert tagged._accepted(scan, tagger.TaggedSpan(1, 1, "LOC", 0.99))


def test_no_model_means_rules_alone() -> None:
    previous = tagger.current_model()
    tagger.use_model(None)
    try:
        doc = extract_document("والتقى كاسترو وزير الخارجية أمس.")
    finally:
        tagger.use_model(previous)
    assert not [m for m in doc.mentions if m.method == "model"]


def test_shipped_model_is_in_the_package() -> None:
    assert tagger.MODEL_PATH.is_file() and tagger.MODEL_PATH.with_suffix(".gate.json").is_file()
    for name in ("LICENSE", "README.md"):
        assert (tagger.MODEL_DIR / name).is_file()
    assert tagger.name_tagger() is not None
