"""``actor_name_keys``: the given-name condition ``may_match`` adds is necessary for every matching
rule. On real articles, every pair of person groups that ``match_profiles`` joins has names that
agree; and for name variants built from the real names the way outlets write them (kunya, short
names, a family name alone, with and without "بن", "عبد الله" in one word or two), every pair that
``same_actor`` or the variant rules (with a shared context token) match passes too. The condition
must also drop pairs, or it would not shorten anything."""

from __future__ import annotations

import itertools
from functools import cache

from service.extract.actors.resolve import _names, same_actor
from service.extract.document import Entity
from service.merge.actor_clusters import match_profiles
from service.merge.actor_groups import signature
from service.merge.actor_name_keys import name_keys, names_may_agree
from service.merge.actor_variants import variant_match
from tests.extract.test_actor_groups import person_groups


def _agree(a: Entity, b: Entity) -> bool:
    return names_may_agree(*name_keys(_names(a)), *name_keys(_names(b)))


def test_every_pair_the_rules_match_on_real_articles_has_names_that_agree() -> None:
    groups = person_groups()
    matched = dropped = 0
    for (a, pa), (b, pb) in itertools.combinations(sorted(groups.items()), 2):
        sa, sb = signature(pa), signature(pb)
        agree = names_may_agree(sa.givens, sa.bare, sa.lasts, sb.givens, sb.bare, sb.lasts)
        dropped += not agree
        if sa.kb_id and sb.kb_id:
            continue
        if match_profiles(pa, pb) is not None:
            matched += 1
            assert agree, f"{a} and {b} match but their name keys do not meet"
    assert matched > 0
    assert dropped > len(groups), "the condition drops (almost) nothing"


def _variants(name: str) -> list[str]:
    """Ways other outlets write one name: a kunya, first + last, the family name alone, without
    "بن", with "عبد" apart from or joined to the name after it, a middle name left out."""
    words = name.split()
    out = ["أبو " + name, words[-1], " ".join(w for w in words if w not in ("بن", "ابن"))]
    if len(words) >= 3:
        out += [f"{words[0]} {words[-1]}", " ".join(words[:1] + words[2:]), " ".join(words[:3])]
    out.append(name.replace("عبد ", "عبد").replace("عبدال", "عبد ال"))
    last = words[-1][2:] if words[-1].startswith("ال") else "ال" + words[-1]
    out.append(" ".join([*words[:-1], last]))
    return sorted({v for v in out if v and v != name})


@cache
def _people() -> list[Entity]:
    found: dict[str, Entity] = {}
    for p in person_groups().values():
        h = p.head
        if len(h.name_ar.split()) >= 2 and h.name_ar not in found:
            found[h.name_ar] = Entity(key="x", kind="person", name_ar=h.name_ar, country=h.country)
    return [found[k] for k in sorted(found)]


def test_variants_of_real_names_that_match_have_names_that_agree() -> None:
    context = {"\x1dctx:place:x@1"}
    matched = 0
    for person in _people():
        for form in _variants(person.name_ar):
            other = Entity(key="y", kind="person", name_ar=form, country=person.country)
            hit = same_actor(person, other).matched or variant_match(person, other, context, context)
            if hit:
                matched += 1
                assert _agree(person, other), f"{person.name_ar} / {form} match but do not agree"
    assert matched > 50


def test_names_with_other_given_names_do_not_agree() -> None:
    a = Entity(key="a", kind="person", name_ar="محمد العتيبي")
    b = Entity(key="b", kind="person", name_ar="خالد العتيبي")
    c = Entity(key="c", kind="person", name_ar="العتيبي")
    d = Entity(key="d", kind="person", name_ar="أبو محمد العتيبي")
    assert not _agree(a, b)
    assert _agree(a, c) and _agree(b, c)  # a family name alone meets both
    assert _agree(a, d)  # the kunya is read without its particle
