"""The event-sentence classifier's features and scoring (pure Python; no corpus, no scikit-learn):
the same sentence always gives the same buckets, proclitics and the article fold onto one stem,
a model file with an unknown field fails loudly, and the score follows the weights."""

from __future__ import annotations

import msgspec
import pytest

from bench.sentence_classifier import (
    BUCKETS,
    FeatureSpec,
    SentenceModel,
    TypeModel,
    features,
    score,
)

WORDS = FeatureSpec(words=2, stems=True)


def test_features_are_deterministic_buckets() -> None:
    text = "قصفت الطائرات مواقع المسلحين في المدينة أمس."
    first = features(text, WORDS)
    assert first == features(text, WORDS)
    assert first and all(0 <= b < BUCKETS for b in first)


def test_proclitics_share_a_stem_feature() -> None:
    plain = features("مظاهرة", FeatureSpec(words=1, stems=True))
    prefixed = features("والمظاهرة", FeatureSpec(words=1, stems=True))
    assert plain & prefixed  # the stem "~مظاهرة" is common to both
    assert plain != prefixed


def test_character_ngrams_add_features() -> None:
    text = "تظاهر مئات الطلاب أمام الوزارة"
    assert features(text, WORDS) < features(text, FeatureSpec(words=2, chars_min=2, chars_max=3))


def test_score_follows_the_weights() -> None:
    buckets = features("اعتقلت الشرطة ثلاثة متهمين", WORDS)
    heavy = TypeModel(bias=-1.0, weights=dict.fromkeys(buckets, 1.0))
    light = TypeModel(bias=-1.0, weights={})
    assert score(heavy, buckets) > 0.5 > score(light, buckets)
    assert score(light, buckets) == pytest.approx(1 / (1 + 2.718281828459045))


def test_model_file_rejects_unknown_fields() -> None:
    raw = b'{"spec": {"words": 2, "typo": 1}, "labels": {}}'
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=SentenceModel)
