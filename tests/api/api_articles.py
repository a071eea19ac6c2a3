"""Extra Arabic articles for API tests, ingested through the real pipeline inside the test's
transaction: they add outlets, publication dates, relays and new events the seeds do not have."""

from __future__ import annotations

from datetime import date

import asyncpg

from service.extract.document import SourceMeta
from service.ingest import ingest

FIDAN_IN_DAMASCUS = (
    "دمشق - استقبل وزير الخارجية والمغتربين أسعد الشيباني في دمشق، اليوم الأربعاء، وزير الخارجية التركي "
    "هاكان فيدان والوفد المرافق له، وبحث الجانبان العلاقات الثنائية وسبل تعزيز التعاون بين سوريا وتركيا، "
    "وفق ما نقلته وكالة الأنباء السورية الرسمية (سانا).\n"
    'وأكد الشيباني خلال مؤتمر صحفي مشترك أن "سوريا منفتحة على كل أشكال التعاون مع تركيا بما يخدم مصلحة '
    'الشعبين"، فيما قال فيدان إن بلاده ستواصل دعم وحدة الأراضي السورية.\n'
    "ونفى فيدان وجود أي خطط لإقامة قواعد عسكرية تركية جديدة في الشمال السوري، واصفاً هذه التقارير بأنها "
    '"عارية عن الصحة".\n'
)

GULER_IN_ANKARA = (
    "أنقرة - وصل وزير الدفاع السوري اللواء مرهف أبو قصرة إلى العاصمة التركية أنقرة، يوم الإثنين 10 تشرين "
    "الثاني 2025، في زيارة رسمية تستمر يومين، التقى خلالها نظيره التركي يشار غولر.\n"
    "وذكرت وكالة الأناضول أن الوزيرين بحثا التعاون العسكري وتدريب الجيش السوري الجديد، إضافة إلى "
    "الأوضاع الأمنية في شمال سوريا.\n"
    'وقال غولر إن تركيا "مستعدة لتقديم الدعم اللازم" لإعادة بناء المؤسسة العسكرية السورية.\n'
)

BOGDANOV_IN_DAMASCUS = (
    "دمشق - استقبل الرئيس أحمد الشرع في قصر الشعب بدمشق، يوم الأحد 30 تشرين الثاني 2025، نائب وزير "
    "الخارجية الروسي ميخائيل بوغدانوف، وجرى خلال اللقاء بحث مستقبل العلاقات السورية الروسية، وفق ما "
    "أعلنته الرئاسة السورية.\n"
    'وقال بوغدانوف في تصريح لوكالة تاس إن موسكو "تحترم خيارات الشعب السوري" وتتطلع إلى شراكة جديدة '
    "مع دمشق.\n"
)

ARTICLES: dict[str, tuple[str, SourceMeta]] = {
    "fidan": (
        FIDAN_IN_DAMASCUS,
        SourceMeta(
            external_id="test_fidan_damascus",
            outlet="عنب بلدي",
            published=date(2025, 11, 5),
            url="https://example.org/fidan",
        ),
    ),
    "guler": (
        GULER_IN_ANKARA,
        SourceMeta(external_id="test_guler_ankara", outlet="الوطن", published=date(2025, 11, 10)),
    ),
    "bogdanov": (
        BOGDANOV_IN_DAMASCUS,
        SourceMeta(external_id="test_bogdanov_damascus", outlet="تشرين", published=date(2025, 11, 30)),
    ),
}


async def ingest_articles(conn: asyncpg.Connection, *names: str) -> list[str]:
    """Ingest the named articles through the real pipeline; returns their source ids."""
    report = await ingest(conn, [ARTICLES[name] for name in names])
    return [r.source_id for r in report.results]


async def straddling_dataset(conn: asyncpg.Connection) -> None:
    """The seeds and three test articles, with a few events running over weeks and months (they
    straddle window edges) and one event dated to a whole month and one to a whole year (their own
    rollup rows, grains M and Y): the dataset the rollup and timeline tests ask windows of."""
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    await conn.execute(
        "UPDATE events SET date_end = date_start + (7 + length(id) % 40) WHERE date_start IS NOT NULL "
        "AND id IN (SELECT id FROM events WHERE date_start IS NOT NULL ORDER BY id LIMIT 6)"
    )
    month, year = await conn.fetchval(
        "SELECT array_agg(id) FROM (SELECT id FROM events WHERE date_start IS NOT NULL ORDER BY id DESC LIMIT 2) x"
    )
    await conn.execute(
        "UPDATE events SET date_start = '2025-10-01', date_end = '2025-10-31' WHERE id = $1", month
    )
    await conn.execute(
        "UPDATE events SET date_start = '2025-01-01', date_end = '2025-12-31' WHERE id = $1", year
    )
