"""Resolve a request against the library into a Plan: everything a page needs, no I/O after.

A Plan is immutable. Templates see it only through ``Plan.context()``: plain dicts, lists
and strings, so a sandboxed template cannot reach model internals.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import RequestError
from .article import Article
from .content import Dose, Exercise, Precaution, Program, ProgramItem
from .dose_text import dose_parts, dose_text
from .i18n import format_date, log_day, translations
from .library import SIDES_OF_THEIR_OWN, Library, load_program_file
from .request import Clinic, HandoutRequest, PosterRequest
from .suggest import unknown_message

PRECAUTION_ORDER = ("hip-replacement", "impingement", "pregnancy", "balance", "knee")


@dataclass(frozen=True)
class PlannedExercise:
    """One card: ``notes`` are the clinician's or the program's; ``tip`` is the library's own
    note, kept only while the dose is the library's (it was written about that dose)."""

    number: int
    exercise: Exercise
    dose: Dose
    dose_text: str
    notes: str | None
    base_dir: Path
    tip: str | None = None
    easier: str = ""
    harder: str = ""


@dataclass(frozen=True)
class Plan:
    kind: str
    title: str
    program_id: str
    audience: str
    why: str
    patient: str
    patient_id: str | None
    clinician: str
    date: dt.date
    clinic: Clinic
    page_size: str
    large_print: bool
    article_mode: str
    article: Article
    items: tuple[PlannedExercise, ...]
    precautions: tuple[tuple[str, Precaution], ...]
    safety: object
    pain_limit: int
    log_weeks: int
    qr: str | None
    notes: str | None
    greyscale: bool
    template_dirs: tuple[str, ...]
    poster_title: str = ""
    layout: str = "standard"
    language: str = "en"

    @property
    def date_text(self) -> str:
        return format_date(self.date, self.language)

    def without_frequency(self) -> tuple[PlannedExercise, ...]:
        """The cards whose dose says how many but not how often: clinical.md leaves frequency
        to the clinician, so it is never guessed, and readers of such a card asked "how many
        times a day?"."""
        return tuple(p for p in self.items if not (p.dose.per_day or p.dose.days_per_week))

    def context(self) -> dict:
        """The template context: plain values only."""
        safety = self.safety
        return {
            "kind": self.kind,
            "language": self.language,
            "title": self.title,
            "poster_title": self.poster_title or self.title,
            "program": {"id": self.program_id, "audience": self.audience, "why": self.why},
            "patient": self.patient,
            "clinician": self.clinician,
            "date": self.date_text,
            # the clinic's fields are text: dict() gives model_dump() without building a serializer
            "clinic": {**{name: value for name, value in self.clinic if name != "base_dir"},
                       "named": "name" in self.clinic.model_fields_set},
            "page_size": self.page_size,
            "large_print": self.large_print,
            "layout": self.layout,
            "article": {
                "mode": self.article_mode,
                "title": self.article.meta.title,
                "summary": self.article.summary_markup,
                "reviewed": self.article.meta.reviewed,
                "reviewed_text": format_date(dt.date.fromisoformat(self.article.meta.reviewed), self.language),
                "sections": [{"title": s.title, "markup": s.markup} for s in self.article.sections],
            },
            "exercises": [_item_context(p, self.language) for p in self.items],
            "safety": {
                "stop_rules": [r.replace("{limit}", str(self.pain_limit)) for r in safety.stop_rules],
                "pain_rule": safety.pain_rule.replace("{limit}", str(self.pain_limit)),
                "red_flags_intro": safety.red_flags_intro,
                "red_flags": list(safety.red_flags),
                "call_flags_intro": safety.call_flags_intro,
                "call_flags": list(safety.call_flags),
                "precautions": [_precaution_context(pid, p, self.items) for pid, p in self.precautions],
                "poster_note": safety.poster_note,
                "log_reminder": safety.log_reminder,
            },
            "pain_limit": self.pain_limit,
            "log": {"weeks": self.log_weeks, "days": _log_days(self.date, self.log_weeks, self.language)},
            "qr": self.qr,
            "notes": self.notes,
        }


def _item_context(p: PlannedExercise, language: str) -> dict:
    e = p.exercise
    standing = stands_on_working_leg(e)
    return {
        "number": p.number,
        "id": e.id,
        "name": e.name,
        "short_name": e.short_name or e.name,
        "goal": e.goal,
        "summary": e.summary,
        "start": e.start,
        "steps": list(e.steps),
        "poster_steps": list(e.poster_steps),
        "poster_cues": list(e.poster_cues or e.poster_steps[:2]),
        "cues": list(e.cues),
        "cue": e.cues[0] if e.cues else "",
        "mistakes": list(e.mistakes),
        "watch_out": run_on(e.mistakes[:2]),
        "watch_out_one": run_on(e.mistakes[:1]),
        "easier": p.easier or e.easier,
        "harder": p.harder or e.harder,
        "equipment": list(e.equipment),
        "stop_if": list(e.stop_if),
        "stop_text": run_on(e.stop_if),
        "dose": p.dose_text,
        "dose_parts": dose_parts(p.dose, language, standing),
        "figure": figure_key(e),  # what <exercise figure=...> names: the id, or id@left for one leg
        "stands_on_working_leg": standing,  # its side says "standing on your left leg"
        "side": p.dose.side or "",  # the same in every language (each, left, ...): for template logic
        "position": e.position,  # an English key, never printed (seated, standing, lying face down, ...)
        "notes": p.notes,
        "tip": p.tip,
    }


def run_on(items) -> str:
    """Short items as one line that follows a label: "letting your knee slide; leaning."."""
    parts = []
    for text in items:
        text = text.strip().rstrip(".")
        parts.append(text[:1].lower() + text[1:])
    return "; ".join(parts) + ("." if parts else "")


def _precaution_context(pid: str, precaution: Precaution, items) -> dict:
    """A precaution with the chosen exercises it belongs to, by number and name (its fields
    are text, so ``dict()`` gives its ``model_dump()`` without building a serializer)."""
    named = [{"number": p.number, "name": p.exercise.name, "short_name": p.exercise.short_name or p.exercise.name}
             for p in items if pid in p.exercise.precautions]
    return {"id": pid, **dict(precaution), "exercises": named, "all": len(named) == len(items)}


def _log_days(start: dt.date, weeks: int, language: str) -> list[list[str]]:
    return [[log_day(start + dt.timedelta(days=7 * w + d), language) for d in range(7)] for w in range(weeks)]


def default_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def find_program(ref: str | None, library: Library) -> Program | None:
    """A program by id, or from a YAML file path."""
    if ref is None:
        return None
    if ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref:
        if not Path(ref).exists():  # a path given on the command line or a row, not content: bad usage
            raise RequestError(f'"{ref}": no such program file', "program")
        return load_program_file(Path(ref), library.exercises)
    if ref not in library.programs:
        raise RequestError(unknown_message("program", ref, library.programs), "program")
    return library.programs[ref]


def choose_items(request, program: Program | None, library: Library) -> list[tuple[ProgramItem, Path]]:
    """The program's items, or the hand-picked exercises replacing them (each keeps what the
    program says of it where the pick does not say otherwise); then the clinician's notes."""
    if request.exercises:
        items = []
        for pick in request.exercises:
            if pick.id not in library.exercises:
                raise RequestError(unknown_message("exercise", pick.id, library.exercises), "exercise")
            own = next((i for i in (program.items if program else ()) if i.exercise == pick.id), None)
            own = own or ProgramItem(exercise=pick.id)
            items.append(own.model_copy(update={"dose": pick.dose.over(own.dose), "notes": pick.note or own.notes}))
    elif program is not None:
        items = list(program.items)
    else:
        raise RequestError("give a program (--program) or at least one exercise (--exercise)", "program")
    for ident, note in getattr(request, "exercise_notes", ()):
        if ident not in {i.exercise for i in items}:
            raise RequestError(f'"{ident}" is not one of this handout\'s exercises '
                               f'({", ".join(i.exercise for i in items)})', "note")
        items = [i.model_copy(update={"notes": note}) if i.exercise == ident else i for i in items]
    return [(item, library.exercise_files[item.exercise].parent) for item in items]


def plan_items(chosen, library: Library, language: str = "en") -> tuple[PlannedExercise, ...]:
    planned = []
    for n, (item, base_dir) in enumerate(chosen, start=1):
        exercise = library.exercises[item.exercise]
        dose = item.dose.over(exercise.dose)
        if dose.side in SIDES_OF_THEIR_OWN:  # one leg only, or switching each time: whoever chose it
            exercise = library.by_side[exercise.id, dose.side]
        amount = ("sets", "reps", "hold_seconds", "side")  # the library's tip says "on each leg"
        as_library = all(getattr(dose, f) == getattr(exercise.dose, f) for f in amount)
        tip = exercise.dose.notes if as_library and not item.dose.notes else None
        planned.append(PlannedExercise(n, exercise, dose, dose_text(dose, language, stands_on_working_leg(exercise)),
                                       item.notes or item.dose.notes,
                                       base_dir, tip, item.easier or "", item.harder or ""))
    return tuple(planned)


def stands_on_working_leg(exercise: Exercise) -> bool:
    """Whether the working leg is the one stood on (the hip airplane), where "left leg only" left
    two readers asking whether to stand on it or lift it."""
    return exercise.figure is not None and exercise.figure.turns_over_standing_leg


def figure_key(exercise: Exercise) -> str:
    """The name a card's figure goes by: the exercise id, and the leg of a one-leg figure (two
    cards of one exercise, for the left and the right leg, have two figures)."""
    only = exercise.figure.only if exercise.figure is not None else None
    return f"{exercise.id}@{only}" if only else exercise.id


def precautions_for(items, library: Library) -> tuple[tuple[str, Precaution], ...]:
    """(id, text) of the hip-replacement warning always, then of those the chosen exercises name."""
    wanted = {"hip-replacement"} | {p for i in items for p in i.exercise.precautions}
    table = library.safety.precautions
    return tuple((p, table[p]) for p in PRECAUTION_ORDER if p in wanted and p in table)


def resolve_handout(request: HandoutRequest, library: Library) -> Plan:
    """The request and the library, joined into one Plan."""
    program = find_program(request.program, library)
    return _plan(
        "handout", request, program, library,
        patient=request.patient,
        patient_id=request.patient_id,
        clinician=request.clinician or request.clinic.clinician or "",
        date=request.date or default_date(),
        page_size=request.page_size,
        large_print=request.large_print,
        article_mode=request.article or (program.article if program else "summary"),
        pain_limit=request.pain_limit if request.pain_limit is not None else (program.pain_limit if program else 3),
        log_weeks=request.log_weeks if request.log_weeks is not None else (program.log_weeks if program else 2),
        notes=request.notes,
        layout=request.layout,
    )


def resolve_poster(request: PosterRequest, library: Library) -> Plan:
    """A poster's Plan: the program's exercises and safety for everyone, no patient or notes
    (the fields a poster does not print keep the handout's defaults)."""
    program = find_program(request.program, library)
    return _plan(
        "poster", request, program, library,
        patient="",
        patient_id=None,
        clinician=request.clinic.clinician or "",
        date=default_date(),
        page_size="letter",
        large_print=False,
        article_mode=program.article if program else "summary",
        pain_limit=program.pain_limit if program else 3,
        log_weeks=program.log_weeks if program else 2,
        notes=None,
    )


def _plan(kind: str, request: HandoutRequest | PosterRequest, program: Program | None, library: Library,
          **fields) -> Plan:
    """What every document of a program shares: its exercises, doses, safety and clinic."""
    if library.language != request.language:
        raise RequestError(f'the library given is in "{library.language}", the request asks for '
                           f'"{request.language}"', "language")
    items = plan_items(choose_items(request, program, library), library, request.language)
    return Plan(
        kind=kind,
        title=program.title if program else translations(request.language).gettext("Your hip exercises"),
        program_id=program.id if program else "custom",
        audience=program.audience if program else "",
        why=program.why if program else "",
        clinic=request.clinic,
        article=library.article,
        items=items,
        precautions=precautions_for(items, library),
        safety=library.safety,
        qr=request.qr,
        greyscale=request.greyscale,
        template_dirs=request.template_dirs,
        poster_title=(program.poster_title or "") if program else "",
        language=request.language,
        **fields,
    )
