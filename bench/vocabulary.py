"""Words the synthetic dataset is written with: sentence templates per PLOVER type, date phrases,
titles, and a frozen copy of the extractor's knowledge base (so head actors are real names).

The knowledge base is read from ``bench/data/vocabulary.json``, a snapshot, never from the
extractor's live data files: those grow with every round of extraction work, and a generator that
read them gave a different dataset (1,135 actors at 10k events one morning, 1,367 the same
afternoon) under the same seed. ``python -m bench vocabulary`` refreshes the snapshot on purpose;
its hash is part of the dataset fingerprint (``bench.generate.fingerprint``), so a refreshed
snapshot makes the next run generate its datasets again instead of reusing stale ones.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from service.config import PROJECT_ROOT

DATA = PROJECT_ROOT / "service" / "extract" / "data"
SNAPSHOT = PROJECT_ROOT / "bench" / "data" / "vocabulary.json"
KB_KINDS = ("countries", "organizations", "people", "places", "weapons")
KB_FIELDS = ("id", "name_ar", "name_en", "aliases", "country", "category", "roles", "lat", "lon", "wikidata")

# Relative frequency of each PLOVER type (consultations dominate diplomatic news).
TYPE_WEIGHTS = (
    ("CONSULT", 30),
    ("COOPERATE", 10),
    ("AGREE", 8),
    ("AID", 6),
    ("SUPPORT", 6),
    ("ACCUSE", 7),
    ("DEMAND", 5),
    ("REJECT", 4),
    ("THREATEN", 4),
    ("ASSAULT", 8),
    ("MOBILIZE", 4),
    ("PROTEST", 3),
    ("SANCTION", 2),
    ("CONCEDE", 2),
    ("RETREAT", 1),
)

# Quotes are split on "|": "{a}" (source actor), "{b}" (target), "{loc}", "{w}" (weapon) are filled in
# and their spans recorded. "ar"/"en" are the summaries.
_TEMPLATES: dict[str, dict[str, Any]] = {
    "CONSULT": {
        "quotes": [
            "بحث |{a}| مع |{b}| سبل تعزيز العلاقات الثنائية خلال لقاء في |{loc}|",
            "وصل |{a}| إلى |{loc}| في زيارة رسمية التقى خلالها |{b}|",
            "استقبل |{b}| في |{loc}| وفداً برئاسة |{a}|",
        ],
        "ar": "لقاء بين {a} و{b} في {loc}",
        "en": "{a} met {b} in {loc}",
    },
    "COOPERATE": {
        "quotes": [
            "اتفق |{a}| و|{b}| على توسيع التعاون العسكري المشترك",
            "أعلن |{a}| عن برنامج تعاون مع |{b}| في |{loc}|",
        ],
        "ar": "تعاون بين {a} و{b}",
        "en": "{a} and {b} expanded cooperation",
    },
    "AGREE": {
        "quotes": [
            "وقّع |{a}| و|{b}| اتفاقية جديدة في |{loc}|",
            "توصل |{a}| إلى اتفاق مع |{b}| بشأن الملفات العالقة",
        ],
        "ar": "اتفاق بين {a} و{b}",
        "en": "{a} signed an agreement with {b}",
    },
    "AID": {
        "quotes": ["سلّم |{a}| إلى |{b}| شحنة من |{w}|", "قدّم |{a}| مساعدات إلى |{b}| في |{loc}|"],
        "ar": "مساعدات من {a} إلى {b}",
        "en": "{a} delivered {w} to {b}",
    },
    "SUPPORT": {
        "quotes": ["أشاد |{a}| بموقف |{b}| من الأزمة", "أعلن |{a}| دعمه لجهود |{b}|"],
        "ar": "دعم {a} لـ{b}",
        "en": "{a} praised {b}",
    },
    "ACCUSE": {
        "quotes": ["اتهم |{a}| |{b}| بانتهاك الاتفاق في |{loc}|", "حمّل |{a}| |{b}| مسؤولية التصعيد"],
        "ar": "اتهام {a} لـ{b}",
        "en": "{a} accused {b}",
    },
    "DEMAND": {
        "quotes": ["طالب |{a}| |{b}| بتنفيذ التزاماته", "دعا |{a}| |{b}| إلى وقف العمليات في |{loc}|"],
        "ar": "مطالبة {a} لـ{b}",
        "en": "{a} demanded action from {b}",
    },
    "REJECT": {
        "quotes": ["رفض |{a}| مقترحاً قدمه |{b}|", "أعلن |{a}| رفضه لشروط |{b}|"],
        "ar": "رفض {a} مقترح {b}",
        "en": "{a} rejected a proposal by {b}",
    },
    "THREATEN": {
        "quotes": ["هدد |{a}| |{b}| برد حازم", "لوّح |{a}| باستخدام |{w}| ضد |{b}|"],
        "ar": "تهديد {a} لـ{b}",
        "en": "{a} threatened {b}",
    },
    "ASSAULT": {
        "quotes": ["شن |{a}| هجوماً على مواقع |{b}| في |{loc}|", "قصف |{a}| مواقع |{b}| قرب |{loc}|"],
        "ar": "هجوم {a} على {b} في {loc}",
        "en": "{a} attacked {b} in {loc}",
    },
    "MOBILIZE": {
        "quotes": ["نشر |{a}| تعزيزات عسكرية قرب |{loc}|", "استنفر |{a}| قواته تحسباً لتحركات |{b}|"],
        "ar": "تعزيزات {a} قرب {loc}",
        "en": "{a} deployed forces near {loc}",
    },
    "PROTEST": {
        "quotes": ["تظاهر أنصار |{a}| في |{loc}| احتجاجاً على سياسات |{b}|"],
        "ar": "احتجاجات ضد {b} في {loc}",
        "en": "Supporters of {a} protested against {b} in {loc}",
    },
    "SANCTION": {
        "quotes": ["فرض |{a}| عقوبات جديدة على |{b}|"],
        "ar": "عقوبات {a} على {b}",
        "en": "{a} imposed sanctions on {b}",
    },
    "CONCEDE": {
        "quotes": ["أفرج |{a}| عن محتجزين لدى |{b}|", "وافق |{a}| على وقف إطلاق النار مع |{b}|"],
        "ar": "تنازل {a} لـ{b}",
        "en": "{a} made a concession to {b}",
    },
    "RETREAT": {
        "quotes": ["انسحبت قوات |{a}| من |{loc}|"],
        "ar": "انسحاب {a} من {loc}",
        "en": "{a} withdrew from {loc}",
    },
}

STATUS_PREFIX = {
    "occurred": "",
    "planned": "من المقرر أن يجري ما يلي: ",
    "speculative": "تشير تقارير غير مؤكدة إلى أنه ",
    "denied": "نفت مصادر رسمية ما تردد عن أنه ",
}
MONTHS_AR = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
DATE_PHRASES = (
    "أمس",
    "أمس الأحد",
    "اليوم الاثنين",
    "الأسبوع الماضي",
    "منتصف الشهر الجاري",
    "مطلع الشهر",
    "يوم الخميس الماضي",
    "خلال الأيام الماضية",
)
CHANNELS_AR = {
    "statement": "بيان رسمي",
    "press_conference": "مؤتمر صحفي",
    "social_media": "منشور على منصة إكس",
    "interview": "مقابلة تلفزيونية",
    "report": "تقرير",
}
PLACE_WORDS = (
    ("بلدة", "Town of"),
    ("قرية", "Village of"),
    ("مخيم", "Camp"),
    ("ريف", "Countryside of"),
    ("معبر", "Crossing"),
    ("مطار", "Airfield"),
)
ROLE_TITLES = (
    ("اللواء", "rank"),
    ("العميد", "rank"),
    ("الفريق أول", "rank"),
    ("العقيد", "rank"),
    ("وزير الدفاع", "role"),
    ("وزير الخارجية", "role"),
    ("رئيس الأركان", "role"),
    ("المتحدث باسم الوزارة", "role"),
    ("نائب وزير الدفاع", "role"),
    ("السفير", "role"),
    ("مستشار الرئيس", "role"),
    ("محافظ", "role"),
)


def _tsv(path: Any) -> list[list[str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            ar, en = line.split("\t")[:2]
            pairs.append([ar.strip(), en.strip()])
    return pairs


def snapshot_from_extractor() -> dict[str, Any]:
    """What the generator reads from the extractor's data, taken now (``python -m bench vocabulary``)."""

    def read(path: Any) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))

    kb: dict[str, Any] = {
        kind: [
            {k: item[k] for k in KB_FIELDS if k in item} for item in read(DATA / "actors" / f"{kind}.json")
        ]
        for kind in KB_KINDS
    }
    given = [p for p in _tsv(DATA / "names" / "given.tsv") if " " not in p[0]]
    kb["given"] = [list(p) for p in dict.fromkeys(map(tuple, given))]
    kb["family"] = [p for p in _tsv(DATA / "names" / "parts.tsv") if p[0].startswith("ال") and len(p[0]) > 3]
    heads = read(DATA / "titles.json").get("org_heads", [])
    kb["org_heads"] = [[h["ar"], h["en"]] for h in heads if isinstance(h, dict)]
    lexicon = read(DATA / "event_types.json")["types"]
    kb["modes"] = {name: lexicon[name]["modes"] for name in _TEMPLATES}
    return kb


def write_snapshot() -> str:
    """Rewrite the snapshot from the extractor's current data; returns its new hash."""
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot_from_extractor(), ensure_ascii=False, indent=1) + "\n"
    SNAPSHOT.write_text(text, encoding="utf-8")
    return snapshot_hash()


def snapshot_hash() -> str:
    return hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()[:16]


@cache
def _snapshot() -> dict[str, Any]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def load_kb() -> dict[str, Any]:
    """The frozen knowledge base, plus name parts to compose new people and organisations."""
    kb = dict(_snapshot())
    for key in ("given", "family", "org_heads"):
        kb[key] = [tuple(p) for p in kb[key]]
    return kb


@cache
def type_templates() -> dict[str, dict[str, Any]]:
    """Templates joined with the frozen PLOVER modes and CAMEO codes."""
    modes = _snapshot()["modes"]
    return {name: {**spec, "modes": modes[name]} for name, spec in _TEMPLATES.items()}
