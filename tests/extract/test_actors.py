"""The actors stage on sentences written for these tests (plus span invariants on the seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.extract.actors.find import find_actors
from service.extract.document import Document, Entity, SourceMeta
from service.extract.text.normalize import normalize

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))


def run(text: str) -> Document:
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    find_actors(doc)
    return doc


def entity_named(doc: Document, name: str) -> Entity:
    found = [e for e in doc.entities.values() if e.name_ar == name or name in e.aliases]
    assert len(found) == 1, [e.name_ar for e in doc.entities.values()]
    return found[0]


def methods(doc: Document, entity: Entity) -> list[tuple[str, str]]:
    return [(doc.mentions[i].text, doc.mentions[i].method) for i in entity.mentions]


def test_listed_person_gets_role_and_country_from_the_title() -> None:
    doc = run("استقبل وزير الخارجية التركي هاكان فيدان نظيره السوري في أنقرة.")
    fidan = doc.entities["kb:person.hakan_fidan"]
    assert [r.role for r in fidan.roles] == ["وزير الخارجية التركي"]
    assert fidan.country == "country.tr"
    assert "kb:place.ankara" in doc.entities


def test_unlisted_officer_after_a_rank_with_a_later_surname() -> None:
    doc = run("وقال العقيد سامر الحلبي، قائد الفوج 46، إن الوحدات انسحبت. وأضاف الحلبي أن القصف مستمر.")
    officer = entity_named(doc, "سامر الحلبي")
    assert officer.key == "new:سامر الحلبي"
    assert officer.name_en == "Samer al-Halabi"
    assert {r.rank for r in officer.roles} >= {"العقيد"}
    assert "قائد الفوج" in {r.role for r in officer.roles}
    assert methods(doc, officer) == [("سامر الحلبي", "title"), ("الحلبي", "surname")]


def test_apposition_names_an_unlisted_foreign_spokesman() -> None:
    doc = run("وأعلن المتحدث باسم الجيش الأوكراني، كورزون تاراسينكو، أن الهجوم فشل.")
    spokesman = entity_named(doc, "كورزون تاراسينكو")
    assert spokesman.country == "country.ua"
    assert spokesman.roles[0].role == "المتحدث باسم الجيش الأوكراني"


def test_a_clause_after_a_comma_is_not_a_name() -> None:
    doc = run("التقى الوزير نظيره السوري في أنقرة، وبحث معه ملف اللاجئين.")
    assert not [e for e in doc.entities.values() if e.kind == "person"]


def test_connector_surname_links_back_to_the_full_name() -> None:
    doc = run("وأكد الخبير العسكري نزار عبد القادر أن الوضع هادئ، وأضاف عبد القادر أن الهدنة صامدة.")
    expert = entity_named(doc, "نزار عبد القادر")
    assert methods(doc, expert)[-1] == ("عبد القادر", "surname")
    assert len([e for e in doc.entities.values() if e.kind == "person"]) == 1


def test_surname_before_the_full_name_is_not_linked() -> None:
    doc = run("وقال الحلبي إن القصف مستمر. وأكد العقيد سامر الحلبي ذلك.")
    officer = entity_named(doc, "سامر الحلبي")
    assert [m for _, m in methods(doc, officer)] == ["title"]


def test_role_anaphora_links_to_the_official_named_earlier() -> None:
    doc = run(
        "وقال مدير مديرية الصحة في حمص، باسل الخطيب، إن المستشفيات ممتلئة. وأوضح المدير أن الأدوية تنقص."
    )
    director = entity_named(doc, "باسل الخطيب")
    assert methods(doc, director)[-1] == ("المدير", "anaphora")
    assert doc.mentions[director.mentions[-1]].confidence < 0.9


def test_anaphora_needs_an_antecedent_with_that_role() -> None:
    doc = run("وقال المحلل السياسي رامي حداد إن الوضع معقد. وأوضح الوزير أن الحكومة تتابع.")
    analyst = entity_named(doc, "رامي حداد")
    assert [m for _, m in methods(doc, analyst)] == ["title"]
    assert not [m for m in doc.mentions if m.method == "anaphora"]


def test_agency_anaphora_and_pattern_organisation_with_country() -> None:
    doc = run("ونقلت وكالة الأناضول أن الاجتماع انتهى، وأشارت الوكالة إلى أن وزارة الزراعة التركية ستشارك.")
    anadolu = doc.entities["kb:org.anadolu"]
    assert methods(doc, anadolu) == [("وكالة الأناضول", "kb"), ("الوكالة", "anaphora")]
    ministry = doc.entities["new:وزاره الزراعه التركيه"]
    assert ministry.kind == "organization" and ministry.country == "country.tr"
    assert ministry.name_en == "Ministry of Agriculture (Turkey)"


def test_countries_from_nisba_phrases() -> None:
    doc = run("وأضاف أن الضربات الإسرائيلية تصاعدت، وأن الجانب الإيراني لم يرد.")
    israel, iran = doc.entities["kb:country.il"], doc.entities["kb:country.ir"]
    assert methods(doc, israel) == [("الضربات الإسرائيلية", "pattern")]
    assert methods(doc, iran) == [("الجانب الإيراني", "pattern")]


def test_no_people_from_ordinary_words() -> None:
    doc = run("ركزت المباحثات على تطوير العلاقات، وأبدى الطرفان رضا عن النتائج، وتقرر عقد جولة لاحقة.")
    assert not [e for e in doc.entities.values() if e.kind == "person"]


def test_dual_provinces_and_clitics() -> None:
    doc = run(
        "وتعرضت بلدات بمحافظتي حمص وحماة لقصف، بحسب المرصد السوري لحقوق الإنسان، وللجيش التركي نقاط قريبة."
    )
    assert {"kb:place.homs", "kb:place.hama", "kb:org.sohr", "kb:org.tr_armed_forces"} <= set(doc.entities)
    assert doc.entities["kb:place.hama"].lat is not None


def test_unlisted_spelling_of_a_listed_person_joins_it() -> None:
    doc = run("وقال المتحدث باسم الكرملين ديمتري بسكوف إن الزيارة مهمة.")
    assert "kb:person.dmitry_peskov" in doc.entities
    assert doc.entities["kb:person.dmitry_peskov"].aliases == ["ديمتري بسكوف"]


def test_spelling_variants_in_one_article_merge() -> None:
    doc = run("والتقى المحلل السياسي خالد النصّار بالباحث خالد النعصار في بيروت.")
    people = [e for e in doc.entities.values() if e.kind == "person"]
    assert len(people) == 1 and set(people[0].aliases) == {"خالد النصّار", "خالد النعصار"}


def test_weapon_systems_in_latin_and_arabic_script() -> None:
    doc = run("وتسعى أنقرة لشراء منظومة إس-400 إضافية، فيما تنشر واشنطن بطاريات باتريوت وطائرات F-35.")
    assert {"kb:weapon.s400", "kb:weapon.patriot", "kb:weapon.f35"} <= set(doc.entities)


def test_byline_segments_are_skipped() -> None:
    from service.extract.document import Segment

    text = "دمشق – سامر يوسف:\nاستقبل الرئيس أحمد الشرع وفدا."
    doc = Document(text=text, meta=SourceMeta(), sha256="t")
    normalize(doc)
    doc.segments = [Segment(start=0, end=text.index("\n"), kind="byline", paragraph=0)]
    find_actors(doc)
    assert [e.key for e in doc.entities.values() if e.kind == "person"] == ["kb:person.ahmed_al_sharaa"]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_span_slices_the_verbatim_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = run(text)
    assert doc.mentions
    for mention in doc.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.entity in doc.entities
    for entity in doc.entities.values():
        for role in entity.roles:
            assert text[role.start : role.end] == role.text
        assert all(0 <= i < len(doc.mentions) for i in entity.mentions)
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)


def test_seed_people_are_found() -> None:
    keys: set[str] = set()
    for path in SEEDS:
        keys |= set(run(path.read_text(encoding="utf-8")).entities)
    expected = {
        "kb:person.bashar_al_assad",
        "kb:person.ali_al_naasan",
        "kb:person.yunus_bek_yevkurov",
        "kb:person.ahmed_al_sharaa",
        "new:رامي الشاعر",
        "kb:person.asaad_al_shaibani",
        "kb:person.alexander_novak",
        "kb:person.vladimir_putin",
        "new:يحيي بيطار",
        "kb:person.sergey_lavrov",
        "kb:person.murhaf_abu_qasra",
        "kb:person.andrey_belousov",
        "new:عاصم غليون",
        "new:كورنبينكو اوليغ فيكتوروفيتش",
    }
    assert expected <= keys


def test_results_are_deterministic() -> None:
    text = SEEDS[3].read_text(encoding="utf-8")
    a, b = run(text), run(text)
    assert a.mentions == b.mentions and a.entities == b.entities


def test_names_joined_by_a_conjunction_are_two_people() -> None:
    doc = run("وحضر اللقاء علي حسن وسامر الحلبي.")
    people = sorted(e.name_ar for e in doc.entities.values() if e.kind == "person")
    assert people == ["سامر الحلبي", "علي حسن"]
    assert doc.text[doc.mentions[-1].start : doc.mentions[-1].end] == "سامر الحلبي"


def test_a_delegation_leader_takes_the_delegation_country() -> None:
    doc = run("واستقبل الوزير وفدا روسيا برئاسة اللواء إيفان بتروف. ثم التقى وفدا تركيا يرأسه ناجي أوزدمير.")
    assert entity_named(doc, "إيفان بتروف").country == "country.ru"
    assert entity_named(doc, "ناجي أوزدمير").country == "country.tr"


def test_a_role_after_a_subject_belongs_to_the_object_that_follows() -> None:
    doc = run("واستقبل نبيه بري المبعوث الفرنسي جان إيف لودريان في بيروت.")
    berri = doc.entities["kb:person.nabih_berri"]
    assert berri.roles == []
    assert [r.role for r in doc.entities["kb:person.jean_yves_le_drian"].roles] == ["المبعوث الفرنسي"]


def test_a_role_after_a_name_and_before_a_comma_is_that_persons() -> None:
    doc = run("وترأس الاجتماع سامر الحلبي مدير الشؤون القانونية، في مقر الوزارة.")
    assert [r.role for r in entity_named(doc, "سامر الحلبي").roles] == ["مدير الشؤون القانونية"]


def test_multiword_title_anaphora() -> None:
    doc = run("أعلن رئيس الوزراء العراقي محمد شياع السوداني خطة جديدة. وأكد رئيس الوزراء أن الحكومة ملتزمة.")
    sudani = doc.entities["kb:person.mohammed_shia_al_sudani"]
    assert methods(doc, sudani)[-1] == ("رئيس الوزراء", "anaphora")


def test_given_name_spelled_with_hamza_alef_lam() -> None:
    doc = run("التقى السفيرة الأمريكية في بغداد ألينا رومانوسكي، وبحث معها الأوضاع.")
    ambassador = entity_named(doc, "ألينا رومانوسكي")
    assert ambassador.country == "country.us"
    assert ambassador.name_en is not None and ambassador.name_en.startswith("Alina ")


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("رامي الشاعر", "Rami al-Shaer"),
        ("عاصم غليون", "Asem Ghalioun"),
        ("مرهف أبو قصرة", "Murhaf Abu Qasra"),
        ("نزار عبد الكريم الخطيب", "Nizar Abdulkarim al-Khatib"),
        ("إيفان بتروف", "Ivan Batrov"),
        ("عزام الغريب", "Azzam al-Gharib"),
        # a final ة is written "a" (the folded key turns it into ه), -ية is "iya"
        ("بدر باسلمة", "Badr Baslma"),
        ("طلال أبو رحمة", "Talal Abu Rahma"),
        ("عماد مغنية", "Imad Maghniya"),
        # conventional forms of foreign and established names (data/names/romanised.tsv)
        ("أنجيلا ميركل", "Angela Merkel"),
        ("نيكولا ساركوزي", "Nicolas Sarkozy"),
        ("جيمي كارتر", "Jimmy Carter"),
        ("بان كي مون", "Ban Ki-moon"),
        ("أسامة بن لادن", "Osama bin Laden"),
        ("محمد مرسي", "Mohammed Morsi"),
    ],
)
def test_transliteration_of_unlisted_names(name: str, english: str) -> None:
    from service.extract.actors.transliterate import transliterate

    assert transliterate(name) == english


def test_title_before_a_surname_goes_to_that_person() -> None:
    doc = run("التقى وزير الخارجية السوري أسعد الشيباني نظيره. ثم التقى الوزير الشيباني في موسكو رجال أعمال.")
    shaibani = doc.entities["kb:person.asaad_al_shaibani"]
    assert [r.role for r in shaibani.roles] == ["وزير الخارجية السوري", "الوزير"]
    assert methods(doc, shaibani)[-1] == ("الشيباني", "surname")


_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْ ،.؛:-\"'()0123456789٠١٢abcS\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=300) | st.text(max_size=200))
def test_any_text_yields_consistent_spans(text: str) -> None:
    doc = run(text)
    for mention in doc.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.entity in doc.entities
    for entity in doc.entities.values():
        for role in entity.roles:
            assert text[role.start : role.end] == role.text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "العميد",
                "علي",
                "على",
                "وزير",
                "الدفاع",
                "السوري",
                "،",
                "الشيباني",
                "وكالة",
                "الوكالة",
                "المسؤول",
                "برئاسة",
                "وفد",
                "روسي",
                "أبو",
                "بك",
                "سامر",
                ".",
            ]
        ),
        max_size=40,
    )
)
def test_title_and_name_words_in_any_order_never_break_spans(words: list[str]) -> None:
    text = " ".join(words)
    doc = run(text)
    assert all(text[m.start : m.end] == m.text for m in doc.mentions)


def test_given_names_that_are_common_words_need_a_name_after_them() -> None:
    doc = run("وأكد الطرفان على حسن الجوار، وأشادا بجمال الطبيعة. وقال جمال خاشقجي وحسن الحسن إن الوضع صعب.")
    people = sorted(e.name_ar for e in doc.entities.values() if e.kind == "person")
    assert people == ["جمال خاشقجي", "حسن الحسن"]


def test_honorific_introduces_an_unlisted_name() -> None:
    doc = run("وقال الدكتور فراس القاضي إن المستشفى يعمل، فيما دعا المهندس كنان يوسف إلى الهدوء.")
    doctor = entity_named(doc, "فراس القاضي")
    assert [r.role for r in doctor.roles] == ["الدكتور"]
    assert entity_named(doc, "كنان يوسف").roles[0].role == "المهندس"


def test_compound_given_names_inside_a_full_name() -> None:
    doc = run("وقال كمال عبد الرحمن الخطيب إن الوضع صعب.")
    person = entity_named(doc, "كمال عبد الرحمن الخطيب")
    assert person.name_en == "Kamal Abdulrahman al-Khatib"


def test_lam_lam_prefix_keeps_a_word_that_starts_with_lam() -> None:
    doc = run("وسيعقد الجانبان اجتماعاً للجنة الاقتصادية المشتركة، ثم يقدمان التقرير للحكومة التركية.")
    committee = doc.entities["new:لجنه الاقتصاديه المشتركه"]
    assert committee.name_ar == "اللجنة الاقتصادية المشتركة"
    assert doc.mentions[committee.mentions[0]].text == "للجنة الاقتصادية المشتركة"
    assert "kb:org.tr_government" in doc.entities


def test_role_nisba_and_un_adjective_are_low_confidence_mentions() -> None:
    doc = run("ووقع وزير الطاقة الروسي نيكولاي شولغينوف الاتفاق، ورحب المبعوث الأممي بالخطوة.")
    minister = entity_named(doc, "نيكولاي شولغينوف")
    assert minister.country == "country.ru"
    russia = doc.entities["kb:country.ru"]
    assert [(doc.mentions[i].text, doc.mentions[i].confidence) for i in russia.mentions] == [("الروسي", 0.5)]
    assert methods(doc, doc.entities["kb:org.un"]) == [("الأممي", "pattern")]


def test_organisation_names_stop_at_objects_and_split_at_coordinated_heads() -> None:
    doc = run(
        "اعتقلت القوات الأمنية ثلاثة. وقصفت قوات النظام البلدة، وأعلنت مديرية الصحة والمجلس الأعلى للدفاع "
        "وحزب العدالة والتنمية أن الوضع مستقر."
    )
    orgs = sorted(e.name_ar for e in doc.entities.values() if e.kind == "organization")
    assert orgs == ["المجلس الأعلى للدفاع", "حزب العدالة والتنمية", "قوات النظام", "مديرية الصحة"]


def test_two_similar_but_listed_distinct_names_stay_two_people() -> None:
    doc = run("وقال الباحث محمد الحسن إن الوضع هادئ، فيما قال الباحث محمد الحسين إن الوضع متوتر.")
    assert sorted(e.name_ar for e in doc.entities.values() if e.kind == "person") == [
        "محمد الحسن",
        "محمد الحسين",
    ]


def test_definite_government_with_a_generic_adjective_refers_back() -> None:
    doc = run("وأعلنت الحكومة السورية خطة جديدة. وقالت الحكومة الجديدة إن الخطة تبدأ غدا.")
    government = doc.entities["kb:org.sy_government"]
    assert methods(doc, government) == [("الحكومة السورية", "kb"), ("الحكومة", "anaphora")]


def test_spokesman_anaphora_and_army_anaphora() -> None:
    doc = run(
        "وقال المتحدث باسم الكرملين ديمتري بيسكوف إن الزيارة مهمة. وأضاف المتحدث أن موعدها لم يحدد. "
        "وأعلن الجيش الأردني إسقاط طائرة مسيرة، وأوضح الجيش أنها كانت محملة بالمخدرات."
    )
    peskov = doc.entities["kb:person.dmitry_peskov"]
    assert methods(doc, peskov)[-1] == ("المتحدث", "anaphora")
    army = doc.entities["kb:org.jo_army"]
    assert methods(doc, army) == [("الجيش الأردني", "kb"), ("الجيش", "anaphora")]


def test_link_word_that_is_also_a_given_name_continues_the_role() -> None:
    doc = run(
        "أعلن المتحدث الرسمي باسم وزارة الدفاع الروسية اللواء إيغور كوناشينكوف أن الطيران دمر مستودعات."
    )
    spokesman = entity_named(doc, "إيغور كوناشينكوف")
    assert spokesman.country == "country.ru"
    assert [(r.role, r.rank) for r in spokesman.roles] == [
        ("المتحدث الرسمي باسم وزارة الدفاع الروسية", "اللواء")
    ]


def test_unlisted_name_between_a_speech_verb_and_its_role() -> None:
    doc = run(
        "وقال تشارلز ليستر، الباحث في معهد الشرق الأوسط، إن الوضع معقد. وأكد مصدر مطلع، المسؤول في الوزارة، أن."
    )
    researcher = entity_named(doc, "تشارلز ليستر")
    assert [r.role for r in researcher.roles] == ["الباحث"]
    assert researcher.name_en is not None and researcher.name_en.startswith("Charles")
    assert [e.name_ar for e in doc.entities.values() if e.kind == "person"] == ["تشارلز ليستر"]


def test_country_qualified_title_and_listed_surname_refer_back() -> None:
    doc = run(
        "استقبل الرئيس الروسي فلاديمير بوتين وزير الخارجية التركي في سوتشي، بحضور سيرغي لافروف. "
        "وقال الرئيس الروسي إن المحادثات بناءة، فيما أوضح لافروف أن الاتفاق قريب، وأكد الرئيس التركي دعمه."
    )
    putin = doc.entities["kb:person.vladimir_putin"]
    assert methods(doc, putin)[-1] == ("الرئيس الروسي", "anaphora")
    lavrov = doc.entities["kb:person.sergey_lavrov"]
    assert methods(doc, lavrov) == [("سيرغي لافروف", "kb"), ("لافروف", "surname")]
    assert not [m for m in doc.mentions if m.text == "الرئيس التركي" and m.method == "anaphora"]


def test_an_outlet_in_a_role_does_not_give_its_country() -> None:
    doc = run(
        "وأفاد مراسل الجزيرة في غزة وائل الدحدوح بأن القصف طال منازل، وقال القيادي في حركة حماس سامي أبو زهري إن."
    )
    assert entity_named(doc, "وائل الدحدوح").country is None
    assert entity_named(doc, "سامي أبو زهري").roles[0].role == "القيادي في حركة حماس"


def test_professional_and_civil_roles() -> None:
    doc = run(
        "وقال أستاذ العلوم السياسية في جامعة دمشق بسام أبو عبد الله إن الحل سياسي. "
        "وأكد الناشط المدني محمود أبو راس أن الأهالي يعانون. واستقبل العاهل الأردني الملك عبد الله الثاني الوفد."
    )
    assert entity_named(doc, "بسام أبو عبد الله").roles[0].role == "أستاذ العلوم السياسية في جامعة دمشق"
    assert entity_named(doc, "محمود أبو راس").roles[0].role == "الناشط المدني"
    assert [r.role for r in doc.entities["kb:person.abdullah_ii"].roles] == ["العاهل الأردني"]


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("بوليانسكي", "Bulyansky"),
        ("تشوركين", "Churkin"),
        ("كوناشينكوف", "Kunashinkov"),
        ("الغريب", "al-Gharib"),
    ],
)
def test_rule_based_romanisation(word: str, latin: str) -> None:
    from service.extract.actors.transliterate import romanize_word

    assert romanize_word(word) == latin


def test_common_words_that_are_also_names_do_not_start_people() -> None:
    doc = run("ويأمل الطرفان في تحقيق سلام دائم، وفي غالب الأحيان يتم ذلك عبر موقف حازم تجاه الخروقات.")
    assert not [e for e in doc.entities.values() if e.kind == "person"]


def test_single_word_after_a_rank_only_when_the_phrase_closes() -> None:
    doc = run("وأدت موسكو الدور الرائد عربياً في الملف. وقال العقيد حداد إن القوات تقدمت.")
    assert [e.name_ar for e in doc.entities.values() if e.kind == "person"] == ["حداد"]


def test_prepositions_before_given_names_but_not_before_common_words() -> None:
    doc = run("وتم ذلك بشكل فعلي وسريع وبحسن نية، ونسبت الصحيفة لسامر الحلبي قوله إن الاتفاق قريب.")
    people = [e for e in doc.entities.values() if e.kind == "person"]
    assert [p.name_ar for p in people] == ["سامر الحلبي"]
    assert doc.mentions[people[0].mentions[0]].text == "سامر الحلبي"


def test_role_country_is_the_nationality_not_the_place_of_posting() -> None:
    doc = run(
        "وقال رئيس المركز الروسي للمصالحة بين الأطراف المتنازعة في سوريا، الفريق أول فاديم كوليت، إن الهدنة صامدة. "
        "وقال المبعوث الأممي الخاص إلى سوريا، ستيفن أوبراين، إن. وقال سفير سوريا لدى روسيا رياض حداد إن."
    )
    officer = entity_named(doc, "فاديم كوليت")
    assert officer.country == "country.ru"
    assert officer.roles[0].rank == "الفريق أول"
    assert entity_named(doc, "ستيفن أوبراين").country is None
    assert entity_named(doc, "رياض حداد").country == "country.sy"
