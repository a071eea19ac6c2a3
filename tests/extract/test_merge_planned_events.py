"""Two different planned events told side by side in one article stay two events.

A person named near a report lends it a participant only when that report names none of its
own ("a delegation arrived ... it was led by X"); a joint committee that "will meet" and a
head of state who "will visit" have their own, different participants.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset
from service.merge.actor_clusters import ActorIndex
from service.merge.event_clusters import match_score
from service.merge.event_units import EventUnit
from service.merge.rules import merge_rules

ARTICLE = (
    "بغداد - وقّع وزير النفط العراقي حيان عبد الغني ونظيره الأردني صالح الخرابشة، يوم الأحد 9 آذار 2025، "
    "مذكرة تفاهم للربط الكهربائي خلال اجتماع في بغداد.\n\n"
    'وأوضح عبد الغني في مؤتمر صحفي أن المذكرة "خطوة أولى نحو سوق إقليمية للطاقة"، مشيراً إلى أن الجانبين '
    "سيعقدان اجتماعاً للجنة الحكومية المشتركة مطلع الشهر المقبل.\n\n"
    "وأفادت وكالة الأنباء العراقية بأن العاهل الأردني الملك عبد الله الثاني سيزور بغداد قبل نهاية العام، "
    "من دون أن تحدد موعداً للزيارة.\n"
)


def test_a_planned_committee_meeting_and_a_planned_state_visit_stay_apart() -> None:
    doc = extract_document(ARTICLE, SourceMeta(external_id="planned", published=date(2025, 3, 10)))
    planned = [e for e in doc.events if e.plover_type == "CONSULT" and e.status == "planned"]
    assert {e.plover_mode for e in planned} >= {"meet", "visit"}  # the per-article stage finds both
    events = [e for e in build_dataset([doc]).events if e.type == "CONSULT"]
    assert sorted(e.mode or "" for e in events) == ["meet", "visit"]
    assert all(len(e.attributions) == 1 for e in events)


def unit(index: int, core: set[str], people: set[str], context: set[str], mode: str) -> EventUnit:
    return EventUnit(
        key=("doc", index),
        type="CONSULT",
        mode=mode,
        status="planned",
        actors=(),
        core=frozenset(core),
        countries=frozenset(),
        location=None,
        start=None,
        end=None,
        precision="unknown",
        basis=None,
        people=frozenset(people),
        context=frozenset(context),
        offset=index * 100,
        paragraph=index,
    )


NO_ACTORS = ActorIndex(actor_of={}, clusters={}, refs={}, kb_actor={}, country={}, coords={}, decisions=[])


def test_a_report_naming_nobody_learns_its_leader_from_the_next_sentence() -> None:
    delegation = unit(0, set(), set(), {"act_leader"}, "visit")
    led = unit(1, {"act_leader"}, {"act_leader"}, {"act_leader"}, "visit")
    assert match_score(delegation, led, NO_ACTORS, merge_rules()) is not None


def test_reports_with_their_own_different_participants_do_not_tie_by_a_person_nearby() -> None:
    committee = unit(0, {"act_committee"}, set(), {"act_king"}, "meet")
    visit = unit(1, {"act_king"}, {"act_king"}, {"act_king"}, "visit")
    assert match_score(committee, visit, NO_ACTORS, merge_rules()) is None
