"""Normalisation: folding rules, and the offset map that ties every norm character to the text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from service.extract.document import Document, SourceMeta
from service.extract.text.normalize import fold, fold_char, match_key, normalize

ARABIC_HEAVY = st.text(
    alphabet=st.sampled_from([*"أإآاىيةهؤئءبتثـًٌٍَُِّْٰ ٠١٩ \n\t،«»İAbc-–\xa0", "\u200f"]), max_size=80
)


def reference_normalize(text: str) -> tuple[str, list[int]]:
    """The definition: fold each character, drop what folds to nothing, collapse spaces."""
    norm, offsets = [], []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        if not f or (f == " " and norm and norm[-1] == " "):
            continue
        for c in f:
            norm.append(c)
            offsets.append(i)
    return "".join(norm), [*offsets, len(text)]


def run(text: str) -> Document:
    doc = Document(text=text, meta=SourceMeta(), sha256="")
    normalize(doc)
    return doc


def test_folding_rules() -> None:
    assert fold("النصّان") == "النصان"
    assert fold("إسرائيل") == fold("اسرائيل")
    assert fold("سوريـــا") == "سوريا"
    assert fold("مدرسة") == fold("مدرسه")
    assert fold("مستشفى") == fold("مستشفي")
    assert fold("٢٠٢٥") == "2025"
    assert fold("  S-400\nو  ") == "s-400 و"
    assert match_key("«أحمد الشرع»،") == "احمد الشرع"


def test_spans_map_back_to_the_verbatim_text() -> None:
    doc = run("وقال   الوزيرُ\nأحمد الشرع: «نعم»")
    start = doc.norm.index("احمد الشرع")
    a, b = doc.span_of_norm(start, start + len("احمد الشرع"))
    assert doc.text[a:b] == "أحمد الشرع"


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=80), ARABIC_HEAVY))
def test_normalize_equals_its_definition(text: str) -> None:
    doc = run(text)
    assert (doc.norm, doc.offsets) == reference_normalize(text)
    assert len(doc.offsets) == len(doc.norm) + 1
    assert all(fold_char(doc.text[o]) for o in doc.offsets[:-1])


def test_a_capital_sigma_folds_as_on_its_own() -> None:
    for text in ("AΣ", "ΟΔΥΣΣΕΥΣ وصل", "Σ"):
        doc = run(text)
        assert (doc.norm, doc.offsets) == reference_normalize(text)
