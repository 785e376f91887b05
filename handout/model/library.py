"""Load content folders into a Library: every exercise, program, the article and safety text.

User folders come first; a file there replaces the bundled one with the same id. Every
problem in every file is collected and raised together, each naming file and line. A
library in another language is the English one with each folder's ``<lang>/`` translations
laid over it (``translation.py``); a missing translation is a problem like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..errors import ContentError, Issue
from ..paths import bundled
from .article import Article, load_article
from .content import Exercise, Program, Safety
from .i18n import SOURCE_LANGUAGE, catalog_path, language_name, translations
from .library_kept import kept_library
from .translation import article_issues, merge_exercise, merge_program, safety_issues
from .validate import validate
from .yamlfile import load_yaml_file

ARTICLE_FILE = Path("article") / "hip-internal-rotators.md"
SAFETY_FILE = Path("safety.yaml")


SIDES_OF_THEIR_OWN = ("left", "right", "alternating")  # doses whose card differs from "each leg"


@dataclass(frozen=True)
class Library:
    exercises: dict[str, Exercise]
    programs: dict[str, Program]
    article: Article
    safety: Safety
    exercise_files: dict[str, Path] = field(default_factory=dict)
    program_files: dict[str, Path] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()
    language: str = SOURCE_LANGUAGE
    translation_files: tuple[Path, ...] = ()  # what a translated library read besides the English
    # each exercise as done on one leg alone or switching legs each time, by (id, side)
    # (``Exercise.for_side``): made with the library, so every card of a left-leg seated swing
    # holds the same object (the render's kept blocks know exercises by identity: a copy made
    # per plan rebuilt every block of its document)
    by_side: dict[tuple[str, str], Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_side", {(ident, side): exercise.for_side(side)
                                             for ident, exercise in self.exercises.items()
                                             for side in SIDES_OF_THEIR_OWN})


def content_folders(extra: tuple[str | Path, ...] = ()) -> tuple[Path, ...]:
    """The user's folders in the order given, then the bundled content."""
    folders = [Path(p).expanduser().resolve() for p in extra]
    for folder in folders:
        if not folder.is_dir():
            raise ContentError([Issue(file=str(folder), message="content folder not found")])
    return tuple(folders) + (_bundled_content(),)


@lru_cache(maxsize=1)
def _bundled_content() -> Path:
    """The bundled content folder, resolved once per process (it is part of the install; the
    user's folders are resolved on every request, as the working folder may change)."""
    return bundled("content").resolve()


def _load_kind(folders, sub: str, model, issues: list[Issue]) -> tuple[dict, dict]:
    items, files = {}, {}
    for folder in folders:
        place = folder / sub
        if not place.is_dir():
            continue
        for path in sorted(place.glob("*.yaml")):
            try:
                data, linemap = load_yaml_file(path)
                item = validate(model, data, linemap)
            except ContentError as exc:
                issues.extend(exc.issues)
                continue
            if item.id != path.stem:
                issues.append(Issue(str(path), linemap.line_of(("id",)), "id",
                                    f"must match the file name '{path.stem}', got \"{item.id}\""))
                continue
            if item.id not in items:
                items[item.id], files[item.id] = item, path
    return items, files


def _first(folders, rel: Path) -> Path:
    for folder in folders:
        if (folder / rel).is_file():
            return folder / rel
    return folders[-1] / rel


def load_program_file(path: Path, exercises: dict[str, Exercise]) -> Program:
    """A program from a file the user names, checked against the library's exercises."""
    data, linemap = load_yaml_file(path)
    program = validate(Program, data, linemap)
    issues = _program_issues(program, path, linemap, exercises)
    if issues:
        raise ContentError(issues)
    return program


def _program_issues(program, path, linemap, exercises) -> list[Issue]:
    from .suggest import unknown_message

    issues = []
    for n, item in enumerate(program.items):
        if item.exercise not in exercises:
            line = linemap.line_of(("items", n, "exercise")) if linemap else None
            issues.append(Issue(str(path), line, f"items[{n}].exercise",
                                unknown_message("exercise", item.exercise, exercises)))
    return issues


@lru_cache(maxsize=8)
def _load(folders: tuple[Path, ...]) -> Library:
    issues: list[Issue] = []
    exercises, exercise_files = _load_kind(folders, "exercises", Exercise, issues)
    programs, program_files = _load_kind(folders, "programs", Program, issues)
    article = safety = None
    try:
        article = load_article(_first(folders, ARTICLE_FILE))
    except ContentError as exc:
        issues.extend(exc.issues)
    try:
        path = _first(folders, SAFETY_FILE)
        data, linemap = load_yaml_file(path)
        safety = validate(Safety, data, linemap)
    except ContentError as exc:
        issues.extend(exc.issues)
    for pid, program in programs.items():
        path = program_files[pid]
        _, linemap = load_yaml_file(path)
        issues.extend(_program_issues(program, path, linemap, exercises))
    if issues:
        raise ContentError(issues)
    return Library(exercises, programs, article, safety, exercise_files, program_files, folders)


def _translation(folders, lang: str, rel: Path, home: Path) -> Path:
    """The first folder's ``<lang>/<rel>``, or where it belongs: beside the English, in ``home``."""
    found = _first(folders, Path(lang) / rel)
    return found if found.is_file() else home / lang / rel


def _overlay(path: Path, english, merge, lang: str, issues: list[Issue]):
    """The English item with the translated text of ``path`` laid over it (None: not usable)."""
    if not path.is_file():
        issues.append(Issue(str(path), None, "", f"no {language_name(lang)} translation of {english[1]}"))
        return None
    try:
        data, linemap = load_yaml_file(path)
        if not isinstance(data, dict):
            return validate(type(english[0]), data, linemap)  # raises, naming the file
        if data.get("id", english[0].id) != english[0].id:
            issues.append(Issue(str(path), linemap.line_of(("id",)), "id",
                                f'must be "{english[0].id}", as in {english[1]}'))
        found: list[Issue] = []
        merged = merge(english[0], data, str(path), lang, found, linemap)
        issues.extend(found)
        return None if found else validate(type(english[0]), merged, linemap)
    except ContentError as exc:
        issues.extend(exc.issues)
        return None


@lru_cache(maxsize=8)
def _translate(folders: tuple[Path, ...], lang: str) -> Library:
    library, issues = _load(folders), []
    translations(lang)  # the catalog must load
    files = [catalog_path(lang)]
    kinds = {}
    for kind, items, paths, merge in (("exercises", library.exercises, library.exercise_files, merge_exercise),
                                      ("programs", library.programs, library.program_files, merge_program)):
        done = {}
        for ident, item in items.items():
            path = _translation(folders, lang, Path(kind) / f"{ident}.yaml", paths[ident].parent.parent)
            files.append(path)
            done[ident] = _overlay(path, (item, paths[ident]), merge, lang, issues)
        kinds[kind] = done
    article = safety = None
    meta = library.article.meta
    inherited = {"reviewed": meta.reviewed, "sources": [s.model_dump() for s in meta.sources]}
    for rel, english in ((ARTICLE_FILE, library.article.file), (SAFETY_FILE, _first(folders, SAFETY_FILE))):
        path = _translation(folders, lang, rel, Path(english).parents[len(rel.parts) - 1])
        files.append(path)
        if not path.is_file():
            issues.append(Issue(str(path), None, "", f"no {language_name(lang)} translation of {english}"))
            continue
        try:
            if rel == ARTICLE_FILE:
                article = load_article(path, inherited)
                issues.extend(article_issues(library.article, article, str(path), lang))
            else:
                data, linemap = load_yaml_file(path)
                safety = validate(Safety, data, linemap)
                issues.extend(safety_issues(library.safety, safety, str(path), lang))
        except ContentError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ContentError(issues)
    return replace(library, exercises=kinds["exercises"], programs=kinds["programs"], article=article, safety=safety,
                   language=lang, translation_files=tuple(files))


def load_library(extra: tuple[str | Path, ...] = (), language: str = SOURCE_LANGUAGE) -> Library:
    """The library from the user's folders and the bundled content, in ``language``; cached
    per process, and on disk between processes (``library_kept.py``)."""
    return _library(content_folders(tuple(extra)), language)


@lru_cache(maxsize=8)
def _library(folders: tuple[Path, ...], language: str) -> Library:
    load = (lambda: _load(folders)) if language == SOURCE_LANGUAGE else (lambda: _translate(folders, language))
    return kept_library(folders, language, (ARTICLE_FILE, SAFETY_FILE), load)
