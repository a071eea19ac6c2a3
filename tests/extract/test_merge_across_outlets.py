"""One real-world event told by several outlets becomes one event (extractor 0.6.14).

Each class of report that used to stay apart (a wire copy naming no participant, place or date; a
toll given with a place in one outlet and without in the other; one place named at different
granularity or with a synonymous head word) is shown joined through the real pipeline, beside
negative cases that must stay apart: the same template in another city, a copy published weeks
later, small tolls without a place, a toll in the same country found only by a
sentence-similarity key. The
disagreements of merged reports (counts, assertion against denial) become conflicts.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.merge.event_units import _name_scope, copy_keys, copy_words
from service.merge.rules import merge_rules

DAY = date(2025, 3, 5)


def article(text: str, outlet: str, published: date = DAY) -> Document:
    return extract_document(
        text, SourceMeta(outlet=outlet, published=published, external_id=f"{outlet}:{text}")
    )


def events_by_outlets(*docs: Document) -> list[tuple[str, ...]]:
    """Each event of the merged dataset as the sorted outlets it is attributed to."""
    ds = build_dataset(list(docs), "test")
    return sorted(tuple(sorted({a.outlet or "" for a in e.attributions})) for e in ds.events)


def test_a_toll_with_a_place_joins_the_same_toll_without_one() -> None:
    unplaced = article("قتل 18 شخصا وأصيب العشرات بجروح أمس في سقوط قذيفة صاروخية على سوق شعبي.", "a")
    placed = article("قتل 18 شخصا أمس في سقوط قذيفة صاروخية على سوق شعبي في مدينة حلب.", "b")
    assert events_by_outlets(unplaced, placed) == [("a", "b")]


def test_the_same_large_toll_on_another_day_stays_apart() -> None:
    yesterday = article("قتل 18 شخصا وأصيب العشرات بجروح أمس في سقوط قذيفة صاروخية على سوق شعبي.", "a")
    sunday = article("قتل 18 شخصا في سقوط قذيفة صاروخية على سوق شعبي في مدينة حلب يوم الأحد الماضي.", "b")
    assert events_by_outlets(yesterday, sunday) == [("a",), ("b",)]


def test_reports_found_only_by_a_copy_key_join_only_as_copies() -> None:
    """Two attacks in one country on one day with different tolls: alike enough to share a copy
    key, not alike enough to be copies, and the country alone ties no two articles."""
    twelve = article("لقي 12 شخصا مصرعهم اليوم في هجوم انتحاري استهدف سوقا شعبية في العراق.", "a")
    seven = article("قتل 7 أشخاص اليوم في هجوم انتحاري استهدف سوقا في العراق.", "b")
    assert events_by_outlets(twelve, seven) == [("a",), ("b",)]


def test_a_small_toll_without_a_place_does_not_tie_two_reports() -> None:
    unplaced = article("لقي أربعة أشخاص مصرعهم أمس إثر انقلاب حافلة ركاب وسقوط قذيفة.", "a")
    placed = article("قتل 4 مدنيين أمس بقذيفة هاون سقطت على منزل في مدينة حلب.", "b")
    assert len(events_by_outlets(unplaced, placed)) == 2


def test_one_port_named_with_synonymous_heads_is_one_place() -> None:
    port = article("قدم مركز الملك سلمان للإغاثة مساعدات إنسانية أمس في ميناء الحديدة.", "a")
    harbour = article("سلم مركز الإغاثة شحنة مساعدات إنسانية في مرفأ الحديدة أمس.", "b")
    other_city = article("سلم مركز الإغاثة شحنة مساعدات إنسانية في ميناء عدن أمس.", "c")
    assert events_by_outlets(port, harbour, other_city) == [("a", "b"), ("c",)]


def test_a_wire_copy_naming_nobody_and_no_date_is_one_event() -> None:
    text = "ودعت المديرية العامة للدفاع المدني المواطنين والمقيمين إلى الابتعاد عن مجاري السيول والأودية {} موجة الأمطار المتوقعة."
    first, second = article(text.format("خلال"), "a"), article(text.format("أثناء"), "b")
    weeks_later = article(text.format("طوال"), "c", published=date(2025, 3, 20))
    assert events_by_outlets(first, second, weeks_later) == [("a", "b"), ("c",)]


def test_a_copied_template_in_another_city_stays_apart_and_counts_conflict() -> None:
    text = "قتل {} شخصا وجرح 30 آخرون في تفجير سيارة مفخخة في سوق مزدحم {} أمس."
    baghdad = article(text.format(12, "ببغداد"), "a")
    baghdad_other_count = article(text.format(15, "ببغداد"), "b")
    basra = article(text.format(12, "بالبصرة"), "c")
    ds = build_dataset([baghdad, baghdad_other_count, basra], "test")
    joined = [e for e in ds.events if len(e.attributions) == 2]
    assert sorted(len(e.attributions) for e in ds.events) == [1, 2]
    assert {a.outlet for a in joined[0].attributions} == {"a", "b"}
    assert [c.field for c in joined[0].conflicts] == ["count:killed"]


def test_an_assertion_and_a_denial_of_one_strike_are_a_status_conflict() -> None:
    strike = article("قصفت طائرات التحالف مستودع أسلحة في مدينة صعدة أمس.", "a")
    denial = article("نفى التحالف أن تكون طائراته قد قصفت مستودع أسلحة في مدينة صعدة أمس.", "b")
    ds = build_dataset([strike, denial], "test")
    assert len(ds.events) == 1
    assert "status" in [c.field for c in ds.events[0].conflicts]


def test_place_names_reduce_to_one_key_across_granularity() -> None:
    assert _name_scope("محافظة ديالى")[1] == _name_scope("ديالى")[1]
    assert _name_scope("قرية سترة")[1] == _name_scope("منطقة سترة")[1]
    assert _name_scope("مرفأ عدن")[1] == _name_scope("ميناء عدن")[1] != _name_scope("ميناء الحديدة")[1]
    assert _name_scope("قصر السلام")[0] and not _name_scope("مدينة جدة")[0]


def test_copies_share_a_blocking_key_and_short_sentences_have_none() -> None:
    rules = merge_rules()
    a = "ودعت المديرية العامة للدفاع المدني المواطنين والمقيمين إلى الابتعاد عن مجاري السيول"
    b = "دعت المديرية العامة للدفاع المدني المواطنين والمقيمين إلى الابتعاد عن مجاري السيول والأودية"
    assert set(copy_keys(a, rules)) & set(copy_keys(b, rules))
    assert len(copy_words("واعتقال بعضهم")) < rules.match.copy_min_words
    assert copy_keys("واعتقال بعضهم", rules) == []
