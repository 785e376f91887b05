"""Content in another language: translated text laid over the English content, field by field.

A content folder holds its translations in ``<folder>/<lang>/``, mirroring its own layout
with the same ids: ``es/exercises/seated-ir.yaml``, ``es/programs/ir-mobility.yaml``,
``es/safety.yaml``, ``es/article/hip-internal-rotators.md``. An exercise or program file
there holds only the printed text (``TEXT_FIELDS``); doses, figures, precautions and
sources stay in the English file, so a number is written once. The safety text and the
article are written whole.

Every printed English field needs its translation, and every list the same number of
entries: what is missing is an ``Issue`` naming the translated file and the field, so a
page never mixes languages. Pure functions of loaded values; the library does the I/O.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..errors import Issue
from .content import Exercise, Program, Safety
from .i18n import language_name
from .validate import field_path

# The fields of each kind that are printed, and so are translated. Dose fields in
# ``DOSE_TEXT`` are text too (a band's colour, a tempo, a tip).
EXERCISE_TEXT = ("name", "short_name", "targets", "summary", "start", "steps", "poster_steps", "poster_cues",
                 "cues", "mistakes", "easier", "harder", "stop_if", "equipment")
PROGRAM_TEXT = ("title", "audience", "why", "poster_title")
ITEM_TEXT = ("notes", "easier", "harder")
DOSE_TEXT = ("load", "tempo", "notes")
ARTICLE_TEXT = ("title", "summary")  # front matter; reviewed and sources come from the English


def _missing(file: str, field: str, english, lang: str) -> Issue:
    shown = english if isinstance(english, str) else english[0] if english else ""
    return Issue(file, None, field, f'has no {language_name(lang)} translation (English: "{str(shown)[:60]}")')


def _compare(english, translated, field: str, file: str, lang: str, issues: list[Issue]) -> None:
    """``translated`` must be there wherever ``english`` has text, lists entry for entry."""
    if english in (None, "", []):
        return
    if translated in (None, "", []):
        issues.append(_missing(file, field, english, lang))
    elif isinstance(english, list):
        if not isinstance(translated, list) or len(translated) != len(english):
            count = len(translated) if isinstance(translated, list) else 1
            issues.append(Issue(file, None, field, f"has {count} entries; the English has {len(english)}"))
        else:
            for n, (e, t) in enumerate(zip(english, translated)):
                if isinstance(e, str) and e == t:
                    issues.append(Issue(file, None, f"{field}[{n}]", "is the same as the English; translate it"))
    elif isinstance(english, str) and english == translated and any(c.isalpha() for c in english):
        issues.append(Issue(file, None, field, "is the same as the English; translate it"))


def _extra(data: dict, allowed: tuple[str, ...], file: str, at: tuple, issues: list[Issue], linemap) -> None:
    for key in data:
        if key not in allowed:
            issues.append(Issue(file, linemap.line_of(at + (key,)), field_path(at + (key,)),
                                "is not a translated field (numbers, ids and figures stay in the English file)"))


def _dose_overlay(english: BaseModel, data, file: str, at: tuple, lang: str, issues: list[Issue],
                  linemap) -> dict:
    data = data if isinstance(data, dict) else {}
    _extra(data, DOSE_TEXT, file, at, issues, linemap)
    for name in DOSE_TEXT:
        _compare(getattr(english, name), data.get(name), field_path(at + (name,)), file, lang, issues)
    return {k: v for k, v in data.items() if k in DOSE_TEXT}


def merge_exercise(english: Exercise, data: dict, file: str, lang: str, issues: list[Issue], linemap) -> dict:
    """The English exercise as a dict with the translated fields laid over it."""
    _extra(data, ("id", *EXERCISE_TEXT, "dose"), file, (), issues, linemap)
    for name in EXERCISE_TEXT:
        _compare(getattr(english, name), data.get(name), name, file, lang, issues)
    merged = english.model_dump()
    merged.update({k: v for k, v in data.items() if k in EXERCISE_TEXT})
    merged["dose"].update(_dose_overlay(english.dose, data.get("dose"), file, ("dose",), lang, issues, linemap))
    return merged


def merge_program(english: Program, data: dict, file: str, lang: str, issues: list[Issue], linemap) -> dict:
    """The English program as a dict with the translated title, texts and item notes laid over it."""
    _extra(data, ("id", *PROGRAM_TEXT, "items"), file, (), issues, linemap)
    for name in PROGRAM_TEXT:
        _compare(getattr(english, name), data.get(name), name, file, lang, issues)
    merged = english.model_dump()
    items = data.get("items") or []
    if len(items) != len(english.items) or not all(isinstance(i, dict) for i in items):
        if any(_item_has_text(i) for i in english.items):
            issues.append(Issue(file, None, "items", f"has {len(items)} entries; the English has {len(english.items)}"))
        items = [{} for _ in english.items] if len(items) != len(english.items) else items
    for n, (item, text) in enumerate(zip(english.items, items)):
        text = text if isinstance(text, dict) else {}
        where = f"items[{n}]"
        if text.get("exercise", item.exercise) != item.exercise:
            issues.append(Issue(file, None, f"{where}.exercise", f'must be "{item.exercise}", as in the English'))
        _extra(text, ("exercise", *ITEM_TEXT, "dose"), file, ("items", n), issues, linemap)
        for name in ITEM_TEXT:
            _compare(getattr(item, name), text.get(name), f"{where}.{name}", file, lang, issues)
        merged["items"][n].update({k: v for k, v in text.items() if k in ITEM_TEXT})
        merged["items"][n]["dose"].update(_dose_overlay(item.dose, text.get("dose"), file, ("items", n, "dose"), lang,
                                                        issues, linemap))
    merged.update({k: v for k, v in data.items() if k in PROGRAM_TEXT})
    return merged


def _item_has_text(item) -> bool:
    return any(getattr(item, n) for n in ITEM_TEXT) or any(getattr(item.dose, n) for n in DOSE_TEXT)


def safety_issues(english: Safety, translated: Safety, file: str, lang: str) -> list[Issue]:
    """The translated safety text must say as much as the English: every list and precaution."""
    issues: list[Issue] = []
    for name in Safety.model_fields:
        if name == "precautions":
            continue
        _compare(getattr(english, name), getattr(translated, name), name, file, lang, issues)
    for pid, precaution in english.precautions.items():
        other = translated.precautions.get(pid)
        if other is None:
            issues.append(_missing(file, f"precautions.{pid}", precaution.title, lang))
            continue
        for name in ("title", "text", "short"):
            _compare(getattr(precaution, name), getattr(other, name), f"precautions.{pid}.{name}", file, lang, issues)
    return issues


def article_issues(english, translated, file: str, lang: str) -> list[Issue]:
    """A translated article has the English one's sections, in number."""
    if len(translated.sections) != len(english.sections):
        return [Issue(file, None, "sections", f"has {len(translated.sections)} sections (## headings); "
                                              f"the English has {len(english.sections)}")]
    return []


def translation_path(folder: Path, lang: str, rel: Path) -> Path:
    return folder / lang / rel
