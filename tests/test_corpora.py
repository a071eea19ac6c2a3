"""Readers and fixed splits of the annotated corpora, over small files in their published formats
(the real corpora stay in ../shared/corpus and are not needed here)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service import corpora

NEWSFANE_LINES = [
    "\ufeff\u200eالدوحة\tB-Population-Center",
    "(\tO",
    "\u200eد\tB-Media",
    "\u200eب\tI-Media",
    "\u200eا\tI-Media",
    ")\tO",
    "\u200eقال\tO",
    "\u200eالعرب\tB-Group",
    "\u200eو\tO",
    "\u200eجورج\tB-Politician",
    "\u200eبوش\tI-Politician",
    "\u200eرويترز\tI-Media",
    ".\tO",
]


def _write_corpus(root: Path, sentences: int = 10) -> None:
    newsfane = root / "newsfane"
    newsfane.mkdir(parents=True)
    lines: list[str] = []
    for k in range(sentences):
        lines += [*NEWSFANE_LINES, f"\u200eجملة{k}\tO", "\t"]
    (newsfane / "NewsFANE_Gold_2014_170K.txt").write_text("\r\n".join(lines), encoding="utf-8")
    aqmar = root / "aqmar"
    aqmar.mkdir()
    (aqmar / "Damascus.txt").write_text(
        "دمشق B-LOC\nهي O\n\nقال O\nابن B-PER\nعساكر I-PER\n", encoding="utf-8"
    )
    gsr = root / "arabic_event_gsr"
    gsr.mkdir()
    for event_type, name in corpora.GSR_FILES.items():
        with (gsr / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["", "accept", "event_type", "id", "label", "reject", "text", "total"])
            for i in range(40):
                accept, reject = (3, 0) if i % 4 == 0 else (1, 2)
                label = "yes" if i % 4 == 0 else "difficult no"
                writer.writerow([i, accept, event_type, f"s-{i}", label, reject, f"جملة رقم {i % 30}", 3])


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write_corpus(tmp_path)
    monkeypatch.setenv("MARSAD_CORPUS_DIR", str(tmp_path))
    for reader in (corpora.newsfane, corpora.aqmar, corpora.event_gsr):
        reader.cache_clear()
    yield tmp_path
    for reader in (corpora.newsfane, corpora.aqmar, corpora.event_gsr):
        reader.cache_clear()


def test_newsfane_tags_are_coarsened_and_marks_dropped(corpus: Path) -> None:
    sentence = corpora.newsfane()[0]
    assert sentence.ref == "newsfane#0"
    assert sentence.tokens[:3] == ("الدوحة", "(", "د")
    assert sentence.tags == (
        "B-LOC", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "B-PER", "I-PER", "B-ORG", "O", "O",
    )  # fmt: skip
    assert sentence.fine[0] == "Population-Center" and sentence.fine[9] == "Politician"
    # a group of people ("العرب") is no actor; an I- of another class starts a new entity
    assert sentence.tags[7] == "O" and sentence.fine[11] == "Media"


def test_newsfane_folds_are_contiguous_fifths(corpus: Path) -> None:
    sentences = corpora.newsfane()
    assert len(sentences) == 10
    assert [corpora.newsfane_fold(i) for i in range(10)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    test = corpora.newsfane_split("test")
    assert [s.ref for s in test] == ["newsfane#8", "newsfane#9"]
    assert [s.ref for s in corpora.newsfane_split("dev")] == ["newsfane#6", "newsfane#7"]
    train = corpora.newsfane_split("train")
    assert len(train) == 6 and not {s.ref for s in train} & {s.ref for s in test}


def test_aqmar_sentences(corpus: Path) -> None:
    sentences = corpora.aqmar()
    assert [s.ref for s in sentences] == ["aqmar/Damascus#0", "aqmar/Damascus#1"]
    assert sentences[1].tags == ("O", "B-PER", "I-PER")


def test_gsr_positive_is_the_majority_and_split_follows_the_text(corpus: Path) -> None:
    rows = corpora.event_gsr("ASSAULT")
    assert len(rows) == 40
    assert rows[0].positive and not rows[1].positive
    # the split is a function of the text alone: duplicate sentences never straddle two parts
    by_text: dict[str, set[str]] = {}
    for row in rows:
        by_text.setdefault(row.text, set()).add(row.split)
    assert all(len(parts) == 1 for parts in by_text.values())
    parts = {p: corpora.event_gsr_split("ASSAULT", p) for p in ("train", "dev", "test")}
    assert sum(len(v) for v in parts.values()) == 40
    assert corpora.gsr_split("جملة رقم 3") == corpora.gsr_split(" جملة رقم 3 ")


def test_missing_corpus_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_CORPUS_DIR", str(tmp_path / "absent"))
    corpora.newsfane.cache_clear()
    with pytest.raises(corpora.CorpusMissing, match="newsfane"):
        corpora.newsfane()


def test_evaluation_scores_overlaps_and_says_when_the_corpus_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.extract import evaluate_corpora as ec
    from service.extract.evaluate import Score

    sentence = corpora.TaggedSentence(
        "x#0", ("قال", "جورج", "بوش", "في", "باريس"), ("O", "B-PER", "I-PER", "O", "B-LOC"), ("",) * 5
    )
    (article,) = ec.named_articles([sentence])
    assert [article.text[a:b] for a, b, _ in article.gold] == ["جورج بوش", "باريس"]
    scores = {cls: Score() for cls in ec.CLASS_NAMES}
    found = [(article.text.index("بوش"), len(article.text) - 9, "PER"), (0, 3, "PER")]
    ec.score_spans(article.gold, found, scores)
    assert (scores["PER"].tp, scores["PER"].fp, scores["PER"].fn) == (1, 1, 0)
    assert (scores["LOC"].tp, scores["LOC"].fn) == (0, 1)

    monkeypatch.setenv("MARSAD_CORPUS_DIR", str(tmp_path / "absent"))
    corpora.newsfane.cache_clear()
    assert ec.main(["newsfane"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "MARSAD_CORPUS_DIR" in err
