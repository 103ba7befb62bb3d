"""Classify free-text stream names (Vietnamese or English) into the taxonomy.

Method (documented, deterministic):

1. **Keywords.** The name is folded (lower case, no diacritics, punctuation to spaces) and
   every class keyword of ``data/taxonomy.yaml`` is looked for as a whole-word phrase. The
   class with the *longest* matching phrase wins ("bark flue ash" → fly ash, not "ash" →
   bottom ash); ties go to the class listed first.
2. **Character n-gram TF-IDF.** When no keyword matches, the name is compared with one
   document per class (its English and Vietnamese labels and keywords) by the cosine of
   character 2–4-gram TF-IDF vectors (scikit-learn, offline); the nearest class is taken
   when the cosine reaches :data:`MIN_TFIDF_SCORE`, else the name is ``unspecified``.

Only classes that allow the stream's direction compete (an output cannot be classed as
"cement additive"). The literature flows are classified the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ecozone.symbiosis.taxonomy import UNSPECIFIED, StreamClass, normalise_text, stream_classes

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

MIN_TFIDF_SCORE = 0.25
NGRAM_RANGE = (2, 4)


@dataclass(frozen=True)
class Classification:
    """The class chosen for a name, and why.

    Attributes
    ----------
    stream_class : str
        Taxonomy code (``unspecified`` when nothing fits).
    method : str
        ``keyword``, ``tfidf`` or ``none``.
    score : float
        Length of the matched phrase [characters] for keywords, cosine [-] for TF-IDF.
    evidence : str
        The matched phrase, or the nearest class's code.
    """

    stream_class: str
    method: str
    score: float
    evidence: str


def _candidates(direction: str | None, include_unspecified: bool) -> list[StreamClass]:
    classes = stream_classes().values()
    chosen = [c for c in classes if c.roles and (direction is None or c.allows(direction))]
    if include_unspecified:
        chosen.append(stream_classes()[UNSPECIFIED])
    return chosen


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9a-z]){re.escape(phrase)}(?![0-9a-z])")


def keyword_match(text: str, classes: list[StreamClass]) -> tuple[str, str] | None:
    """Return (class code, phrase) of the longest keyword phrase found in folded ``text``, or None."""
    best: tuple[int, int, str, str] | None = None
    for order, entry in enumerate(classes):
        for phrase in entry.keywords:
            if phrase and _phrase_pattern(phrase).search(text):
                candidate = (len(phrase), -order, entry.code, phrase)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return None if best is None else (best[2], best[3])


def class_document(entry: StreamClass) -> str:
    """The text a class is compared with: labels in both languages and keywords, folded."""
    return " ".join([normalise_text(entry.en), normalise_text(entry.vi), *entry.keywords])


def char_vectorizer() -> TfidfVectorizer:
    """A character 2–4-gram TF-IDF vectoriser (word-bounded, sublinear term frequency)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True)


@cache
def _class_index() -> tuple[tuple[str, ...], TfidfVectorizer, object]:
    entries = [c for c in stream_classes().values() if c.code != UNSPECIFIED]
    vectorizer = char_vectorizer()
    matrix = vectorizer.fit_transform([class_document(c) for c in entries])
    return tuple(c.code for c in entries), vectorizer, matrix


def rank_classes(name: str, direction: str | None = None) -> list[tuple[str, float]]:
    """Classes ranked by TF-IDF cosine between ``name`` and each class document.

    Parameters
    ----------
    name : str
        Free text in Vietnamese or English.
    direction : str, optional
        ``output`` or ``input``: only classes allowing it are ranked.
    """
    codes, vectorizer, matrix = _class_index()
    scores = (vectorizer.transform([normalise_text(name)]) @ matrix.T).toarray()[0]  # type: ignore[attr-defined]
    allowed = {c.code for c in _candidates(direction, include_unspecified=False)}
    return sorted(
        ((code, float(score)) for code, score in zip(codes, scores, strict=True) if code in allowed), key=lambda x: -x[1]
    )


def classify_name(name: str, direction: str | None = None, include_unspecified: bool = False) -> Classification:
    """Classify a free-text stream name.

    Parameters
    ----------
    name : str
        Free text, e.g. ``"xỉ than"``, ``"boiler bottom ash"``, ``"cement additive"``.
    direction : str, optional
        ``output`` or ``input``; restricts the classes.
    include_unspecified : bool
        Let generic labels ("by-product", "energy", "product") fall into ``unspecified``.
    """
    text = normalise_text(name)
    matched = keyword_match(text, _candidates(direction, include_unspecified))
    if matched is not None:
        code, phrase = matched
        return Classification(code, "keyword", float(len(phrase)), phrase)
    ranked = rank_classes(name, direction)
    if ranked and ranked[0][1] >= MIN_TFIDF_SCORE:
        return Classification(ranked[0][0], "tfidf", ranked[0][1], ranked[0][0])
    nearest = ranked[0] if ranked else (UNSPECIFIED, 0.0)
    return Classification(UNSPECIFIED, "none", nearest[1], nearest[0])
