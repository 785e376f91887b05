"""A patient's plan on disk: the whole resolved request as readable YAML, to build again.

``save_plan`` writes every exercise with its full dose and note (the program's and the
exercise's defaults filled in), so next visit's build does not depend on today's library
defaults; ``load_plan`` reads one back, checked like content (``file:line: field: ...``).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import yaml

from ..errors import ContentError, Issue, OutputError
from .library import load_library
from .plan import resolve_handout
from .request import DEFAULT_CLINIC, Clinic, ExercisePick, HandoutRequest, load_clinic
from .validate import validate
from .yamlfile import load_yaml_file

HEADER = "# A handout plan. Build it again with:  handout build --plan THIS-FILE [--date YYYY-MM-DD]\n"


class PlanFile(HandoutRequest):
    """A plan as written: like a request, but the clinic may be a profile file's path."""

    clinic: Clinic | str = DEFAULT_CLINIC


def resolved_request(request: HandoutRequest) -> HandoutRequest:
    """The request with every default it would take written in: date, clinician, article,
    pain limit, log weeks, and each exercise's full dose and note."""
    plan = resolve_handout(request, load_library(request.content_dirs, request.language))
    picks = tuple(ExercisePick(id=p.exercise.id, dose=p.dose.model_copy(update={"notes": None}), note=p.notes)
                  for p in plan.items)
    return request.model_copy(update={
        "exercises": picks, "exercise_notes": (), "date": plan.date, "clinician": plan.clinician,
        "article": plan.article_mode, "pain_limit": plan.pain_limit, "log_weeks": plan.log_weeks,
    })


def plan_yaml(request: HandoutRequest, clinic_file: str | Path | None = None) -> str:
    """The plan's text; ``clinic_file`` (the profile the clinic came from) is kept as a path."""
    resolved = resolved_request(request)
    data = resolved.model_dump(mode="json", exclude={"clinic", "exercises", "exercise_notes"}, exclude_none=True)
    data["content_dirs"] = [str(Path(d).resolve()) for d in resolved.content_dirs]
    data["template_dirs"] = [str(Path(d).resolve()) for d in resolved.template_dirs]
    if clinic_file:
        data["clinic"] = str(Path(clinic_file).resolve())
    elif resolved.clinic != DEFAULT_CLINIC:
        data["clinic"] = _clinic_fields(resolved.clinic)
    data["exercises"] = [
        {"id": p.id, "dose": p.dose.model_dump(mode="json", exclude_none=True), **({"note": p.note} if p.note else {})}
        for p in resolved.exercises
    ]
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _clinic_fields(clinic: Clinic) -> dict:
    fields = clinic.model_dump(mode="json", exclude_none=True, exclude={"base_dir"})
    if clinic.logo and clinic.base_dir and not Path(clinic.logo).is_absolute():
        fields["logo"] = str(Path(clinic.base_dir) / clinic.logo)
    return fields


def save_plan(request: HandoutRequest, path: str | Path, clinic_file: str | Path | None = None) -> Path:
    """Write the request's plan to ``path`` (atomically) and return the path."""
    path = Path(path)
    text = plan_yaml(request, clinic_file)
    try:
        kind = os.lstat(path).st_mode
    except OSError:
        kind = None  # a new file; writing says what else is wrong
    if kind is not None and not stat.S_ISREG(kind):  # a link, device, FIFO or folder is not ours to replace
        raise OutputError(f"refusing to write the plan to {path}: it is not an ordinary file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the plan ({exc.strerror or exc})") from None
    return path


def load_plan(path: str | Path) -> HandoutRequest:
    """Read a plan file back into a request; a clinic path is read relative to the plan."""
    path = Path(path)
    data, linemap = load_yaml_file(path)
    plan = validate(PlanFile, data, linemap)
    clinic = plan.clinic
    if isinstance(clinic, str):
        clinic_path = Path(clinic).expanduser()
        clinic_path = clinic_path if clinic_path.is_absolute() else path.parent / clinic_path
        if not clinic_path.is_file():
            raise ContentError([Issue(str(path), linemap.line_of(("clinic",)), "clinic",
                                      f"no clinic profile at {clinic_path}")])
        clinic = load_clinic(clinic_path)
    fields = {name: getattr(plan, name) for name in HandoutRequest.model_fields if name != "clinic"}
    return HandoutRequest(**fields, clinic=clinic)
