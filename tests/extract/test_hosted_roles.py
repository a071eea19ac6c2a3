"""Roles of hosted visits and meetings through the whole per-document pipeline, on sentences
written for these tests: the host of "استقبل" is the source even when it is only a title or a
capital; the delegation and its head are targets; several people met in a row are all targets."""

from __future__ import annotations

from service.extract.document import Document
from service.extract.pipeline import extract_document


def roles(doc: Document, cameo: str) -> dict[str, str]:
    event = next(e for e in doc.events if e.cameo == cameo)
    return {doc.entities[a.entity].name_ar: a.role for a in event.actors}


def test_unnamed_host_title_leaves_the_delegation_as_target() -> None:
    doc = extract_document(
        "استقبل نائب رئيس الوزراء الأردني الوفد الكويتي الذي ترأسه وزير الخارجية عبد الله اليحيا "
        "في عمّان يوم الاثنين.\n"
    )
    found = roles(doc, "043")
    assert found == {"الأردن": "source", "الكويت": "target", "عبد الله اليحيا": "target"}


def test_host_title_without_a_name_or_country() -> None:
    doc = extract_document("استقبل وزير الدفاع الوفد العسكري الباكستاني الذي ترأسه الجنرال عاصم منير.\n")
    found = roles(doc, "043")
    assert found and set(found.values()) == {"target"}


def test_capital_as_host_is_the_source() -> None:
    doc = extract_document("استقبلت أنقرة عام 2022 وفداً من حركة حماس برئاسة خليل الحية.\n")
    found = roles(doc, "043")
    assert found["تركيا"] == "source"
    assert found["حركة حماس"] == "target"


def test_named_host_then_delegation_head() -> None:
    doc = extract_document(
        "واستقبلت وزيرة الخارجية الألمانية أنالينا بيربوك في برلين وفداً ليبياً برئاسة عبد الحميد الدبيبة.\n"
    )
    found = roles(doc, "043")
    assert found["أنالينا بيربوك"] == "source"
    assert found["عبد الحميد الدبيبة"] == "target"


def test_meetings_in_a_row_are_targets_of_the_visitor() -> None:
    doc = extract_document(
        "والتقى وزير الخارجية العماني بدر البوسعيدي في طهران نظيره الإيراني عباس عراقجي "
        "ثم الرئيس مسعود بزشكيان.\n"
    )
    found = roles(doc, "040")
    assert found["بدر البوسعيدي"] == "source"
    assert {role for name, role in found.items() if name != "بدر البوسعيدي"} == {"target"}
    assert len(found) >= 3


def test_staff_rank_with_rukn_keeps_the_given_name() -> None:
    doc = extract_document("استقبل الفريق أول ركن قيس المحمداوي في بغداد الوفد الأردني.\n")
    people = [e.name_ar for e in doc.entities.values() if e.kind == "person"]
    assert people == ["قيس المحمداوي"]
    assert (
        doc.entities[next(k for k, e in doc.entities.items() if e.kind == "person")].roles[0].rank
        == "الفريق أول ركن"
    )
