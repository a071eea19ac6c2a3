"""The real-set evaluator on a tiny synthetic dataset and gold written here: each metric is shown to
count what docs/extraction.md says, and to fail when the extraction is wrong."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from service.extract.evaluate_real import RealEvaluation, date_fits, evaluate_real, summary_table
from service.extract.real_set import RealGold, check_gold
from service.merge.dataset import Dataset, MentionRow, SourceRecord
from service.models.resources import (
    Actor,
    ActorRef,
    Alias,
    Attribution,
    Claim,
    Conflict,
    ConflictValue,
    Event,
    EventActor,
    EventDate,
    Location,
    Name,
    Published,
    Source,
    SubjectRef,
    Summary,
)

TEXT_1 = "أعلن وزير الخارجية عادل الجبير أن المملكة تدين الهجوم. وقال الجبير إن الهجوم وقع أمس في مدينة تعز."
TEXT_2 = "قال عادل بن أحمد الجبير إن الهجوم على تعز إرهابي. ونفى مصدر في وزارة الداخلية وقوع اعتقالات في تعز."
TEXTS = {"a1": TEXT_1, "a2": TEXT_2}
REFS = {"a1": "2015-07-21#1", "a2": "2015-07-21#2"}

GOLD_DOC = {
    "set": "real-dev",
    "about": "synthetic",
    "articles": [
        {"key": k, "ref": REFS[k], "sha256": "0" * 64, "outlet": "x", "topics": [], "cluster": "c"}
        for k in TEXTS
    ],
    "actors": [
        {
            "key": "jubeir",
            "kind": "person",
            "core": True,
            "surface": ["عادل الجبير", "عادل بن أحمد الجبير"],
            "sources": ["a1", "a2"],
        },
        {
            "key": "moi",
            "kind": "organization",
            "core": True,
            "surface": ["وزارة الداخلية"],
            "sources": ["a2"],
        },
        {"key": "taiz", "kind": "place", "core": True, "surface": ["تعز"], "sources": ["a1", "a2"]},
    ],
    "events": [
        {
            "key": "attack",
            "core": True,
            "type": "ASSAULT",
            "status": "occurred",
            "date": "2015-07-20",
            "location": "taiz",
            "participants": {},
            "sources": ["a1", "a2"],
            "evidence": {"a1": "الهجوم وقع أمس في مدينة تعز", "a2": "الهجوم على تعز"},
        },
        {
            "key": "arrests",
            "core": True,
            "type": "COERCE",
            "status": ["denied"],
            "date": None,
            "location": "taiz",
            "participants": {},
            "sources": ["a2"],
            "evidence": {"a2": "وقوع اعتقالات في تعز"},
        },
    ],
    "claims": [
        {
            "key": "c1",
            "core": True,
            "source": "a1",
            "content": "الهجوم وقع أمس في مدينة تعز",
            "speaker": "jubeir",
            "stance": "asserts",
            "via": [],
        },
        {
            "key": "c2",
            "core": True,
            "source": "a2",
            "content": "وقوع اعتقالات في تعز",
            "speaker": {"unnamed_of": "moi"},
            "stance": "denies",
            "via": [],
        },
    ],
    "conflicts": [
        {
            "key": "attack_date",
            "kind": "date",
            "field": "date",
            "subject_event": "attack",
            "values": [
                {"value": "2015-07-20", "sources": ["a1"]},
                {"value": "2015-07-21", "sources": ["a2"]},
            ],
        }
    ],
}
GOLD = msgspec.convert(GOLD_DOC, RealGold)


def source(key: str) -> SourceRecord:
    published = Published(date=date(2015, 7, 21), precision="day", basis="metadata")
    src = Source(
        id=f"src_{key}",
        external_id=REFS[key],
        outlet="x",
        author=None,
        url=None,
        title=None,
        language="ar",
        published=published,
        sha256="0" * 64,
        extractor_version="test",
    )
    return SourceRecord(source=src, text=TEXTS[key])


def attribution(key: str, quote: str) -> Attribution:
    start = TEXTS[key].index(quote)
    return Attribution(
        source_id=f"src_{key}", outlet="x", published_on=None, span=(start, start + len(quote)), quote=quote
    )


def actor(actor_id: str, kind: str, forms: dict[str, str]) -> tuple[Actor, list[MentionRow]]:
    """An extracted actor named in each article of ``forms`` (article key -> verbatim form)."""
    aliases = [Alias(text=t, origin="article", attributions=[attribution(k, t)]) for k, t in forms.items()]
    first = next(iter(forms.values()))
    mentions = [
        MentionRow(
            actor_id=actor_id, source_id=f"src_{k}", start=a.span[0], end=a.span[1], quote=t, method="test"
        )
        for (k, t), a in zip(forms.items(), (attribution(k, t) for k, t in forms.items()), strict=True)
    ]
    return Actor(
        id=actor_id, kind=kind, name=Name(ar=first), aliases=aliases, mention_count=len(forms)
    ), mentions  # type: ignore[arg-type]


def ref(a: Actor) -> ActorRef:
    return ActorRef(id=a.id, kind=a.kind, name_ar=a.name.ar)


def event(
    event_id: str, kind: str, reports: dict[str, str], day: date | None, status: str = "occurred"
) -> Event:
    when = EventDate(
        start=day, end=day, precision="day" if day else "unknown", basis="relative" if day else None
    )
    return Event(
        id=event_id,
        type=kind,
        mode=None,
        cameo=None,
        status=status,  # type: ignore[arg-type]
        date=when,
        location=None,
        actors=[],
        summary=Summary(en=event_id, ar=event_id),
        confidence=1.0,
        attributions=[attribution(k, q) for k, q in reports.items()],
        source_count=len(reports),
    )


def claim(
    claim_id: str, key: str, quote: str, speaker: Actor | None, stance: str, via: Actor | None = None
) -> Claim:
    return Claim(
        id=claim_id,
        speaker=ref(speaker) if speaker else None,
        via=ref(via) if via else None,
        channel="statement",
        stance=stance,  # type: ignore[arg-type]
        said_on=None,
        about=[],
        event_id=None,
        attribution=attribution(key, quote),
    )


def build(*, split_jubeir: bool = False, one_report: bool = False, wrong_date: bool = False) -> Dataset:
    """A dataset that gets everything right, unless told to make one mistake."""
    if split_jubeir:
        jubeir, m1 = actor("act_j1", "person", {"a1": "عادل الجبير"})
        other, m2 = actor("act_j2", "person", {"a2": "عادل بن أحمد الجبير"})
        people, mentions = [jubeir, other], m1 + m2
    else:
        jubeir, mentions = actor("act_j", "person", {"a1": "عادل الجبير", "a2": "عادل بن أحمد الجبير"})
        people = [jubeir]
    moi, m3 = actor("act_moi", "organization", {"a2": "وزارة الداخلية"})
    taiz, m4 = actor("act_taiz", "place", {"a1": "مدينة تعز", "a2": "تعز"})
    reports = {"a1": "الهجوم وقع أمس"} if one_report else {"a1": "الهجوم وقع أمس", "a2": "الهجوم على تعز"}
    attack = event("evt_attack", "ASSAULT", reports, date(2015, 7, 21) if wrong_date else date(2015, 7, 20))
    attack.location = Location(id=taiz.id, name_ar="تعز", name_en="Taiz")
    attack.actors = [EventActor(actor=ref(taiz), role="mentioned")]
    events = [attack, event("evt_arrests", "COERCE", {"a2": "اعتقالات"}, None, status="denied")]
    if one_report:
        events.append(event("evt_attack2", "ASSAULT", {"a2": "الهجوم على تعز"}, date(2015, 7, 20)))
    claims = [
        claim("clm_1", "a1", "الهجوم وقع أمس في مدينة تعز", jubeir, "asserts"),
        claim("clm_2", "a2", "وقوع اعتقالات", None, "denies"),
    ]
    value = ConflictValue(value="2015-07-20", attributions=[attribution("a1", "الهجوم وقع أمس")])
    conflicts = [
        Conflict(
            id="cfl_1",
            kind="attribute",
            subject=SubjectRef(kind="event", id="evt_attack"),
            field="date",
            values=[value],
        )
    ]
    return Dataset(
        sources=[source("a1"), source("a2")],
        actors=[*people, moi, taiz],
        events=events,
        claims=claims,
        conflicts=conflicts,
        mentions=mentions + m3 + m4,
    )


def value(report: dict, *path: str) -> float | None:
    row = report
    for part in path:
        row = row[part]
    return row["value"]


def test_a_dataset_that_gets_everything_right_scores_one_everywhere() -> None:
    report = evaluate_real(build(), GOLD)
    for path in [
        ("events", "found"),
        ("events", "date_right"),
        ("events", "attributed_to_every_article"),
        ("events", "precision"),
        ("claims", "found"),
        ("claims", "speaker_right"),
        ("claims", "stance_right"),
        ("claims", "relay_right"),
        ("actors", "person", "found"),
        ("actors", "person", "precision"),
        ("actors", "person", "variants_merged"),
        ("actors", "organization", "found"),
        ("actors", "place", "found"),
        ("conflicts", "found"),
    ]:
        assert value(report, *path) == 1.0, path
    assert "persons: name variants merged into one actor" in summary_table(report)


def test_one_person_split_in_two_loses_the_merge_and_precision_but_is_still_found() -> None:
    report = evaluate_real(build(split_jubeir=True), GOLD)
    person = report["actors"]["person"]
    assert person["found"]["value"] == 1.0
    assert person["variants_merged"]["value"] == 0.0
    assert person["precision"]["value"] == 0.5
    assert person["not_merged"][0].startswith("jubeir (2 actors")


def test_a_variant_the_articles_use_but_the_actor_does_not_carry_is_not_merged() -> None:
    dataset = build()
    jubeir, mentions = actor("act_j", "person", {"a1": "عادل الجبير"})
    jubeir.aliases.append(Alias(text="عادل بن أحمد الجبير", origin="kb"))  # a spelling no mention links
    dataset.actors = [jubeir, *dataset.actors[1:]]
    dataset.mentions = mentions + [m for m in dataset.mentions if m.actor_id != "act_j"]
    report = evaluate_real(dataset, GOLD)["actors"]["person"]
    assert report["found"]["value"] == 1.0
    assert report["variants_merged"]["value"] == 0.0
    assert report["not_merged"] == ["jubeir (1 actors; unlinked: عادل بن احمد الجبير)"]


def test_a_short_form_only_inside_the_long_one_is_not_a_variant() -> None:
    evaluation = RealEvaluation(build(), GOLD)
    short = msgspec.structs.replace(GOLD.actors[0], surface=["عادل الجبير", "الجبير"], sources=["a1"])
    assert evaluation.variant_keys(short) == {"عادل الجبير", "الجبير"}  # "وقال الجبير" in a1
    short = msgspec.structs.replace(
        GOLD.actors[0], surface=["عادل بن أحمد الجبير", "أحمد الجبير"], sources=["a2"]
    )
    assert evaluation.variant_keys(short) == {"عادل بن احمد الجبير"}


def test_an_event_reported_twice_but_built_twice_is_found_and_not_attributed_to_every_article() -> None:
    report = evaluate_real(build(one_report=True), GOLD)
    assert value(report, "events", "found") == 1.0
    assert value(report, "events", "attributed_to_every_article") == 0.5  # the arrests (one article) are
    assert report["events"]["not_attributed_everywhere"] == ["attack"]
    assert report["conflicts"]["missing"] == []  # the conflict sits on the event matched in a1


def test_a_wrong_date_counts_against_all_gold_events() -> None:
    report = evaluate_real(build(wrong_date=True), GOLD)
    assert report["events"]["date_right"] == {"value": 0.5, "hit": 1, "total": 2}
    assert report["events"]["wrong_date"] == ["attack: 2015-07-21 (day)"]


def test_events_are_matched_one_to_one_within_an_article() -> None:
    dataset = build()
    dataset.events = [event("evt_any", "ASSAULT", {"a2": "الهجوم على تعز"}, date(2015, 7, 20))]
    gold = msgspec.structs.replace(
        GOLD,
        conflicts=[],
        events=[
            msgspec.structs.replace(
                GOLD.events[0], key="first", sources=["a2"], evidence={"a2": "الهجوم على تعز"}
            ),
            msgspec.structs.replace(
                GOLD.events[0], key="second", sources=["a2"], evidence={"a2": "الهجوم على تعز"}
            ),
        ],
    )
    assert evaluate_real(dataset, gold)["events"]["found"] == {"value": 0.5, "hit": 1, "total": 2}


def test_a_wrong_type_is_not_a_match() -> None:
    dataset = build()
    dataset.events = [event("evt_attack", "PROTEST", {"a1": "الهجوم وقع أمس", "a2": "الهجوم على تعز"}, None)]
    report = evaluate_real(dataset, GOLD)
    assert report["events"]["missing"] == ["attack", "arrests"]
    assert value(report, "events", "precision") == 0.0


def test_claims_speaker_relay_and_stance_are_each_checked() -> None:
    dataset = build()
    moi = next(a for a in dataset.actors if a.id == "act_moi")
    jubeir = dataset.actors[0]
    dataset.claims = [
        claim("clm_1", "a1", "الهجوم وقع أمس في مدينة تعز", moi, "denies", via=moi),
        claim("clm_2", "a2", "وقوع اعتقالات", moi, "denies"),  # an unnamed source of the ministry: accepted
    ]
    report = evaluate_real(dataset, GOLD)["claims"]
    assert report["found"]["value"] == 1.0
    assert report["speaker_right"] == {"value": 0.5, "hit": 1, "total": 2}
    assert report["stance_right"]["value"] == 0.5
    assert report["relay_right"]["value"] == 0.5
    dataset.claims = [claim("clm_2", "a2", "وقوع اعتقالات", jubeir, "denies")]
    report = evaluate_real(dataset, GOLD)["claims"]
    assert report["found"]["value"] == 0.5 and report["missing"] == ["c1"]
    assert report["speaker_right"]["value"] == 0.0


def test_an_actor_named_only_in_another_article_does_not_match() -> None:
    dataset = build()
    moi, mentions = actor("act_moi", "organization", {"a1": "الخارجية"})
    moi.aliases.append(Alias(text="وزارة الداخلية", origin="kb"))
    dataset.actors = [a for a in dataset.actors if a.id != "act_moi"] + [moi]
    dataset.mentions = [m for m in dataset.mentions if m.actor_id != "act_moi"] + mentions
    evaluation = RealEvaluation(dataset, GOLD)
    assert evaluation.candidates["moi"] == []


@pytest.mark.parametrize(
    ("start", "precision", "accepted", "fits"),
    [
        (date(2015, 7, 20), "day", ["2015-07-20"], True),
        (date(2015, 7, 20), "month", ["2015-07-20"], False),
        (date(2015, 7, 1), "month", ["2015-07"], True),
        (date(2015, 7, 30), "day", ["2015-07-29/2015-07-31"], True),
        (date(2015, 8, 1), "day", ["2015-07-29/2015-07-31"], False),
        (None, "unknown", [None, "2015-07-31"], True),
        (None, "unknown", ["2015-07-31"], False),
    ],
)
def test_date_fits(start: date | None, precision: str, accepted: list[str | None], fits: bool) -> None:
    when = EventDate(start=start, end=start if precision == "day" else None, precision=precision, basis=None)  # type: ignore[arg-type]
    assert date_fits(when, accepted) is fits


def test_check_gold_accepts_the_synthetic_gold_and_names_each_fault() -> None:
    assert check_gold(GOLD, TEXTS) == []
    broken = msgspec.structs.replace(
        GOLD,
        set="real-heldback",
        claims=[msgspec.structs.replace(GOLD.claims[0], content="قالت الجبير")],
        actors=[msgspec.structs.replace(GOLD.actors[0], surface=["عادل الجبيري"]), *GOLD.actors[1:]],
    )
    problems = check_gold(broken, TEXTS)
    assert "a1: 2015-07-21#1 is on the wrong side of the held-back split" in problems
    assert "claim c1: content 'قالت الجبير' is not in a1" in problems
    assert "actor jubeir: surface 'عادل الجبيري' is in none of its sources" in problems


def test_surface_forms_are_found_behind_proclitics() -> None:
    texts = {"a1": TEXT_1 + " ولوزارة الداخلية وللداخلية.", "a2": TEXT_2}
    gold = msgspec.structs.replace(
        GOLD,
        actors=[
            *GOLD.actors,
            msgspec.convert({**GOLD_DOC["actors"][1], "key": "x", "sources": ["a1"]}, type(GOLD.actors[0])),
        ],
    )
    assert check_gold(gold, texts) == []


def test_a_title_kept_in_a_persons_span_still_matches_but_not_for_organisations() -> None:
    from service.extract.evaluate_real import form_matches, name_key

    assert form_matches(name_key("الأمير محمد بن سلمان"), name_key("محمد بن سلمان"), person=True)
    assert form_matches(name_key("وزير الخارجية عادل الجبير"), name_key("عادل الجبير"), person=True)
    assert not form_matches(
        name_key("عبدالعزيز آل سعود"), name_key("سلمان بن عبدالعزيز آل سعود"), person=True
    )
    assert not form_matches(name_key("أنصار داعش"), name_key("داعش"), person=False)
    assert not form_matches(name_key("محمد بن سلمان"), name_key("سلمان"), person=True)
    assert form_matches(name_key("مدينة بوزانتي"), name_key("بوزانتي"), person=False)
