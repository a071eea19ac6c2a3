"""Words the synthetic dataset is written with: sentence templates per PLOVER type, date phrases,
titles, and the knowledge base the extractor itself uses (so head actors are real names)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from service.config import PROJECT_ROOT

DATA = PROJECT_ROOT / "service" / "extract" / "data"

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

# PLOVER modes with their CAMEO codes, as in the extractor's lexicon (used if that file is missing).
FALLBACK_MODES = {
    "CONSULT": {"visit": "042", "host": "043", "meet": "040"},
    "COOPERATE": {"military": "062", "economic": "061"},
    "AGREE": {"sign": "057", "agree": "030"},
    "AID": {"arms": "072", "humanitarian": "073"},
    "SUPPORT": {"praise": "051"},
    "ACCUSE": {"accuse": "112", "condemn": "111"},
    "DEMAND": {"request": "100"},
    "REJECT": {"reject": "120"},
    "THREATEN": {"military": "138", "threaten": "130"},
    "ASSAULT": {"aerial": "195", "attack": "190"},
    "MOBILIZE": {"deploy": "154"},
    "PROTEST": {"demonstrate": "141"},
    "SANCTION": {"sanctions": "163"},
    "CONCEDE": {"ceasefire": "0871"},
    "RETREAT": {"withdraw": "0874"},
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


@cache
def type_templates() -> dict[str, dict[str, Any]]:
    """Templates joined with the extractor's PLOVER lexicon (modes and CAMEO codes)."""
    lexicon = _json(DATA / "event_types.json", {}).get("types", {})
    return {
        name: {**spec, "modes": lexicon.get(name, {}).get("modes") or FALLBACK_MODES[name]}
        for name, spec in _TEMPLATES.items()
    }


# Used only when the extractor's knowledge base files are not where this module expects them.
FALLBACK_KB: dict[str, list[dict[str, Any]]] = {
    "countries": [
        {"id": "country.sy", "name_ar": "سوريا", "name_en": "Syria"},
        {"id": "country.ru", "name_ar": "روسيا", "name_en": "Russia"},
        {"id": "country.tr", "name_ar": "تركيا", "name_en": "Turkey"},
    ],
    "organizations": [
        {"id": "org.sana", "name_ar": "وكالة الأنباء السورية", "name_en": "SANA", "category": "agency"},
        {"id": "org.tass", "name_ar": "وكالة تاس", "name_en": "TASS", "category": "agency"},
        {"id": "org.enab", "name_ar": "عنب بلدي", "name_en": "Enab Baladi", "category": "outlet"},
        {"id": "org.watan", "name_ar": "صحيفة الوطن", "name_en": "Al-Watan", "category": "outlet"},
        {"id": "org.thawra", "name_ar": "صحيفة الثورة", "name_en": "Al-Thawra", "category": "outlet"},
        {"id": "org.jazeera", "name_ar": "الجزيرة نت", "name_en": "Al Jazeera", "category": "outlet"},
        {"id": "org.arabiya", "name_ar": "العربية نت", "name_en": "Al Arabiya", "category": "outlet"},
        {"id": "org.sharq", "name_ar": "الشرق الأوسط", "name_en": "Asharq Al-Awsat", "category": "outlet"},
        {"id": "org.nahar", "name_ar": "النهار", "name_en": "An-Nahar", "category": "outlet"},
        {"id": "org.quds", "name_ar": "القدس العربي", "name_en": "Al-Quds Al-Arabi", "category": "outlet"},
    ],
    "people": [
        {
            "id": "person.sharaa",
            "name_ar": "أحمد الشرع",
            "name_en": "Ahmed al-Sharaa",
            "country": "country.sy",
        }
    ],
    "places": [
        {
            "id": "place.damascus",
            "name_ar": "دمشق",
            "name_en": "Damascus",
            "country": "country.sy",
            "lat": 33.513,
            "lon": 36.292,
        },
        {
            "id": "place.moscow",
            "name_ar": "موسكو",
            "name_en": "Moscow",
            "country": "country.ru",
            "lat": 55.756,
            "lon": 37.617,
        },
    ],
    "weapons": [{"id": "weapon.s400", "name_ar": "إس-400", "name_en": "S-400", "country": "country.ru"}],
}
FALLBACK_NAMES = {
    "given.tsv": [
        ("أحمد", "Ahmed"),
        ("محمد", "Mohammed"),
        ("علي", "Ali"),
        ("عمر", "Omar"),
        ("حسن", "Hassan"),
        ("خالد", "Khaled"),
        ("يوسف", "Youssef"),
        ("سامر", "Samer"),
        ("ماهر", "Maher"),
        ("فراس", "Firas"),
    ],
    "parts.tsv": [
        ("الخطيب", "al-Khatib"),
        ("الأحمد", "al-Ahmad"),
        ("العلي", "al-Ali"),
        ("الحلبي", "al-Halabi"),
        ("الشامي", "al-Shami"),
        ("الحموي", "al-Hamawi"),
        ("الزعبي", "al-Zoubi"),
        ("الحمصي", "al-Homsi"),
    ],
}


def _json(path: Any, fallback: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fallback


def _tsv(name: str) -> list[tuple[str, str]]:
    pairs = []
    try:
        text = (DATA / "names" / name).read_text(encoding="utf-8")
    except OSError:
        return FALLBACK_NAMES[name]
    for line in text.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            ar, en = line.split("\t")[:2]
            pairs.append((ar.strip(), en.strip()))
    return pairs


@cache
def load_kb() -> dict[str, Any]:
    """The extractor's knowledge base, plus name parts to compose new people and organisations."""
    kb: dict[str, Any] = {}
    for kind in ("countries", "organizations", "people", "places", "weapons"):
        kb[kind] = _json(DATA / "actors" / f"{kind}.json", None) or FALLBACK_KB[kind]
    given = [p for p in _tsv("given.tsv") if " " not in p[0]]
    kb["given"] = list(dict.fromkeys(given))
    kb["family"] = [p for p in _tsv("parts.tsv") if p[0].startswith("ال") and len(p[0]) > 3]
    titles = _json(DATA / "titles.json", {})
    heads = [(h["ar"], h["en"]) for h in titles.get("org_heads", []) if isinstance(h, dict)]
    kb["org_heads"] = heads or [("وزارة", "Ministry"), ("هيئة", "Authority"), ("مجلس", "Council")]
    return kb


TYPE_TEMPLATES = type_templates()
