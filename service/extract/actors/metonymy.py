"""Capital-city metonymy: "واشنطن تدرس ...", "قالت موسكو ..." name the country's government.

A listed capital (``titles.json`` ``capitals``) that is the subject of a verb of speaking or
deciding (``metonymy_verbs``) right after it (SVO) or right before it (VSO) is re-read as its
country, so the speaker of the claim is the state, not the city. A preposition or place noun
before the capital ("في موسكو أعلنت", "سفارة واشنطن") keeps it a place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from service.extract import datafiles
from service.extract.actors.scan import Scan
from service.text import match_key

CONFIDENCE = 0.8
CONJUNCTIONS = ("و", "ف")


@dataclass(frozen=True)
class MetonymyLexicon:
    capitals: dict[str, str]
    verbs: frozenset[str]
    blockers: frozenset[str]


@lru_cache(maxsize=1)
def metonymy_lexicon() -> MetonymyLexicon:
    raw = datafiles.titles()
    return MetonymyLexicon(
        capitals=dict(raw.capitals),
        verbs=frozenset(match_key(v) for v in raw.metonymy_verbs),
        blockers=frozenset(match_key(w) for w in raw.metonymy_blockers),
    )


def _is_verb(lex: MetonymyLexicon, token: str) -> bool:
    return token in lex.verbs or (token[:1] in CONJUNCTIONS and token[1:] in lex.verbs)


def metonymy_pass(scan: Scan) -> None:
    """Re-read listed capitals that speak or decide as their country (method "anaphora": the
    city's name refers to the state; it is not an alias of the country)."""
    lex = metonymy_lexicon()
    kb = scan.kb
    for f in scan.found:
        if f.kind != "place" or f.kb is None or f.kb.id not in lex.capitals or f.method != "kb":
            continue
        first, last = f.first, f.last
        if f.start != scan.starts[first] and scan.doc.norm[f.start - 1] not in CONJUNCTIONS:
            continue  # "بموسكو", "لواشنطن": a preposition is attached
        before = scan.tokens[first - 1] if first > 0 and scan.joined(first) else ""
        after = scan.tokens[last + 1] if last + 1 < scan.n and scan.joined(last + 1) else ""
        if before in lex.blockers or (before and before[:1] in CONJUNCTIONS and before[1:] in lex.blockers):
            continue
        if not (_is_verb(lex, after) or _is_verb(lex, before)):
            continue
        country = kb.entries[lex.capitals[f.kb.id]]
        f.kb, f.kind, f.key, f.country, f.category = (
            country,
            "country",
            "kb:" + country.id,
            None,
            country.category,
        )
        f.method, f.confidence = "anaphora", CONFIDENCE
