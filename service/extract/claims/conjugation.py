"""The dual and plural conjugations of reporting cues, generated from the forms listed.

``claim_cues.json`` lists each reporting verb by its third-person singular forms ("قال", "قالت",
"يقول", "تقول") and each participle by its singular forms ("مؤكداً", "مؤكدة"). Speakers are often
two or several ("قالا", "أكدوا", "يقولون", "مؤكدين"), so the cue lexicon also matches those
conjugations, generated here by the regular paradigm of the form's shape:

* a perfect verb ("أكد", "نفى"): the masculine dual and plural ("أكدا", "أكدوا"; a final alif
  maqsura drops before the plural: "نفوا", "رأوا") and the feminine dual ("أكدتا"). The dual of a
  three-letter verb other than a hollow one, and of a verb that opens with ت (forms V and VI), is
  spelt like its verbal noun in the accusative ("كشفاً", "نفياً", "توقعاً", "تابعاً"), so it is not
  generated ("قالا" is);
* an imperfect verb whose other gender is listed too ("يقول" / "تقول"): the masculine plural and
  both duals ("يقولون", "يقولان", "تقولان"; "ينفي" gives "ينفون");
* a participle: the masculine plural (and dual) after its subject ("مؤكدين", "مؤكدون") and the
  feminine plural ("مؤكدات").

A generated form that is also an ordinary word ("طالبا" a student, "نفيا" a denial, "كتبا" books)
is left out by ``not_conjugations`` in the data file. Forms are folded like the text; the lexicon
gives each conjugation the cue of the form it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

from service.text import fold

_IMPERFECT = ("ي", "ت")
_MAQSURA = "ي"  # alif maqsura, folded


def conjugations(forms: Iterable[str], participle: bool = False) -> dict[str, str]:
    """Generated conjugation (folded) -> the listed form it comes from, for the one-word forms."""
    written = [f.strip() for f in forms if " " not in f.strip()]
    listed = {fold(f) for f in written}
    out: dict[str, str] = {}
    for original in written:
        form = fold(original)
        hollow = len(original) == 3 and original[1] == "ا"  # "قال", not "رأى" (folded alike)
        for more in _participle(form) if participle else _verb(form, listed, hollow):
            if more not in listed:
                out.setdefault(more, form)
    return out


def _participle(form: str) -> tuple[str, ...]:
    if form.endswith("يا") and len(form) > 4:  # "نافياً": "نافين"
        return (form[:-2] + "ين", form[:-2] + "ون")
    if form.endswith("ا") and len(form) > 3:  # the accusative "مؤكداً"
        return (form[:-1] + "ين", form[:-1] + "ون")
    if form.endswith("ه") and len(form) > 3:  # the feminine "مؤكدة"
        return (form[:-1] + "ات",)
    return ()


def _verb(form: str, listed: set[str], hollow: bool) -> tuple[str, ...]:
    if len(form) < 3 or form.endswith(("ت", "وا", "ه")):
        return ()  # already a feminine, plural or object-pronoun form
    imperfect = form[0] == "ي" or (form[0] == "ت" and "ي" + form[1:] in listed)
    if imperfect:
        if form[0] == "ت":
            return (form + "ان",)
        stem = form[:-1] if form.endswith(_MAQSURA) else form
        return (stem + "ون", form + "ان")
    if form.endswith("ا"):
        return ()  # a dual already
    spelt_like_noun = (len(form) == 3 and not hollow) or form[0] == "ت"
    if form.endswith(_MAQSURA):
        return (form[:-1] + "وا",) + (() if spelt_like_noun else (form + "ا",))
    return (form + "وا", form + "تا") + (() if spelt_like_noun else (form + "ا",))
