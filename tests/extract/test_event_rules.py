"""The event merge rule's finer points: roles, counterparts, nearby context, recency, statuses."""

from __future__ import annotations

from datetime import date

from merge_docs import DocBuilder

from service.extract.document import RelativeDate
from service.merge.build import build_dataset

YESTERDAY = RelativeDate(unit="day", offset_days=-1)


def _people(b: DocBuilder, *names: tuple[str, str, str]) -> None:
    for key, surface, country in names:
        b.entity(key, [surface], kb_id=f"p.{key}", name_en=key.title(), country=country, method="kb")


def _place(b: DocBuilder, key: str, surface: str, country: str) -> None:
    b.entity(
        key, [surface], kind="place", kb_id=f"pl.{key}", name_en=key.title(), country=country, method="kb"
    )


def test_one_person_hosting_in_one_report_and_hosted_in_another_are_two_events() -> None:
    a = DocBuilder("استقبل وزير الدفاع التركي يشار غولر يوم 5 أيار 2025 نظيره القطري خالد العطية.")
    _people(a, ("guler", "يشار غولر", "TR"), ("attiyah", "خالد العطية", "QA"))
    d = a.date("5 أيار 2025", date(2025, 5, 5))
    a.event(
        a.doc.text[:-1], "CONSULT", "host", actors=[("guler", "source"), ("attiyah", "target")], date_index=d
    )
    b = DocBuilder("استقبل أمير قطر تميم بن حمد يوم 5 أيار 2025 وزير الدفاع التركي يشار غولر.")
    _people(b, ("guler", "يشار غولر", "TR"), ("tamim", "تميم بن حمد", "QA"))
    d = b.date("5 أيار 2025", date(2025, 5, 5))
    b.event(
        b.doc.text[:-1], "CONSULT", "host", actors=[("tamim", "source"), ("guler", "target")], date_index=d
    )
    ds = build_dataset([a.build(), b.build()], "test")
    assert len(ds.events) == 2
    b.doc.events[0].actors.reverse()
    b.doc.events[0].actors[:] = [
        type(x)(entity=x.entity, role="target" if x.role == "source" else "source")
        for x in b.doc.events[0].actors
    ]
    assert len(build_dataset([a.build(), b.build()], "test").events) == 1


def test_one_shared_person_with_different_counterparts_needs_dates() -> None:
    def report(counterpart: tuple[str, str, str], day: date | None) -> DocBuilder:
        text = f"التقى وزير الخارجية الإيراني عباس عراقجي {counterpart[1]} في مسقط{' يوم ' + str(day.day) + ' أيار 2025' if day else ''}."
        b = DocBuilder(text)
        _people(b, ("araghchi", "عباس عراقجي", "IR"), counterpart)
        _place(b, "muscat", "مسقط", "OM")
        d = b.date(f"{day.day} أيار 2025", day) if day else None
        b.event(
            text[:-1],
            "CONSULT",
            "meet",
            actors=[("araghchi", "source"), (counterpart[0], "target")],
            location="muscat",
            date_index=d,
        )
        return b

    busaidi, witkoff = ("busaidi", "بدر البوسعيدي", "OM"), ("witkoff", "ستيف ويتكوف", "US")
    undated = build_dataset([report(busaidi, None).build(), report(witkoff, None).build()], "test")
    # Same person, same place: the shared participant at one place is enough on its own.
    assert len(undated.events) == 1
    elsewhere = report(witkoff, None)
    elsewhere.doc.events[0].location = None
    apart = build_dataset([report(busaidi, None).build(), elsewhere.build()], "test")
    assert len(apart.events) == 2
    same_day = build_dataset(
        [report(busaidi, date(2025, 5, 11)).build(), report(witkoff, date(2025, 5, 11)).build()], "test"
    )
    assert len(same_day.events) == 1


def test_weak_ties_in_one_article_need_nearby_paragraphs() -> None:
    text = (
        "وصل وفد عسكري أردني إلى بيروت.\n"
        "وأجرى الوفد مباحثات مع الجانب اللبناني في بيروت.\n"
        "وفي سياق آخر تناول التقرير ملفات اقتصادية.\n"
        "كما عقد مسؤولون أردنيون اجتماعاً في بيروت مع نظرائهم اللبنانيين."
    )
    b = DocBuilder(text).paragraphs()
    b.entity("jo", ["أردني", "أردنيون"], kind="country", kb_id="JO", name_en="Jordan", method="pattern")
    b.entity(
        "lb", ["اللبناني", "اللبنانيين"], kind="country", kb_id="LB", name_en="Lebanon", method="pattern"
    )
    b.entity(
        "beirut",
        ["بيروت", "بيروت#1", "بيروت#2"],
        kind="place",
        kb_id="LB.beirut",
        name_en="Beirut",
        country="LB",
        method="kb",
    )
    pair = [("jo", "source"), ("lb", "target")]
    b.event("وصل وفد عسكري أردني إلى بيروت", "CONSULT", "visit", actors=pair, location="beirut")
    b.event(
        "وأجرى الوفد مباحثات مع الجانب اللبناني في بيروت", "CONSULT", "meet", actors=pair, location="beirut"
    )
    b.event("كما عقد مسؤولون أردنيون اجتماعاً في بيروت", "CONSULT", "meet", actors=pair, location="beirut")
    ds = build_dataset([b.build()], "test")
    assert sorted(len(e.attributions) for e in ds.events) == [1, 2]
    assert ds.events[0].actors[0].actor.name_en == "Jordan"


def test_an_undated_mention_joins_the_articles_latest_news_rather_than_its_background() -> None:
    text = (
        "زار وفد عراقي آخر أنقرة أمس، بعد زيارة وفد من وزارة الدفاع العراقية في آذار الماضي.\n"
        "وترأس الوفد الفريق أول ركن عبد الأمير يار الله خلال المباحثات."
    )
    b = DocBuilder(text, published=date(2025, 6, 10)).paragraphs()
    _people(b, ("yarallah", "عبد الأمير يار الله", "IQ"))
    _place(b, "ankara", "أنقرة", "TR")
    march = b.date("آذار الماضي", date(2025, 3, 1), date(2025, 3, 31), precision="month")
    yesterday = b.date("أمس", date(2025, 6, 9))
    b.event("زار وفد عراقي آخر أنقرة أمس", "CONSULT", "visit", date_index=yesterday)
    b.event("زيارة وفد من وزارة الدفاع العراقية في آذار الماضي", "CONSULT", "visit", date_index=march)
    b.event(
        "وترأس الوفد الفريق أول ركن عبد الأمير يار الله خلال المباحثات",
        "CONSULT",
        "meet",
        actors=[("yarallah", "source")],
    )
    ds = build_dataset([b.build()], "test")
    led = next(e for e in ds.events if any(ea.actor.name_en == "Yarallah" for ea in e.actors))
    assert led.date.start == date(2025, 6, 9) and len(led.attributions) == 2


def test_a_report_published_before_the_event_date_is_a_plan_not_an_occurrence() -> None:
    def report(published: date, status: str) -> DocBuilder:
        text = f"يزور الرئيس الفرنسي إيمانويل ماكرون الجزائر يوم 20 حزيران 2025 ({published.isoformat()})."
        b = DocBuilder(text, published=published)
        _people(b, ("macron", "إيمانويل ماكرون", "FR"))
        _place(b, "algeria", "الجزائر", "DZ")
        d = b.date("20 حزيران 2025", date(2025, 6, 20))
        b.event(
            text.split(" (")[0],
            "CONSULT",
            "visit",
            status=status,
            actors=[("macron", "source")],
            location="algeria",
            date_index=d,
        )
        return b

    ds = build_dataset([report(date(2025, 6, 1), "occurred").build()], "test")
    assert ds.events[0].status == "planned"
    ds = build_dataset(
        [report(date(2025, 6, 1), "occurred").build(), report(date(2025, 6, 21), "occurred").build()], "test"
    )
    assert ds.events[0].status == "occurred" and ds.events[0].conflicts == []


def test_inference_rejects_a_date_that_would_put_a_planned_event_in_the_past() -> None:
    dated = DocBuilder("التقى ماكرون تبون في الجزائر يوم 20 حزيران 2025.", published=date(2025, 6, 21))
    _people(dated, ("macron", "ماكرون", "FR"), ("tebboune", "تبون", "DZ"))
    d = dated.date("20 حزيران 2025", date(2025, 6, 20))
    pair = [("macron", "source"), ("tebboune", "target")]
    dated.event(dated.doc.text[:-1], "CONSULT", "meet", actors=pair, date_index=d)
    text = "التقى ماكرون تبون أمس، على أن يعودا للقاء في 10 حزيران المقبل."
    undated = DocBuilder(text)
    _people(undated, ("macron", "ماكرون", "FR"), ("tebboune", "تبون", "DZ"))
    undated.event(
        "التقى ماكرون تبون أمس",
        "CONSULT",
        "meet",
        actors=pair,
        date_index=undated.date("أمس", relative=YESTERDAY),
    )
    later = undated.date(
        "10 حزيران المقبل", relative=RelativeDate(unit="calendar", month=6, day=10, direction="next")
    )
    undated.event(
        "على أن يعودا للقاء في 10 حزيران المقبل",
        "CONSULT",
        "meet",
        status="planned",
        actors=pair,
        date_index=later,
    )
    ds = build_dataset([dated.build(), undated.build()], "test")
    published = {s.source.sha256: s.source.published for s in ds.sources}[undated.doc.sha256]
    # "10 June next" resolves forward from 21 June, so that publication date is consistent.
    assert published.date == date(2025, 6, 21)
    undated.doc.dates[later] = type(undated.doc.dates[later])(
        start=undated.doc.dates[later].start,
        end=undated.doc.dates[later].end,
        text="10 حزيران 2025",
        basis="explicit",
        precision="day",
        start_date=date(2025, 6, 10),
        end_date=date(2025, 6, 10),
    )
    ds = build_dataset([dated.build(), undated.build()], "test")
    published = {s.source.sha256: s.source.published for s in ds.sources}[undated.doc.sha256]
    assert published.date is None


def test_the_side_at_home_hosts_a_visit_whatever_the_report_says() -> None:
    text = "استقبل وزير الدفاع الأردني في عمّان قائد الجيش اللبناني رودولف هيكل."
    b = DocBuilder(text)
    _people(b, ("haykal", "رودولف هيكل", "LB"))
    b.entity(
        "minister",
        ["وزير الدفاع الأردني"],
        kind="organization",
        name_en="Jordanian defence minister",
        country="JO",
    )
    _place(b, "amman", "عمّان", "JO")
    # The per-article stage got the direction wrong: the Lebanese visitor as the host.
    b.event(
        text[:-1], "CONSULT", "host", actors=[("haykal", "source"), ("minister", "target")], location="amman"
    )
    (event,) = build_dataset([b.build()], "test").events
    assert {ea.actor.name_en: ea.role for ea in event.actors} == {
        "Jordanian defence minister": "source",
        "Haykal": "target",
    }
    b.doc.events[0].location = None
    (event,) = build_dataset([b.build()], "test").events
    assert {ea.actor.name_en: ea.role for ea in event.actors}["Haykal"] == "source"
