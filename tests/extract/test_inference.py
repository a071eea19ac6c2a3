"""Publication-date inference across articles (hand-built documents, Arabic written for the tests)."""

from __future__ import annotations

from datetime import date

from merge_docs import DocBuilder

from service.extract.document import RelativeDate
from service.merge.build import build_dataset, source_id

YESTERDAY = RelativeDate(unit="day", offset_days=-1)
LAST_MONTH = RelativeDate(unit="month", offset_months=-1)


def _people(b: DocBuilder, safadi: str, shoukry: str) -> None:
    b.entity("safadi", [safadi], kb_id="jo.safadi", name_en="Ayman Safadi", country="JO", method="kb")
    b.entity("shoukry", [shoukry], kb_id="eg.shoukry", name_en="Sameh Shoukry", country="EG", method="kb")
    b.entity("amman", ["عمّان"], kind="place", kb_id="jo.amman", name_en="Amman", country="JO", method="kb")


def dated_report() -> DocBuilder:
    text = "استقبل وزير الخارجية الأردني أيمن الصفدي في عمّان يوم 11 آذار 2024 نظيره المصري سامح شكري."
    b = DocBuilder(text, published=date(2024, 3, 12), outlet="الرأي")
    _people(b, "أيمن الصفدي", "سامح شكري")
    d = b.date("11 آذار 2024", date(2024, 3, 11))
    b.event(
        text[:-1],
        "CONSULT",
        "host",
        actors=[("safadi", "source"), ("shoukry", "target")],
        location="amman",
        date_index=d,
    )
    return b


def undated_report() -> DocBuilder:
    text = (
        "زار وزير الخارجية المصري سامح شكري العاصمة الأردنية عمّان أمس والتقى نظيره أيمن الصفدي. "
        "وكان شكري قد زار بغداد الشهر الماضي."
    )
    b = DocBuilder(text)
    _people(b, "أيمن الصفدي", "سامح شكري")
    b.entity(
        "baghdad", ["بغداد"], kind="place", kb_id="iq.baghdad", name_en="Baghdad", country="IQ", method="kb"
    )
    yesterday = b.date("أمس", relative=YESTERDAY)
    last_month = b.date("الشهر الماضي", relative=LAST_MONTH)
    b.event(
        "زار وزير الخارجية المصري سامح شكري العاصمة الأردنية عمّان أمس",
        "CONSULT",
        "visit",
        actors=[("shoukry", "source"), ("safadi", "target")],
        location="amman",
        date_index=yesterday,
    )
    b.event(
        "وكان شكري قد زار بغداد الشهر الماضي",
        "CONSULT",
        "visit",
        actors=[("shoukry", "source")],
        location="baghdad",
        date_index=last_month,
    )
    return b


def test_undated_article_is_dated_from_an_event_another_article_pins_down() -> None:
    dated, undated = dated_report().build(), undated_report().build()
    ds = build_dataset([dated, undated], "test")
    published = {s.source.id: s.source.published for s in ds.sources}[source_id(undated.sha256)]
    assert published.date == date(2024, 3, 12)
    assert published.basis == "inferred"
    assert (
        published.reason is not None
        and "أمس" in published.reason
        and source_id(dated.sha256) in published.reason
    )


def test_other_relative_dates_resolve_once_the_publication_is_inferred() -> None:
    ds = build_dataset([dated_report().build(), undated_report().build()], "test")
    baghdad = [e for e in ds.events if e.location and e.location.name_en == "Baghdad"]
    assert len(baghdad) == 1
    assert (baghdad[0].date.start, baghdad[0].date.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert baghdad[0].date.precision == "month"
    assert baghdad[0].date.basis == "inferred"


def test_the_inferred_report_merges_with_the_dated_one() -> None:
    dated, undated = dated_report().build(), undated_report().build()
    ds = build_dataset([undated, dated], "test")
    amman = [e for e in ds.events if e.location and e.location.name_en == "Amman"]
    assert len(amman) == 1
    assert amman[0].source_count == 2
    assert amman[0].date.start == date(2024, 3, 11) and amman[0].date.basis == "explicit"


def test_inference_chains_through_a_newly_dated_article() -> None:
    text = (
        "زار وزير الخارجية المصري سامح شكري العاصمة الأردنية عمّان أمس والتقى نظيره أيمن الصفدي، "
        "على أن يزور الصفدي القاهرة غداً."
    )
    b = DocBuilder(text)
    _people(b, "أيمن الصفدي", "سامح شكري")
    b.entity("cairo", ["القاهرة"], kind="place", kb_id="eg.cairo", name_en="Cairo", country="EG", method="kb")
    yesterday = b.date("أمس", relative=YESTERDAY)
    tomorrow = b.date("غداً", relative=RelativeDate(unit="day", offset_days=1))
    b.event(
        "زار وزير الخارجية المصري سامح شكري العاصمة الأردنية عمّان أمس",
        "CONSULT",
        "visit",
        actors=[("shoukry", "source"), ("safadi", "target")],
        location="amman",
        date_index=yesterday,
    )
    b.event(
        "على أن يزور الصفدي القاهرة غداً",
        "CONSULT",
        "visit",
        status="planned",
        actors=[("safadi", "source")],
        location="cairo",
        date_index=tomorrow,
    )
    c = DocBuilder("وصل وزير الخارجية الأردني أيمن الصفدي إلى القاهرة أمس في زيارة رسمية.")
    c.entity("safadi", ["أيمن الصفدي"], kb_id="jo.safadi", name_en="Ayman Safadi", country="JO", method="kb")
    c.entity("cairo", ["القاهرة"], kind="place", kb_id="eg.cairo", name_en="Cairo", country="EG", method="kb")
    c.event(
        "وصل وزير الخارجية الأردني أيمن الصفدي إلى القاهرة أمس",
        "CONSULT",
        "visit",
        actors=[("safadi", "source")],
        location="cairo",
        date_index=c.date("أمس", relative=YESTERDAY),
    )
    ds = build_dataset([c.build(), b.build(), dated_report().build()], "test")
    published = {s.source.sha256: s.source.published for s in ds.sources}
    assert published[b.doc.sha256].date == date(2024, 3, 12)
    # Pass two: b's "tomorrow" is now 13 March, so c (which calls it "yesterday") is from the 14th.
    assert published[c.doc.sha256].date == date(2024, 3, 14)
    assert published[c.doc.sha256].basis == "inferred"
    cairo = [e for e in ds.events if e.location and e.location.name_en == "Cairo"]
    assert len(cairo) == 1 and cairo[0].status == "occurred" and cairo[0].date.start == date(2024, 3, 13)


def test_no_inference_without_a_matching_event() -> None:
    lone = undated_report()
    lone.doc.events[0].actors.clear()
    lone.doc.events[0].location = None
    ds = build_dataset([dated_report().build(), lone.build()], "test")
    published = {s.source.sha256: s.source.published for s in ds.sources}[lone.doc.sha256]
    assert published.date is None and published.basis == "unknown"


def test_inputs_are_left_untouched() -> None:
    undated = undated_report().build()
    build_dataset([dated_report().build(), undated], "test")
    assert undated.publication.date is None
    assert all(d.start_date is None for d in undated.dates)


def test_equally_supported_dates_leave_the_article_undated() -> None:
    text = (
        "استقبل وزير الخارجية الأردني أيمن الصفدي في عمّان يوم 11 آذار 2024 نظيره المصري سامح شكري. "
        "كما استقبله في عمّان يوم 4 آذار 2024."
    )
    b = DocBuilder(text, published=date(2024, 3, 12))
    _people(b, "أيمن الصفدي", "سامح شكري")
    first, second = b.date("11 آذار 2024", date(2024, 3, 11)), b.date("4 آذار 2024", date(2024, 3, 4))
    pair = [("safadi", "source"), ("shoukry", "target")]
    b.event(text.split(".")[0], "CONSULT", "host", actors=pair, location="amman", date_index=first)
    b.event(
        "كما استقبله في عمّان يوم 4 آذار 2024",
        "CONSULT",
        "host",
        actors=pair,
        location="amman",
        date_index=second,
    )
    undated = undated_report().build()
    ds = build_dataset([b.build(), undated], "test")
    published = {s.source.sha256: s.source.published for s in ds.sources}[undated.sha256]
    assert published.date is None
