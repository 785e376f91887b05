"""Stamps of the English a translation was made from, so a changed English field is noticed.

Each ``<folder>/<lang>/`` holds ``english-stamps.yaml``: for every translated file (by its
path under ``<lang>/``), a short hash of each printed English field as it was when the
translation was last checked. ``stale_issues`` names every field whose English hash differs
now (a warning for ``handout check``, never a build failure: a stale translation still says
what the old English said). ``stamp_texts`` gives the file's new text, for
``handout stamp`` to write. Field names are those of ``translation.py``'s messages.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from ..errors import ContentError, Issue, RequestError
from .i18n import language_name
from .library import ARTICLE_FILE, SAFETY_FILE, Library, load_library
from .translation import DOSE_TEXT, EXERCISE_TEXT, ITEM_TEXT, PROGRAM_TEXT

STAMP_FILE = "english-stamps.yaml"
DIGITS = 8  # of the SHA-256 hex digest: plenty to notice an edit, short enough to read
HEADER = """\
# The English each translation in this folder was made from: a short hash (the first {digits}
# hex digits of SHA-256) of every printed English field, by translated file. `handout check
# --language {lang}` warns about each field whose English has changed since. After updating
# the translation, record the English again: `handout stamp --language {lang}`.
"""


def digest(value) -> str:
    """A short hash of one field's English (text, or a list of texts)."""
    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:DIGITS]


def _put(out: dict, name: str, value) -> None:
    if value not in (None, "", [], {}):
        out[name] = value


def _dose(out: dict, at: str, dose) -> None:
    for name in DOSE_TEXT:
        _put(out, f"{at}dose.{name}", getattr(dose, name))


def english_fields(english: Library) -> dict[str, dict[str, object]]:
    """Every printed English field, by the path of its translation under ``<lang>/``."""
    out: dict[str, dict[str, object]] = {}
    for eid, exercise in english.exercises.items():
        fields = out[f"exercises/{eid}.yaml"] = {}
        for name in EXERCISE_TEXT:
            _put(fields, name, getattr(exercise, name))
        _dose(fields, "", exercise.dose)
    for pid, program in english.programs.items():
        fields = out[f"programs/{pid}.yaml"] = {}
        for name in PROGRAM_TEXT:
            _put(fields, name, getattr(program, name))
        for n, item in enumerate(program.items):
            for name in ITEM_TEXT:
                _put(fields, f"items[{n}].{name}", getattr(item, name))
            _dose(fields, f"items[{n}].", item.dose)
    fields = out[SAFETY_FILE.as_posix()] = {}
    for name, value in english.safety.model_dump().items():
        if name == "precautions":
            for pid, precaution in value.items():
                for key, text in precaution.items():
                    _put(fields, f"precautions.{pid}.{key}", text)
        else:
            _put(fields, name, value)
    fields = out[ARTICLE_FILE.as_posix()] = {}
    _put(fields, "title", english.article.meta.title)
    _put(fields, "summary", english.article.meta.summary)
    for n, section in enumerate(english.article.sections):
        _put(fields, f"sections[{n}]", f"{section.title}\n{section.text}")
    return out


def _translated_files(library: Library) -> dict[Path, list[tuple[Path, str]]]:
    """The translation files a library read, grouped by their ``<folder>/<lang>/``."""
    roots: dict[Path, list[tuple[Path, str]]] = {}
    for path in library.translation_files:
        for folder in library.folders:
            root = folder / library.language
            if path.is_file() and path.is_relative_to(root) and path.suffix in (".yaml", ".md"):
                roots.setdefault(root, []).append((path, path.relative_to(root).as_posix()))
                break
    return roots


def read_stamps(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError([Issue(str(path), None, "", f"not a stamps file: {exc}")]) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ContentError([Issue(str(path), None, "", "not a stamps file: each translated file maps "
                                                      "field names to hashes")])
    return {str(rel): {str(k): str(v) for k, v in fields.items()} for rel, fields in data.items()}


def _shown(value) -> str:
    text = " / ".join(value) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def stale_issues(content_dirs=(), lang: str = "es") -> list[Issue]:
    """Every translated field whose English changed since the translation was stamped."""
    library = load_library(tuple(content_dirs), lang)
    english = english_fields(load_library(tuple(content_dirs)))
    issues = []
    for root, files in _translated_files(library).items():
        stamps = read_stamps(root / STAMP_FILE)
        for path, rel in files:
            if rel not in stamps:
                issues.append(Issue(str(path), None, "", f"has no stamp of the English it was translated from "
                                                         f"(handout stamp --language {lang})"))
                continue
            for name, value in english.get(rel, {}).items():
                if stamps[rel].get(name) != digest(value):
                    issues.append(Issue(str(path), None, name, f'the English changed after this was translated '
                                                               f'(English now: "{_shown(value)}")'))
    return issues


def stamp_texts(content_dirs=(), lang: str = "es", only=()) -> dict[Path, str]:
    """The new stamps file of each translation folder: the user's folders, or the bundled
    content when none is given; ``only`` (translated files) limits which files are stamped."""
    library = load_library(tuple(content_dirs), lang)
    english = english_fields(load_library(tuple(content_dirs)))
    mine = library.folders[:-1] or library.folders[-1:]
    wanted = {Path(p).expanduser().resolve() for p in only}
    roots = {root: files for root, files in _translated_files(library).items() if root.parent in mine}
    known = {path for files in roots.values() for path, _ in files}
    strays = sorted(wanted - known)
    if strays:
        raise RequestError(f'"{strays[0]}" is not a {language_name(lang)} translation in '
                           f'{", ".join(str(f / lang) for f in mine)}', "file")
    out = {}
    for root, files in roots.items():
        stamps = read_stamps(root / STAMP_FILE)
        for path, rel in files:
            if not wanted or path in wanted:
                stamps[rel] = {name: digest(value) for name, value in sorted(english.get(rel, {}).items())}
        body = yaml.safe_dump(dict(sorted(stamps.items())), allow_unicode=True, sort_keys=False, width=100)
        out[root / STAMP_FILE] = HEADER.format(digits=DIGITS, lang=lang) + body
    return out
