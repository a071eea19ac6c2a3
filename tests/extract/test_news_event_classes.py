"""Classes of event construction that extractor 0.6.2 reads, found by reading its output against
unannotated SaudiNewsNet days (2015-07-24, 07-25, 07-31) and the arabic_event_gsr dev split:
arson, battles and clashes told by a verb, dual nouns of violence, fire opened with the subject
between verb and object, assassinations and abductions, arrests told by "ضبط" and by "ألقت X
القبض على" when the name reader runs into the phrase, relief flights and convoys, and a talk
"by phone" that is a phone call, not a meeting.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset

SUNDAY = date(2015, 7, 26)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SUNDAY))


def kinds(text: str) -> list[tuple[str, str | None]]:
    return [(e.plover_type, e.plover_mode) for e in doc_of(text).events]


def test_every_new_trigger_keeps_its_quote_verbatim() -> None:
    text = "أضرم مستوطنون النار في منزل قرب نابلس فجر اليوم. وخطف مسلحون ثلاثة صحفيين في بنغازي أمس."
    doc = doc_of(text)
    assert len(doc.events) == 2
    for e in doc.events:
        assert text[e.start : e.end] == e.quote
        assert text[e.trigger_start : e.trigger_start + len(e.trigger)] == e.trigger


@pytest.mark.parametrize(
    "text",
    [
        "أضرم مستوطنون النار في منزل عائلة في قرية قرب نابلس فجر اليوم.",
        "أضرم متطرفون النيران في منزل في الضفة الغربية مما أدى إلى مقتل طفل أمس.",
        "ودانت الجامعة العربية جريمة إحراق منزل العائلة في الضفة الغربية.",
        "أحرق متطرفون مسجداً في بلدة قرب رام الله أمس.",
    ],
)
def test_arson_is_an_attack_and_its_toll_is_the_same_event(text: str) -> None:
    assert kinds(text) == [("ASSAULT", "attack")]


@pytest.mark.parametrize(
    "text",
    [
        "خاضت القوات الحكومية معارك عنيفة مع المسلحين في تعز أمس.",
        "اندلعت معارك عنيفة بين المقاومة الشعبية وميليشيات الحوثي في لحج اليوم.",
        "اشتبكت قوات الأمن مع مسلحين في بلدة رفح أمس.",
        "وتبادلت قوات الأمن إطلاق النار مع مهربين قرب الحدود أمس.",
    ],
)
def test_battles_and_clashes_told_by_a_noun_or_a_verb(text: str) -> None:
    assert kinds(text) == [("ASSAULT", "attack")]


def test_the_sides_of_a_battle_between_two_named_forces_take_part() -> None:
    doc = doc_of("اندلعت معارك عنيفة بين المقاومة الشعبية وميليشيات الحوثي في لحج اليوم.")
    (event,) = doc.events
    assert {doc.entities[a.entity].name_ar for a in event.actors} == {"المقاومة الشعبية", "جماعة الحوثي"}
    assert event.location == "kb:place.lahij"
    assert doc.dates[event.date].start_date == SUNDAY if event.date is not None else False


@pytest.mark.parametrize(
    "text",
    [
        "ويخوض الحزب معركة سياسية مع الحكومة في البرلمان منذ أشهر.",
        "وتتجه الأنظار إلى المعركة الانتخابية المقبلة.",
    ],
)
def test_a_figurative_or_definite_battle_is_no_attack(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نفذ التنظيم تفجيرين انتحاريين في قريتين قرب الحدود أمس.", ("ASSAULT", "bombing")),
        ("شنت الطائرات غارتين على مواقع المسلحين في صعدة أمس.", ("ASSAULT", "aerial")),
        ("وأسفر هجومين على نقطتين للجيش في العريش أمس عن مقتل جنديين.", ("ASSAULT", "attack")),
    ],
)
def test_dual_nouns_of_violence(text: str, expected: tuple[str, str]) -> None:
    assert kinds(text)[:1] == [expected]


def test_fire_opened_with_the_subject_between_verb_and_object() -> None:
    assert kinds("أطلق مسلحون النار على دورية للشرطة في الرياض أمس.") == [("ASSAULT", "attack")]


@pytest.mark.parametrize(
    "text",
    [
        "وأطلقت الوزارة أمس حملة توعية في الرياض.",
        "وأطلق الشاعر ديوانه الجديد في جدة أمس.",
        "وأعلنت الحكومة وقف إطلاق النار في المدينة أمس.",
    ],
)
def test_launching_a_campaign_or_a_ceasefire_is_no_attack(text: str) -> None:
    assert ("ASSAULT", "attack") not in kinds(text)


def test_an_assassination_verb_is_a_killing_and_its_anniversary_no_event() -> None:
    assert kinds("اغتال مسلحون ضابطا في الشرطة في بنغازي أمس.") == [("ASSAULT", "kill")]
    assert kinds("وتحل اليوم ذكرى اغتيال رئيس الوزراء عام 2005.") == []


@pytest.mark.parametrize(
    "text",
    [
        "خطف مسلحون ثلاثة صحفيين في بنغازي أمس.",
        "خطفت جماعة مسلحة خمسة عمال في ليبيا أمس.",
    ],
)
def test_an_abduction_of_people_is_a_seizure_of_persons(text: str) -> None:
    assert kinds(text) == [("COERCE", "arrest")]


@pytest.mark.parametrize(
    "text",
    [
        "خطف اللاعب الأنظار في مباراة أمس.",
        "وخطف المهاجم هدف الفوز في الدقيقة الأخيرة من مباراة أمس.",
    ],
)
def test_snatching_a_goal_or_the_limelight_is_no_abduction(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "ألقت الشرطة القبض على ثلاثة مطلوبين في جدة أمس.",
        "أعلنت الداخلية ضبط خمسة أشخاص في المنطقة الحدودية أمس.",
        "تمكنت قوات الأمن من ضبط 20 متسللا على الحدود أمس.",
    ],
)
def test_arrests_told_by_seizing_people(text: str) -> None:
    assert kinds(text) == [("COERCE", "arrest")]


def test_controlling_prices_is_no_arrest() -> None:
    assert kinds("وقال المحافظ إن الفرق الميدانية تعمل على ضبط الأسعار في الأسواق.") == []


def test_a_relief_flight_arriving_is_aid_not_a_visit() -> None:
    doc = doc_of("وصلت طائرة إغاثة سعودية إلى عدن أمس محملة بالمواد الطبية.")
    (event,) = doc.events
    assert (event.plover_type, event.plover_mode) == ("AID", "humanitarian")
    assert event.location == "kb:place.aden"
    assert [doc.entities[a.entity].name_ar for a in event.actors] == ["السعودية"]


@pytest.mark.parametrize(
    "text",
    [
        "بحث الملك سلمان مع الرئيس المصري عبد الفتاح السيسي في اتصال هاتفي أمس العلاقات الثنائية.",
        "أجرى الملك سلمان اتصالاً هاتفياً بالرئيس المصري عبد الفتاح السيسي أمس.",
        "بحث الملك سلمان هاتفيا مع الرئيس المصري عبد الفتاح السيسي أمس العلاقات الثنائية.",
    ],
)
def test_talks_held_by_phone_are_a_phone_call_in_every_wording(text: str) -> None:
    assert kinds(text) == [("CONSULT", "phone")]


# --- dates, modes and counts of one report ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "قتل طفل حرقا ليل الخميس الجمعة في قرية قرب نابلس.",
        "قتل طفل حرقا ليلة الخميس/الجمعة في قرية قرب نابلس.",
        "قتل طفل حرقا ليل الخميس إلى الجمعة في قرية قرب نابلس.",
    ],
)
def test_the_night_between_two_weekdays_is_the_day_it_ended_on(text: str) -> None:
    doc = extract_document(text, SourceMeta(published=date(2015, 8, 1)))
    (event,) = doc.events
    assert event.date is not None and doc.dates[event.date].start_date == date(2015, 7, 31)


def test_two_weekdays_that_are_no_night_apart_stay_two_dates() -> None:
    doc = extract_document(
        "وتعقد الجلسات ليلة الخميس والسبت في الرياض.", SourceMeta(published=date(2015, 8, 1))
    )
    assert len([d for d in doc.dates if d.basis != "inferred"]) == 2


@pytest.mark.parametrize(
    ("text", "mode", "killed"),
    [
        ("قتل تسعة من عناصر التنظيم في الغارات الجوية التي شنتها مقاتلات تركية فجر الجمعة.", "aerial", 9),
        ("قتل خمسة أشخاص في انفجار سيارة مفخخة في بغداد أمس.", "bombing", 5),
        ("لقي ثلاثة أشخاص مصرعهم جراء غارة جوية على صنعاء أمس.", "aerial", 3),
        ("قتل جنديان في هجوم على نقطة تفتيش في العريش أمس.", "attack", 2),
    ],
)
def test_a_toll_told_with_its_means_is_an_event_of_that_means(text: str, mode: str, killed: int) -> None:
    (event,) = doc_of(text).events
    assert (event.plover_type, event.plover_mode, event.killed) == ("ASSAULT", mode, killed)


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("أسفر الهجوم عن مقتل شخصين وإصابة ثلاثة آخرين في العريش أمس.", 2, 3),
        ("سقط قتيلان و10 جرحى في انفجار بالعريش أمس.", 2, 10),
        ("وأصيب جريحان في انفجار عبوة ناسفة بالعريش أمس.", None, 2),
    ],
)
def test_dual_nouns_count_two(text: str, killed: int | None, wounded: int | None) -> None:
    (event,) = doc_of(text).events
    assert (event.killed, event.wounded) == (killed, wounded)


# --- a fronted backdrop ("وبعد X، ...") ----------------------------------------------------------


def test_a_fronted_backdrop_gives_its_place_to_the_earlier_event_not_the_new_one() -> None:
    doc = doc_of(
        "وبعيد التفجير الأول في مدينة الرمادي، استهدف هجوم آخر بسيارة مفخخة حاجزا للشرطة في الفلوجة."
    )
    assert [e.location for e in doc.events if e.plover_type == "ASSAULT"][-1] == "kb:place.fallujah"


def test_an_event_in_a_fronted_backdrop_is_not_the_event_after_the_comma() -> None:
    doc = doc_of("وبعد يومين من الهجوم على عدن، قصفت الطائرات مواقع المتمردين في صعدة أمس.")
    assert [(e.plover_mode, e.location) for e in doc.events] == [
        ("attack", "kb:place.aden"),
        ("aerial", "kb:place.saada"),
    ]
    assert doc.events[0].date is None  # "أمس" dates the strikes, not the attack two days before


def test_a_comma_without_a_backdrop_opener_keeps_one_event() -> None:
    doc = doc_of("زار الوزير الرياض، والتقى ولي العهد أمس.")
    assert [(e.plover_type, e.location) for e in doc.events] == [("CONSULT", "kb:place.riyadh")]


# --- across outlets --------------------------------------------------------------------------------


def test_two_calls_of_one_leader_on_one_day_stay_two_calls_and_each_joins_its_other_report() -> None:
    both = (
        "تلقى الملك سلمان بن عبدالعزيز آل سعود اتصالاً هاتفياً اليوم من الرئيس المصري عبدالفتاح السيسي.\n"
        "وتلقى الملك سلمان بن عبدالعزيز اتصالاً هاتفياً اليوم من الرئيس الفرنسي فرانسوا هولاند."
    )
    france = (
        "بحث الملك سلمان بن عبدالعزيز مع الرئيس الفرنسي فرانسوا هولاند في اتصال هاتفي أمس الأوضاع في المنطقة."
    )
    egypt = "أجرى الرئيس عبد الفتاح السيسي اتصالا هاتفيا أمس بالملك سلمان بن عبد العزيز تناول العلاقات بين البلدين."
    docs = [
        extract_document(both, SourceMeta(external_id="a", outlet="a", published=date(2015, 8, 1))),
        extract_document(france, SourceMeta(external_id="b", outlet="b", published=date(2015, 8, 2))),
        extract_document(egypt, SourceMeta(external_id="c", outlet="c", published=date(2015, 8, 2))),
    ]
    dataset = build_dataset(docs)
    ref = {r.source.id: r.source.external_id for r in dataset.sources}
    calls = {
        frozenset(a.actor.name_ar for a in e.actors): sorted(ref[x.source_id] for x in e.attributions)
        for e in dataset.events
        if e.mode == "phone"
    }
    assert calls == {
        frozenset({"سلمان بن عبد العزيز", "فرانسوا هولاند"}): ["a", "b"],
        frozenset({"سلمان بن عبد العزيز", "عبد الفتاح السيسي"}): ["a", "c"],
    }


# --- a noun that names the event just told ------------------------------------------------------


def test_those_who_attended_the_meeting_take_part_in_it_and_open_no_second_meeting() -> None:
    doc = doc_of(
        "التقى الأمير محمد بن سلمان في جدة أمس الرئيس الشيشاني رمضان قاديروف، وجرى خلال اللقاء بحث العلاقات.\n"
        "وحضر اللقاء وزير الخارجية عادل الجبير."
    )
    (meeting,) = doc.events
    assert "عادل الجبير" in {doc.entities[a.entity].name_ar for a in meeting.actors}
    assert meeting.date is not None and doc.dates[meeting.date].start_date == date(2015, 7, 25)


def test_the_welcome_on_arrival_is_the_arrival() -> None:
    doc = doc_of(
        "وصل الرئيس الشيشاني رمضان قاديروف إلى جدة أمس. "
        "وكان في استقباله لدى وصوله مطار الملك عبدالعزيز الدولي وزير الخارجية عادل الجبير."
    )
    assert len([e for e in doc.events if e.plover_type == "CONSULT"]) == 1


def test_a_new_meeting_named_by_a_verb_stays_a_new_meeting() -> None:
    doc = doc_of(
        "التقى الأمير محمد بن سلمان في جدة أمس الرئيس الشيشاني رمضان قاديروف.\n"
        "كما اجتمع الأمير محمد بن سلمان مع رئيس حزب القوات اللبنانية سمير جعجع."
    )
    assert len(doc.events) == 2


def test_shells_falling_from_across_the_border_are_an_attack() -> None:
    text = (
        "باشرت فرق الدفاع المدني في نجران اليوم بلاغا عن سقوط مقذوفات عسكرية من الحدود نتج عنها إصابة مواطن."
    )
    assert kinds(text) == [("ASSAULT", "attack")]
    assert kinds("وشهدت الأسواق سقوط الأسعار أمس.") == []


def test_two_outlets_giving_one_toll_of_one_day_and_place_report_one_attack() -> None:
    first = "قتل 12 شخصا على الأقل اليوم السبت عندما هاجم انتحاريان سوقا مزدحمة في العراق."
    second = "لقي 12 شخصا مصرعهم اليوم في هجوم انتحاري استهدف سوقا شعبية في العراق."
    other = "قتل 7 أشخاص اليوم في هجوم انتحاري استهدف سوقا في العراق."
    docs = [
        extract_document(text, SourceMeta(external_id=key, outlet=key, published=date(2015, 7, 25)))
        for key, text in (("a", first), ("b", second), ("c", other))
    ]
    dataset = build_dataset(docs)
    ref = {r.source.id: r.source.external_id for r in dataset.sources}
    events = sorted(sorted(ref[a.source_id] for a in e.attributions) for e in dataset.events)
    assert events == [["a", "b"], ["c"]]


def test_a_search_operation_is_no_talks() -> None:
    assert kinds("نفذت القوات عملية بحث وتمشيط في المنطقة العسكرية الثانية أمس.") == []
    assert kinds("بحث وزير الخارجية مع نظيره الأردني في عمان أمس العلاقات الثنائية.") == [("CONSULT", "meet")]


@pytest.mark.parametrize(
    "text",
    [
        "لقي خمسة أشخاص مصرعهم إثر اصطدام مركب بعبارة في نهر النيل أمس.",
        "لقي ثلاثة نزلاء حتفهم إثر تسمم غذائي في فندق بالقاهرة أمس.",
    ],
)
def test_deaths_in_a_collision_or_a_poisoning_are_no_attack(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "أعلن وزير الداخلية اليوم الأحد اعتقال المتورطين بالتفجير.",
        "وأعلنت الشرطة القبض على منفذي الهجوم على المسجد.",
    ],
)
def test_an_arrest_of_the_perpetrators_named_by_what_they_did(text: str) -> None:
    assert kinds(text) == [("COERCE", "arrest")]
