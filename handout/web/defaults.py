"""What every page starts from: the user's settings file (the clinic profile and defaults that
every command reads) and the folders ``handout serve`` was given. An empty box on a form
takes these, as an option left off the command line does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.request import Clinic, load_clinic
from ..model.settings import Settings, load_settings, settings_path


@dataclass(frozen=True)
class Defaults:
    clinic: Clinic = Clinic()
    clinic_file: str | None = None
    clinician: str | None = None
    page_size: str = "letter"
    large_print: bool = False
    layout: str = "standard"
    log_weeks: int | None = None
    pain_limit: int | None = None
    content_dirs: tuple[str, ...] = ()
    template_dirs: tuple[str, ...] = ()
    settings_file: str = ""

    @classmethod
    def from_settings(cls, settings: Settings, path: Path | str = "", content_dirs=(), template_dirs=()) -> "Defaults":
        clinic = load_clinic(settings.clinic) if settings.clinic else Clinic()
        return cls(clinic=clinic, clinic_file=settings.clinic, clinician=settings.clinician,
                   page_size=settings.page_size or "letter", large_print=bool(settings.large_print),
                   log_weeks=settings.log_weeks, pain_limit=settings.pain_limit,
                   content_dirs=tuple(str(Path(d).expanduser().resolve()) for d in content_dirs),
                   template_dirs=tuple(str(Path(d).expanduser().resolve()) for d in template_dirs),
                   settings_file=str(path))


def user_defaults(content_dirs=(), template_dirs=()) -> Defaults:
    """The defaults from the user's settings file (``HANDOUT_CONFIG`` or the config folder)."""
    path = settings_path()
    return Defaults.from_settings(load_settings(path), path if path.is_file() else "", content_dirs, template_dirs)
