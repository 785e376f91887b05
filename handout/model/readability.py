"""Readability checks for patient text: a grade level and a watch list of medical words.

Used by ``handout check`` and the content tests. Targets come from shared/clinical.md
section 6: patient material at or below grade 8, exercise steps at or below grade 6.
Spanish text gets the Szigriszt-Pazos index (INFLESZ scale) instead, with targets
equivalent to those grades: 55 ("normal") for the article, 65 ("bastante fácil") for steps.
Pure functions, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache

import textstat
from pyphen import Pyphen

TARGET_ARTICLE_GRADE = 8
TARGET_STEPS_GRADE = 6
TARGET_ARTICLE_INFLESZ = 55
TARGET_STEPS_INFLESZ = 65
# The INFLESZ scale (Barrio-Cantalejo et al. 2008): the lower bound of each band.
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
                 (float("-inf"), "muy difícil"))

# Medical words a reader may not know. Each is fine only when explained in plain words in
# the same sentence (see ``unexplained_terms``).
WATCH_LIST: tuple[str, ...] = (
    "proprioception",
    "biomechanics",
    "eccentric",
    "concentric",
    "anterior",
    "posterior",
    "lateral",
    "medial",
    "isometric",
    "flexion",
    "extension",
    "abduction",
    "adduction",
    "femoral",
    "acetabulum",
    "labrum",
    "capsule",
    "osteoarthritis",
    "impingement",
    "contraindicated",
    "supine",
    "prone",
    "quadruped",
    "bilateral",
    "unilateral",
    "range of motion",
    "activation",
)

# What may follow a term, later in the same sentence, to count as its explanation.
_EXPLAINED_AFTER = re.compile(r"\(|\s[-\u2013\u2014]\s|[\u2013\u2014]|\bmeans\b|\bis the\b|\bcalled\b", re.I)
# "... a test called FADIR": the explanation comes first.
_CALLED_BEFORE = re.compile(r"\bcalled\s+(?:an?\s+|the\s+)?[\"'\u201c\u2018]?$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_QUOTE = re.compile(r"^\s*>\s?", re.M)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`")


def strip_markdown(text: str) -> str:
    """Plain words from Markdown, one sentence-ending mark per line.

    A heading or a list item without a full stop is still a separate unit to the reader,
    so a line that ends without ``.``, ``!`` or ``?`` gets a full stop; otherwise a
    bullet list would be scored as one very long sentence.
    """
    text = _LINK.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _LIST_MARK.sub("", text)
    text = _QUOTE.sub("", text)
    text = _EMPHASIS.sub("", text)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[-1] not in ".!?":
            line += "."
        lines.append(line)
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _hyphenator() -> Pyphen:
    return Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    """Syllables as textstat counts them when it has no pronouncing dictionary."""
    return len(_hyphenator().positions(word)) + 1


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade of Markdown text (0.0 for text without words).

    The formula, word count and sentence count are textstat's. Syllables use textstat's own
    fallback rule (pyphen hyphenation) rather than ``textstat.flesch_kincaid_grade``,
    because textstat 0.7.4+ downloads the CMU pronouncing dictionary at first use, which
    fails offline (CI, clinics) and would make grades differ from machine to machine.
    """
    plain = strip_markdown(text)
    words = textstat.lexicon_count(plain)
    sentences = textstat.sentence_count(plain)
    if not words or not sentences:
        return 0.0
    tokens = re.sub(r"[^\w\s']", "", plain.replace("-", "")).lower().split()
    syllables = sum(_syllables(token) for token in tokens)
    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
    return round(grade, 2)


def _term_pattern(term: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(rf"\b{words}(?:s|es)?\b", re.I)


_TERM_PATTERNS = tuple((term, _term_pattern(term)) for term in WATCH_LIST)


def _is_explained(sentence: str, start: int, end: int) -> bool:
    before, after = sentence[:start], sentence[end:]
    if _EXPLAINED_AFTER.search(after) or _CALLED_BEFORE.search(before):
        return True
    # Inside a parenthesis: the plain words came first, e.g. "lying face down (prone)".
    return before.count("(") > before.count(")")


def unexplained_terms(text: str) -> list[str]:
    """Watch-list words used without a plain explanation, each listed once, in order.

    A term counts as explained when, in the same sentence, it is followed by a parenthesis,
    a dash, "means" (or "which means"), "is the" or "called"; when it comes right after
    "called"; or when it sits inside a parenthesis after the plain words. A rough rule, on
    purpose: it catches bare jargon, and a person judges the rest.
    """
    found: list[str] = []
    for sentence in _SENTENCE_END.split(strip_markdown(text)):
        for term, pattern in _TERM_PATTERNS:
            if term in found:
                continue
            for match in pattern.finditer(sentence):
                if not _is_explained(sentence, match.start(), match.end()):
                    found.append(term)
                    break
    return found


# --- Spanish -------------------------------------------------------------------------------------
# Syllables are counted by rule, not with pyphen or textstat: a hyphenation dictionary never
# splits a hiatus or leaves one letter alone ("día", "idea", "glúteo", "agua" come out one
# syllable short), so textstat's Spanish counts run low and its index reads too easy.
_STRONG = set("aeoáéóíú")  # an accented i or u is strong: "dí-a", "re-ú-ne"
_WEAK = set("iuü")
_NOT_LETTERS = re.compile(r"[^a-záéíóúüñ]")


def spanish_syllables(word: str) -> int:
    """Syllables of one Spanish word: one a run of vowels, plus one for each hiatus in it
    (two strong vowels side by side); a silent u (que, gui) and h are not vowels or breaks."""
    word = _NOT_LETTERS.sub("", word.lower())
    word = re.sub(r"([qg])u([eéií])", r"\1\2", word).replace("h", "")
    count, run = 0, ""
    for i, char in enumerate(word + " "):
        after = word[i + 1] if i + 1 < len(word) else ""
        if char in _STRONG or char in _WEAK or (char == "y" and run and after not in _STRONG | _WEAK):
            run += char  # a final or pre-consonant y after a vowel closes a diphthong: "muy", "hoy"
            continue
        if run:
            count += max(1, sum(1 for c in run if c in _STRONG))
            run = ""
        if char == "y" and not after and not word[:-1]:
            count += 1  # the word "y"
    return max(count, 1)


def inflesz(text: str) -> float:
    """Szigriszt-Pazos perspicuity of Spanish Markdown text: 206.835 - 62.3 syllables/words
    - words/sentences (textstat's word and sentence counts; 0.0 for text without words)."""
    plain = strip_markdown(text)
    words = textstat.lexicon_count(plain)
    sentences = textstat.sentence_count(plain)
    if not words or not sentences:
        return 0.0
    tokens = re.sub(r"[^\w\s]", " ", plain).split()
    syllables = sum(spanish_syllables(token) if not token.isdigit() else len(token) for token in tokens)
    return round(206.835 - 62.3 * (syllables / words) - words / sentences, 1)


def inflesz_band(score: float) -> str:
    return next(name for low, name in INFLESZ_BANDS if score >= low)
