"""What ``handout list``, ``handout check`` and ``handout figures`` report: the library seen
whole, checked, measured for reading level, and drawn on a review sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import HandoutError
from .paths import template_folders
from .model.library import load_library
from .model.readability import (TARGET_ARTICLE_GRADE, TARGET_ARTICLE_INFLESZ, TARGET_STEPS_GRADE,
                                TARGET_STEPS_INFLESZ, fk_grade, inflesz, inflesz_band, unexplained_terms)
from .model.request import HandoutRequest


def list_lines(what: str, content_dirs=(), template_dirs=()) -> list[str]:
    if what == "templates":
        lines = []
        for folder in template_folders(tuple(template_dirs)):
            for path in sorted(Path(folder).rglob("*.j2")):
                lines.append(f"{path.relative_to(folder)}  ({folder})")
        return lines
    library = load_library(tuple(content_dirs))
    if what == "exercises":
        return [f"{e.id:24} {e.code or '':4} {e.goal:9} {e.name}" for e in library.exercises.values()]
    return [f"{p.id:16} {len(p.items):2} exercises  {p.title}" for p in library.programs.values()]


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    @property
    def ok(self) -> bool:
        return self.problems == 0

    @property
    def summary(self) -> str:
        if self.ok:
            return "all content and templates check out"
        return f"{self.problems} problem{'s' if self.problems != 1 else ''} found"

    def add(self, line: str, problem: bool = False) -> None:
        self.lines.append(("  ! " if problem else "    ") + line)
        self.problems += problem


def _readability(report: CheckReport, label: str, text: str, target: float) -> None:
    grade = fk_grade(text)
    terms = unexplained_terms(text)
    bad = grade > target
    note = f"  unexplained: {', '.join(terms)}" if terms else ""
    report.add(f"{label:50} grade {grade:4.1f} (target {target:.0f} or below){note}", bad or bool(terms))


def _ease(report: CheckReport, label: str, text: str, target: float) -> None:
    """Spanish text: the Szigriszt-Pazos index on the INFLESZ scale, higher is easier."""
    score = inflesz(text)
    report.add(f"{label:50} INFLESZ {score:5.1f} {inflesz_band(score)} (target {target:.0f} or above)",
               score < target)


def _translation(report: CheckReport, content_dirs, language: str, strict: bool = False):
    """The library in ``language`` (None when it cannot load: each problem is reported), and its catalog."""
    from .model.i18n import catalog_issues, language_name

    for issue in catalog_issues(language):
        report.add(str(issue), True)
    try:
        library = load_library(tuple(content_dirs), language)
    except HandoutError as exc:
        for issue in getattr(exc, "issues", None) or (exc,):
            report.add(str(issue), True)
        return None
    report.lines.append(f"{language_name(language)}: every printed field is translated")
    _stale(report, content_dirs, language, strict)
    return library


def _stale(report: CheckReport, content_dirs, language: str, strict: bool) -> None:
    """Translations whose English changed since they were stamped: warnings (problems if ``strict``)."""
    from .model.stamps import stale_issues

    try:
        stale = stale_issues(content_dirs, language)
    except HandoutError as exc:
        report.add(str(exc), True)
        return
    for issue in stale:
        report.add(f"{'' if strict else 'warning: '}{issue}", strict)
    if stale:
        report.lines.append(f"    {len(stale)} translated field{'s' if len(stale) != 1 else ''} may be out of date: "
                            f"update {'them' if len(stale) != 1 else 'it'}, then run "
                            f"'handout stamp --language {language}'")
    else:
        report.lines.append("every translation is stamped with the English it was made from")


def check_all(content_dirs=(), template_dirs=(), language: str = "en", strict: bool = False) -> CheckReport:
    """Validate everything a build can touch, in ``language``; never raises for content problems.
    Translations whose English changed since they were stamped are warnings, or problems if ``strict``."""
    from .pipeline.handout import build_handout_document

    report = CheckReport()
    try:
        library = load_library(tuple(content_dirs))
    except HandoutError as exc:
        report.add(str(exc), True)
        return report
    report.lines.append(f"content: {len(library.exercises)} exercises, {len(library.programs)} programs")
    measure, article_target, steps_target = _readability, TARGET_ARTICLE_GRADE, TARGET_STEPS_GRADE
    heading = "reading level (Flesch-Kincaid grade):"
    if language != "en":
        library = _translation(report, content_dirs, language, strict)
        if library is None:
            return report
        measure, article_target, steps_target = _ease, TARGET_ARTICLE_INFLESZ, TARGET_STEPS_INFLESZ
        heading = "reading ease (Szigriszt-Pazos, INFLESZ scale; syllables counted for Spanish):"
    report.lines.append(heading)
    for section in library.article.sections:
        measure(report, f"article: {section.title}", section.text, article_target)
    measure(report, "article: summary", library.article.meta.summary, article_target)
    for exercise in library.exercises.values():
        measure(report, f"{exercise.id}: steps", " ".join(exercise.steps), steps_target)
    report.lines.append("templates and figures (a test build of every program):")
    for pid in library.programs:
        for large in (False, True):
            request = HandoutRequest(program=pid, patient="Check", large_print=large, article="full",
                                     language=language, content_dirs=tuple(content_dirs),
                                     template_dirs=tuple(template_dirs))
            label = f"{pid}{' (large print)' if large else ''}"
            try:
                built = build_handout_document(request)
                report.add(f"{label:50} {built.record.pages} pages")
            except HandoutError as exc:
                report.add(f"{label}: {exc}", True)
    return report


def review_sheet(content_dirs=(), page_size: str = "letter", greyscale: bool = False) -> bytes:
    """Every exercise's figure with its name, for a clinician to review."""
    from .figures import FigureStyle
    from .render.review import build_review_sheet
    from .render.theme import PAGE_SIZES

    library = load_library(tuple(content_dirs))
    style = FigureStyle.from_brand("#1F6F8B", greyscale=greyscale)
    exercises = [(e, library.exercise_files[e.id].parent) for e in library.exercises.values()]
    return build_review_sheet(exercises, page_size=PAGE_SIZES[page_size], style=style)
