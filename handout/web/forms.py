"""The handout page's form, as JSON, into the very ``HandoutRequest`` the command line builds.

The page shows every exercise with its full dose filled in; only what the clinician changed
goes into the request, written as ``--exercise ID:DOSE`` text and ``--note ID=TEXT`` pairs,
so the request (and the PDF) is the one ``handout build`` makes from the command shown
beside it. Each field is checked on its own, so every bad field gets its message (the API's,
the same one the CLI prints after the option name) beside it.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, field

from ..errors import RequestError
from ..model.content import Dose, ProgramItem
from ..model.dose_spec import FIELDS as DOSE_WORDS
from ..model.dose_spec import parse_dose
from ..model.library import Library
from ..model.request import ExercisePick, HandoutRequest, make_request
from ..model.suggest import unknown_message
from .defaults import Defaults

# Top-level fields of the form, and the option each one is on the command line.
TEXT_FIELDS = ("patient", "clinician", "date", "page_size", "layout", "article", "log_weeks", "pain_limit",
               "notes", "qr")
FLAG_FIELDS = ("large_print", "greyscale")
MAX_ROWS = 20  # a program holds at most 20 items


@dataclass
class FormResult:
    """A request, or the messages that stop it, keyed by the form field they belong to
    (``patient``, ``exercise.3.reps``, ``exercise.3.note``, ``program``, ``form``)."""

    request: HandoutRequest | None = None
    errors: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)


def base_item(library: Library, program_id: str | None, exercise_id: str) -> ProgramItem:
    """What the program says of an exercise (an empty item when it does not name it)."""
    program = library.programs.get(program_id or "")
    own = next((i for i in (program.items if program else ()) if i.exercise == exercise_id), None)
    return own or ProgramItem(exercise=exercise_id)


def dose_values(dose: Dose) -> dict[str, str]:
    """A dose as the form's text boxes hold it, keyed by the DOSE words (``per-day``...)."""
    return {word: "" if getattr(dose, name) is None else str(getattr(dose, name)) for word, name in DOSE_WORDS.items()}


def exercise_row(library: Library, program_id: str | None, exercise_id: str) -> dict:
    """One row of the form as the page first shows it: the dose it would print and the note."""
    exercise = library.exercises[exercise_id]
    item = base_item(library, program_id, exercise_id)
    return {"id": exercise_id, "name": exercise.name, "code": exercise.code or "",
            **dose_values(item.dose.over(exercise.dose)), "note": item.notes or ""}


def program_rows(library: Library, program_id: str) -> list[dict]:
    """The program's exercises as form rows."""
    return [exercise_row(library, program_id, item.exercise) for item in library.programs[program_id].items]


def _quoted(word: str, value: str) -> str:
    if "," not in value and '"' not in value and "'" not in value and value == value.strip():
        return f"{word}={value}"
    if '"' not in value:
        return f'{word}="{value}"'
    if "'" not in value:
        return f"{word}='{value}'"
    raise RequestError(f"{word} may hold ' or \", not both", word)


def _changed_dose(library: Library, program_id: str | None, row: dict) -> list[str]:
    """The DOSE parts the clinician changed from what the row first showed."""
    ident = row["id"]
    base = dose_values(base_item(library, program_id, ident).dose.over(library.exercises[ident].dose))
    parts = []
    for word in DOSE_WORDS:
        typed = str(row.get(word) or "").strip()
        if typed and typed != base[word]:
            parts.append(_quoted(word, typed))
    return parts


def _text(state: dict, name: str) -> str:
    value = state.get(name)
    return "" if value is None else str(value).strip()


def _checked(name: str, value, errors: dict[str, str]):
    """``value`` for field ``name``, checked by the request model alone; None and a message if bad."""
    try:
        make_request(HandoutRequest, **{name: value})
        return value
    except RequestError as exc:
        errors[name] = exc.raw
        return None


def _date(text: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors["date"] = f'"{text}" is not a real date written YYYY-MM-DD'  # the CLI's words
        return None


def _top_fields(state: dict, defaults: Defaults, errors: dict[str, str]) -> dict:
    """The request's own fields from the form; an empty box takes the settings' default, as
    an option left off the command line does."""
    fields: dict = {}
    for name in TEXT_FIELDS:
        text = _text(state, name)
        if name == "date":
            fields["date"] = _date(text, errors) if text else None
        elif name in ("page_size", "layout"):
            fields[name] = (text or getattr(defaults, name)).lower()
        elif name in ("patient", "clinician"):
            fields[name] = text
        else:
            fields[name] = text or getattr(defaults, name, None)
        fields[name] = _checked(name, fields[name], errors) if name not in errors else None
    for name in FLAG_FIELDS:
        fields[name] = bool(state.get(name))
    return fields


def _rows(state: dict, library: Library, program_id: str | None, errors: dict[str, str]):
    """(exercise picks as DOSE text, notes, whether the program's list changed) from the rows."""
    rows = state.get("exercises") or []
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        errors["exercises"] = f"a handout holds at most {MAX_ROWS} exercises"
        return [], [], False
    picks, notes, seen, changed = [], [], set(), False
    for n, row in enumerate(rows):
        ident = str((row or {}).get("id", "")) if isinstance(row, dict) else ""
        if ident not in library.exercises:
            errors[f"exercise.{n}"] = unknown_message("exercise", ident[:60], library.exercises)
            continue
        if ident in seen:
            errors[f"exercise.{n}"] = f"{library.exercises[ident].name} is on the list twice"
            continue
        seen.add(ident)
        try:
            parts = _changed_dose(library, program_id, row)
        except RequestError as exc:
            errors[f"exercise.{n}.{exc.field}"] = exc.raw
            continue
        pick = f"{ident}:{','.join(parts)}" if parts else ident
        try:
            ExercisePick.parse(pick)
        except RequestError as exc:
            errors[_dose_field(n, parts)] = exc.raw
        changed |= bool(parts)
        picks.append(pick)
        note = str(row.get("note") or "").strip()
        if note and note != (base_item(library, program_id, ident).notes or ""):
            try:
                make_request(HandoutRequest, exercise_notes=((ident, note),))
                notes.append((ident, note))
            except RequestError as exc:
                errors[f"exercise.{n}.note"] = f"note {exc.raw}"
    program = library.programs.get(program_id or "")
    listed = [p.partition(":")[0] for p in picks]
    changed |= program is None or listed != [i.exercise for i in program.items]
    return picks, notes, changed


def _dose_field(n: int, parts: list[str]) -> str:
    """The form field of row ``n`` whose DOSE part is bad (the row when none is alone)."""
    for part in parts:
        try:
            parse_dose(part)
        except RequestError:
            return f"exercise.{n}.{part.partition('=')[0]}"
    return f"exercise.{n}"


def read_form(state: dict, library: Library, defaults: Defaults) -> FormResult:
    """The form's JSON into a request (and the command that makes the same one), or messages."""
    result = FormResult()
    errors = result.errors
    program_id = _text(state, "program") or None
    if program_id and program_id not in library.programs:
        errors["program"] = unknown_message("program", program_id[:60], library.programs)
    fields = _top_fields(state, defaults, errors)
    picks, notes, changed = _rows(state, library, program_id, errors)
    if not program_id and not picks and not errors:
        errors["program"] = "give a program (--program) or at least one exercise (--exercise)"
    if errors:
        return result
    request_fields = {**fields, "program": program_id, "exercises": tuple(picks) if changed else (),
                      "exercise_notes": tuple(notes)}
    try:
        result.request = make_request(HandoutRequest, clinic=defaults.clinic, content_dirs=defaults.content_dirs,
                                      template_dirs=defaults.template_dirs, **request_fields)
    except RequestError as exc:
        errors[exc.field or "form"] = exc.raw
        return result
    result.command = build_command(request_fields, defaults)
    return result


def build_command(fields: dict, defaults: Defaults) -> list[str]:
    """The ``handout build`` arguments that make the same request (settings give the rest)."""
    args = ["handout", "build"]
    if fields["program"]:
        args += ["--program", fields["program"]]
    for pick in fields["exercises"]:
        args += ["--exercise", pick]
    for ident, note in fields["exercise_notes"]:
        args += ["--note", f"{ident}={note}"]
    if fields["patient"]:
        args += ["--patient", fields["patient"]]
    if fields["clinician"] != (defaults.clinician or ""):
        args += ["--clinician", fields["clinician"]]
    if fields["date"]:
        args += ["--date", fields["date"].isoformat()]
    if fields["page_size"] != defaults.page_size:
        args += ["--page-size", fields["page_size"]]
    if fields["large_print"] != defaults.large_print:
        args.append("--large-print" if fields["large_print"] else "--regular-print")
    if fields["layout"] != "standard":
        args += ["--layout", fields["layout"]]
    for name, option in (("article", "--article"), ("log_weeks", "--log-weeks"), ("pain_limit", "--pain-limit"),
                         ("notes", "--notes"), ("qr", "--qr")):
        default = getattr(defaults, name, None)
        if fields[name] is not None and str(fields[name]) != ("" if default is None else str(default)):
            args += [option, str(fields[name])]
    if fields["greyscale"]:
        args.append("--greyscale")
    for folder in defaults.content_dirs:
        args += ["--content", folder]
    for folder in defaults.template_dirs:
        args += ["--templates", folder]
    return args


def command_text(args: list[str]) -> str:
    return shlex.join(args)


def form_state(request: HandoutRequest, library: Library) -> dict:
    """A request (an opened plan) as the form's JSON: every exercise with its dose and note."""
    from ..model.planfile import resolved_request

    resolved = resolved_request(request)
    rows = []
    for pick in resolved.exercises:
        row = exercise_row(library, resolved.program, pick.id)
        rows.append({**row, **dose_values(pick.dose), "note": pick.note or ""})
    return {
        "program": resolved.program if resolved.program in library.programs else "",
        "exercises": rows,
        **{name: "" if getattr(resolved, name) is None else str(getattr(resolved, name)) for name in TEXT_FIELDS},
        **{name: bool(getattr(resolved, name)) for name in FLAG_FIELDS},
    }
