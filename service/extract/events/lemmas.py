"""Event triggers matched on lemmas as well as surface forms.

A trigger form in ``data/event_types.json`` ("هاجم", "غارة") also matches the other inflections
that share its lemma in simplemma's Arabic dictionary (MIT, data in its wheel): "هاجموا",
"الغارات", "اعتصموا". The expansion is computed once, offline, into ``data/event_lemmas.json``
by ``python -m service.extract.events.lemmas --write``, so extraction pays nothing for it at run
time (the forms join the trigger lexicon's surface index) and needs no lemmatiser installed.

Precision safeguards, applied when the file is written:
* only verbs are expanded, to their conjugations: the inflection must keep the trigger's shape,
  so a verbal noun never brings in its root verb ("تفجير" is not "فجر", dawn), and only perfect
  forms are expanded (an imperfect form such as "تُدين" shares its letters with other verbs'
  lemmas). Noun plurals name events in general or venues ("المركز الدولي للمؤتمرات") more often
  than one event, so nouns keep their listed forms;
* an inflection that is another trigger's form, or that fires on the arabic_event_gsr train and
  dev sentences with a precision below ``MIN_PRECISION``, is dropped (the test fifth is not read).

``use_lemmas(False)`` switches the expansion off (for the rules-alone figures and benchmarks).
"""

from __future__ import annotations

import argparse
import sys
from functools import cache

import msgspec

from service.extract.datafiles import DATA_DIR, read
from service.text import fold

LEMMAS_PATH = DATA_DIR / "event_lemmas.json"
VERB_PREFIXES = ("", "ي", "ت", "ن", "ا")
IMPERFECT = ("ي", "ت", "ن")
VERB_SUFFIXES = ("", "ت", "وا", "ا", "ن", "تا", "ون", "ان", "ين", "نا", "تم", "تما", "تن", "و")
NOUN_SUFFIXES = ("", "ات", "ان", "ين", "ا")
FEMININE_SUFFIXES = ("ات", "تان", "تين")
MIN_PRECISION = 0.3
MIN_FIRES = 3


class LemmaForms(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``event_lemmas.json``: folded trigger form -> the folded inflections sharing its lemma."""

    about: str
    source: str
    forms: dict[str, list[str]]
    dropped: dict[str, str] = {}


_enabled = True


def use_lemmas(enabled: bool) -> None:
    """Match triggers on lemmas (the default) or on surface forms only (rules-alone figures)."""
    global _enabled
    _enabled = enabled
    from service.extract.events.lexicon import event_lexicon

    event_lexicon.cache_clear()


@cache
def lemma_forms() -> dict[str, tuple[str, ...]]:
    """Folded trigger form -> its other inflections (empty when the file is absent)."""
    if not LEMMAS_PATH.is_file():
        return {}
    data: LemmaForms = read(LEMMAS_PATH.name, LemmaForms)
    return {form: tuple(more) for form, more in data.forms.items()}


def with_inflections(forms: list[str]) -> list[str]:
    """The trigger's forms followed by the inflections its one-word forms share a lemma with."""
    if not _enabled:
        return forms
    table = lemma_forms()
    out = list(forms)
    seen = {fold(f) for f in forms}
    for form in forms:
        for more in table.get(fold(form), ()):
            if more not in seen:
                seen.add(more)
                out.append(more)
    return out


def same_shape(form: str, other: str, pos: str, nouns: bool = False) -> bool:
    """Whether ``other`` (folded) is an inflection of ``form`` (folded) for its part of speech:
    a verb's conjugation (prefix + stem + suffix), or (with ``nouns``) a noun's number and
    article forms. Nouns are not expanded in the shipped file: a plural names events in general
    or a venue ("المركز الدولي للمؤتمرات") more often than one event."""
    if pos == "verb":
        if form[:1] in IMPERFECT:  # "تدين", "تفرج": an imperfect form's lemma may be another verb's
            return False
        stems = {form, form[1:]} if form.startswith("ا") else {form}
        return any(
            other == p + s + x
            for p in VERB_PREFIXES
            for s in stems
            for x in VERB_SUFFIXES
            if p + s + x != form
        )
    if pos == "noun" and nouns:
        bare = other[2:] if other.startswith("ال") else other
        if form.endswith("ه"):  # ة: its plural and dual forms, not the masculine ("معاهدة" is not "معاهد")
            return bare in {form[:-1] + x for x in FEMININE_SUFFIXES}
        return bare in {form + x for x in NOUN_SUFFIXES} and bare != form
    return False


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write data/event_lemmas.json from simplemma's dictionary")
    parser.add_argument("--write", action="store_true", help="write the file (else print a summary)")
    args = parser.parse_args(argv)
    from service.extract.events.lemmas_build import build

    try:
        data = build()
    except Exception as exc:  # the corpus or simplemma is missing: one clear line
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(len(v) for v in data.forms.values())
    print(f"{len(data.forms)} trigger forms, {total} inflections, {len(data.dropped)} dropped")
    if args.write:
        LEMMAS_PATH.write_bytes(msgspec.json.format(msgspec.json.encode(data), indent=1) + b"\n")
        print(f"wrote {LEMMAS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
