"""Identity groups: per-document entities that are one actor without any comparison.

Every entity belongs to exactly one group, decided by the entity alone (``group_key``): a
knowledge-base entity by its KB id, an unlisted organisation, place, country or weapon by kind and
folded name, an unlisted person with a name of two or more words by that name and country, and an
unlisted one-word person alone. Groups are the nodes the actor merge compares; comparing one
representative per group keeps the pairwise work proportional to distinct actors, not mentions.

What the merge needs to know about a group is its ``Profile``: counts, minima and sums over its
members, so adding a member is one addition and the order members arrive in never matters (the
same members give the same profile, whichever article came first). A profile is stored with the
group; removing a member recomputes the profile from the members' stored contributions.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import msgspec

from service.extract.actors.knowledge import country_of_demonym, lookup_alias
from service.extract.actors.resolve import (
    _names,
    blocking_keys,
    role_words,
    short_name_key,
    transliteration_key,
)
from service.extract.document import Document, Entity, RoleMention
from service.merge.actor_name_keys import name_keys, names_may_agree
from service.merge.actor_variants import (
    ContextIndex,
    anchor_countries,
    context_index,
    context_tokens,
    is_context,
)
from service.merge.rules import merge_rules
from service.text import match_key as _match_key

match_key = lru_cache(maxsize=1 << 16)(_match_key)
"""Names recur across documents and every group key folds them: fold each once per process."""

Member = tuple[str, str]
"""One per-document entity: (document sha256, entity key)."""

GROUP_RULES = {"kb": "kb_id", "n": "same_name", "p": "equal_name"}
"""The merge rule recorded for each member joined to its group's head, by group-key prefix."""


class GroupNames(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Forms of one unlisted organisation or place that share a group (``data/actor_names.json``)."""

    place_heads: frozenset[str]
    org_place_heads: frozenset[str]
    country_construct_stops: frozenset[str]


_NAMES_PATH = Path(__file__).parent / "data" / "actor_names.json"


@cache
def group_names() -> GroupNames:
    """The data file, folded (``match_key``), loaded once; keys starting with ``_`` are documentation."""
    raw = msgspec.json.decode(_NAMES_PATH.read_bytes(), type=dict[str, str | list[str]])
    folded = {k: [match_key(w) for w in v] for k, v in raw.items() if not k.startswith("_")}
    return msgspec.convert(folded, GroupNames)


def _country_suffix(words: list[str]) -> tuple[int, str] | None:
    """(where it starts, country id) of the longest country name that ends ``words`` after at
    least one word ("وزاره خارجيه مملكه البحرين" -> (2, "country.bh")), else None."""
    for i in range(1, len(words)):
        found = [e.id for e in lookup_alias(" ".join(words[i:])) if e.kind == "country"]
        if found:
            return i, found[0]
    return None


def _without_area_noun(words: list[str], data: GroupNames) -> str | None:
    """An organisation's name without the area noun before its place ("شرطه محافظه جده" ->
    "شرطه جده"), else None."""
    for i in range(1, len(words) - 1):
        if words[i] in data.org_place_heads:
            return " ".join(words[:i] + words[i + 1 :])
    return None


@lru_cache(maxsize=1 << 14)
def body_name(kind: str, name: str) -> str:
    """The group name of an unlisted organisation or place (``name`` folded): a place without a
    leading generic noun ("بلده عرسال" -> "عرسال"); an organisation named with its country as a
    nisba ("وزاره الخارجيه البحرينيه") or as a construct complement ("وزاره خارجيه البحرين",
    "وزاره خارجيه مملكه البحرين") as its own words made definite + "|" + the country
    ("وزاره الخارجيه|country.bh"); an organisation without the area noun before its place
    ("شرطه محافظه جده" -> "شرطه جده"). Other names are unchanged: two bodies sharing a head noun
    ("وزاره الخارجيه البحرينيه", "وزاره الداخليه البحرينيه") keep two names."""
    words = name.split()
    data = group_names()
    if kind == "place":
        return " ".join(words[1:]) if len(words) >= 2 and words[0] in data.place_heads else name
    if kind != "organization" or len(words) < 2:
        return name
    country = country_of_demonym(words[-1])
    if country is not None:
        return f"{' '.join(words[:-1])}|{country}"
    suffix = _country_suffix(words)
    if suffix is None:
        return _without_area_noun(words, data) or name
    at, country = suffix
    last = words[at - 1]
    if last.startswith("ال") or last in data.country_construct_stops or len(last) < 3:
        return name
    return f"{' '.join([*words[: at - 1], 'ال' + last])}|{country}"


def group_key(sha: str, key: str, entity: Entity) -> str:
    """The identity group of one entity (see the module docstring)."""
    if entity.kb_id:
        return "kb:" + entity.kb_id
    name = match_key(entity.name_ar)
    if entity.kind != "person":
        return f"n:{entity.kind}:{body_name(entity.kind, name)}"
    if " " in name:
        return f"p:{name}|{entity.country or ''}"
    return f"s:{sha}:{key}"


_row_encoder = msgspec.msgpack.Encoder()


def row_digest(*parts: object) -> int:
    """A 64-bit hash of one stored row; a set of rows is summarised by the sum of its rows' digests."""
    return int.from_bytes(hashlib.blake2b(_row_encoder.encode(parts), digest_size=8).digest(), "big")


DIGEST_MOD = 1 << 64


class Contribution(msgspec.Struct, frozen=True, array_like=True):
    """What one member adds to its group: its identity, names, roles and mention summary."""

    sha: str
    key: str
    kind: str
    name_ar: str
    name_en: str | None
    kb_id: str | None
    country: str | None
    lat: float | None
    lon: float | None
    wikidata: str | None
    confidence: float
    names: tuple[str, ...]
    roles: tuple[str, ...]
    weight: int
    alias_forms: tuple[str, ...]
    mentions: int
    mention_digest: int
    role_digest: int

    @property
    def member(self) -> Member:
        return (self.sha, self.key)


def contribution(doc: Document, key: str, entity: Entity, index: ContextIndex | None = None) -> Contribution:
    """The contribution of entity ``key`` of ``doc`` (spans are read from the document's text);
    ``index``: the article's ``actor_variants.context_index`` when several entities are read."""
    rules = merge_rules()
    forms: list[str] = []
    mention_digest = 0
    for i in entity.mentions:
        mention = doc.mentions[i]
        quote = doc.text[mention.start : mention.end]
        mention_digest += row_digest(mention.start, mention.end, quote, mention.method, doc.sha256)
        if rules.is_alias(entity.kind, mention.method):
            forms.append(" ".join(quote.split()))
    role_digest = 0
    for rm in entity.roles:
        quote = doc.text[rm.start : rm.end]
        role_digest += row_digest(rm.role or rm.text, rm.rank, rm.start, rm.end, quote, doc.sha256)
    return Contribution(
        sha=doc.sha256,
        key=key,
        kind=entity.kind,
        name_ar=entity.name_ar,
        name_en=entity.name_en,
        kb_id=entity.kb_id,
        country=entity.country,
        lat=entity.lat,
        lon=entity.lon,
        wikidata=entity.wikidata,
        confidence=entity.confidence,
        names=tuple(sorted({entity.name_ar, *entity.aliases, *context_tokens(doc, key, rules, index)})),
        roles=tuple(sorted(rm.role or rm.text for rm in entity.roles)),
        weight=len(entity.mentions) or 1,
        alias_forms=tuple(sorted(forms)),
        mentions=len(entity.mentions),
        mention_digest=mention_digest % DIGEST_MOD,
        role_digest=role_digest % DIGEST_MOD,
    )


def members_of(doc: Document) -> dict[str, list[Contribution]]:
    """The contributions of a document's entities, by group key."""
    out: dict[str, list[Contribution]] = {}
    index = context_index(doc)
    for key in sorted(doc.entities):
        entity = doc.entities[key]
        out.setdefault(group_key(doc.sha256, key, entity), []).append(contribution(doc, key, entity, index))
    return out


class NameTally(msgspec.Struct, frozen=True, array_like=True):
    """How often one Arabic name names the actor, and its first member (whose English name is shown)."""

    weight: int
    sha: str
    key: str
    name_en: str | None
    kind: str


def _add_counts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, n in b.items():
        out[k] = out.get(k, 0) + n
    return out


def _tally(values: tuple[str, ...]) -> dict[str, int]:
    return dict(Counter(values))


class Profile(msgspec.Struct):
    """Everything the merge reads about a group (or, summed over its groups, an actor).

    Each field is a count, a minimum or a sum over members, so profiles add up in any order.
    """

    members: int
    head: Contribution
    """The smallest member (document sha256, entity key): its identity represents the group."""
    order: tuple[str, str, str]
    """The smallest (``order_name``, sha256, entity key): orders actors and names the unlisted ones."""
    kb_head: Contribution | None
    names: dict[str, int]
    roles: dict[str, int]
    display: dict[str, NameTally]
    countries: dict[str, int]
    placed: tuple[str, str, float, float] | None
    wikidata: str | None
    confidence: dict[str, int]
    """Member confidences (as repr strings, exact) and how many members have each."""
    # ``names`` also holds the members' context tokens (``actor_variants.CONTEXT``): the merge
    # compares a group again when its names change, and the variant rules read the context.
    alias_forms: dict[str, int]
    mentions: int
    mention_digest: int
    role_digest: int


def order_name(c: Contribution) -> str:
    """The name a member orders and names its actor by: its folded name, or for an unlisted
    organisation or place its group's ``body_name``, so that every member of such a group has the
    same one and a member arriving later never changes the actor's id (an incremental merge keeps
    the id of an actor whose group only gained members)."""
    name = match_key(c.name_ar)
    return body_name(c.kind, name) if c.kind != "person" and not c.kb_id else name


def profile_of(c: Contribution) -> Profile:
    """The profile of a group with one member."""
    placed = (c.sha, c.key, c.lat, c.lon) if c.lat is not None and c.lon is not None else None
    return Profile(
        members=1,
        head=c,
        order=(order_name(c), c.sha, c.key),
        kb_head=c if c.kb_id else None,
        names=_tally(c.names),
        roles=_tally(c.roles),
        display={c.name_ar: NameTally(c.weight, c.sha, c.key, c.name_en, c.kind)},
        countries={c.country: 1} if c.country else {},
        placed=placed,
        wikidata=c.wikidata,
        confidence={repr(float(c.confidence)): 1},
        alias_forms=_tally(c.alias_forms),
        mentions=c.mentions,
        mention_digest=c.mention_digest,
        role_digest=c.role_digest,
    )


def _min_contribution(a: Contribution | None, b: Contribution | None) -> Contribution | None:
    if a is None or b is None:
        return a or b
    return a if a.member <= b.member else b


def _merge_display(a: dict[str, NameTally], b: dict[str, NameTally]) -> dict[str, NameTally]:
    out = dict(a)
    for name, t in b.items():
        s = out.get(name)
        if s is None:
            out[name] = t
        else:
            first = s if (s.sha, s.key) <= (t.sha, t.key) else t
            out[name] = NameTally(s.weight + t.weight, first.sha, first.key, first.name_en, first.kind)
    return out


def add_profiles(a: Profile, b: Profile) -> Profile:
    """The profile of the union of two disjoint member sets."""
    placed = min((p for p in (a.placed, b.placed) if p is not None), default=None)
    wikidata = min((w for w in (a.wikidata, b.wikidata) if w), default=None)
    head = _min_contribution(a.head, b.head)
    assert head is not None
    return Profile(
        members=a.members + b.members,
        head=head,
        order=min(a.order, b.order),
        kb_head=_min_contribution(a.kb_head, b.kb_head),
        names=_add_counts(a.names, b.names),
        roles=_add_counts(a.roles, b.roles),
        display=_merge_display(a.display, b.display),
        countries=_add_counts(a.countries, b.countries),
        placed=placed,
        wikidata=wikidata,
        confidence=_add_counts(a.confidence, b.confidence),
        alias_forms=_add_counts(a.alias_forms, b.alias_forms),
        mentions=a.mentions + b.mentions,
        mention_digest=(a.mention_digest + b.mention_digest) % DIGEST_MOD,
        role_digest=(a.role_digest + b.role_digest) % DIGEST_MOD,
    )


def sum_profiles(profiles: list[Profile]) -> Profile:
    """The sum of several profiles (at least one)."""
    total = profiles[0]
    for p in profiles[1:]:
        total = add_profiles(total, p)
    return total


def profile_from(contributions: list[Contribution]) -> Profile:
    """The profile of a group from all its members' contributions."""
    return sum_profiles([profile_of(c) for c in sorted(contributions, key=lambda c: c.member)])


def confidence(p: Profile) -> float:
    """1 - prod(1 - c) over the members' confidences, computed in a fixed order (rounded)."""
    remaining = 1.0
    for value, n in sorted((float(k), n) for k, n in p.confidence.items()):
        remaining *= (1.0 - max(0.0, min(1.0, value))) ** n
    return round(1.0 - remaining, 4)


# --- comparing person groups -------------------------------------------------------------------


def representative(p: Profile) -> Entity:
    """The group as one entity for ``resolve.same_actor``: the head's identity, all names and roles."""
    h = p.head
    return Entity(
        key=f"{h.sha}:{h.key}",
        kind=h.kind,  # type: ignore[arg-type]
        name_ar=h.name_ar,
        name_en=h.name_en,
        kb_id=h.kb_id,
        country=h.country,
        aliases=sorted(n for n in p.names if not is_context(n)),
        roles=[RoleMention(start=0, end=0, text=t) for t in sorted(p.roles)],
    )


class Signature(msgspec.Struct, frozen=True):
    """What decides which person groups are compared: blocking keys, and the prefilter's inputs."""

    keys: tuple[str, ...]
    doc: str
    kb_id: str | None
    country: str | None
    role_words: tuple[str, ...]
    full_names: tuple[str, ...]
    context: tuple[str, ...] = ()
    """Context tokens (``actor_variants``): a shared one lets the variant rules compare the groups."""
    anchor_countries: tuple[str, ...] = ()
    """Countries of the KB anchors among them: one a listed person belongs to lets them compare."""
    givens: tuple[str, ...] | None = None
    """Given-name keys of its names (``actor_name_keys``); None in a signature stored before them."""
    bare: tuple[str, ...] = ()
    """Skeletons of its one-word names (``actor_name_keys``)."""
    lasts: tuple[str, ...] = ()
    """Skeletons of the last words of its longer names (``actor_name_keys``)."""


def signature(p: Profile) -> Signature:
    """The comparison signature of a person group (its representative's keys and features)."""
    rep = representative(p)
    givens, bare, lasts = name_keys(_names(rep))
    return Signature(
        keys=tuple(sorted(blocking_keys(rep))),
        doc=p.head.sha,
        kb_id=rep.kb_id,
        country=rep.country,
        role_words=tuple(sorted(role_words(rep))),
        full_names=tuple(
            sorted(
                {k for words in _names(rep) if " " in (k := " ".join(words))}
                | {transliteration_key(words) for words in _names(rep) if len(words) >= 2}
                | {key for words in _names(rep) if (key := short_name_key(words))}
            )
        ),
        context=(context := context_of(p)),
        anchor_countries=anchor_countries(context),
        givens=givens,
        bare=bare,
        lasts=lasts,
    )


def context_of(p: Profile) -> tuple[str, ...]:
    """The context tokens of a group (``actor_variants``), sorted."""
    return tuple(sorted(n for n in p.names if is_context(n)))


def may_match(a: Signature, b: Signature) -> bool:
    """Whether ``same_actor`` can match the two groups at all; False skips the comparison.

    A necessary condition read off ``resolve.same_actor``: two KB people are never compared
    (different KB ids never match, and one KB id is one group); countries must not conflict; and
    the match needs either an equal full name (``equal_alias``) or corroboration (the same country,
    or a shared role word), or for ``actor_variants.variant_match`` a shared context token.
    ``tests/extract/test_actor_groups.py`` checks on real articles that no
    pair this skips would have matched: if ``same_actor`` is widened, this must follow.
    Two unlisted people first seen in one article were kept apart there and are not compared.
    Every rule also needs two names agreeing on the given name (``actor_name_keys``): namesakes of
    one country with other given names are not compared (a hub key's hundreds of stored groups).
    """
    if a.kb_id and b.kb_id:
        return False
    if a.doc == b.doc and a.kb_id == b.kb_id:
        return False
    if not names_may_agree(a.givens, a.bare, a.lasts, b.givens, b.bare, b.lasts):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.country and a.country == b.country:
        return True
    return (
        not set(a.role_words).isdisjoint(b.role_words)
        or not set(a.full_names).isdisjoint(b.full_names)
        or not set(a.context).isdisjoint(b.context)
        or bool(a.kb_id and a.country and a.country in b.anchor_countries)
        or bool(b.kb_id and b.country and b.country in a.anchor_countries)
    )
