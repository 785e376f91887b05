"""Clinic defaults kept once: the user's settings file, read by the command line only.

The file lives in the platform's user config folder (``platformdirs``), or wherever
``HANDOUT_CONFIG`` names (``settings_path.py``: a command without a settings file loads no
model from here). It holds a clinic profile path and the defaults a clinic wants on every
build; options given on the command line win. The API never reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from .content import Count, Frozen, ShortText
from .request import PageSize, check_language
from .settings_path import ENV, FILE_NAME, settings_path
from .validate import validate
from .yamlfile import load_yaml_file

__all__ = ["ENV", "FILE_NAME", "Settings", "settings_path", "load_settings", "settings_text", "clinic_text"]


class Settings(Frozen):
    """What ``settings.yaml`` may set; every field optional. Paths are relative to the file."""

    clinic: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    clinician: ShortText | None = None
    page_size: PageSize | None = None
    large_print: bool | None = None
    log_weeks: Count(0, 12) | None = None
    pain_limit: Count(0, 10) | None = None
    output_folder: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    language: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return value if value is None else check_language(value)


def load_settings(path: Path) -> Settings:
    """The settings in ``path`` (none if it does not exist), with paths made absolute."""
    if not path.is_file():
        return Settings()
    data, linemap = load_yaml_file(path)
    settings = validate(Settings, {} if data is None else data, linemap)
    resolved = {name: str(path.parent / Path(getattr(settings, name)).expanduser())
                for name in ("clinic", "output_folder") if getattr(settings, name)}
    return settings.model_copy(update=resolved)


def settings_text(clinic_file: str, clinician: str | None, page_size: str, large_print: bool,
                  output_folder: str | None) -> str:
    """A settings file to start from, each field explained."""
    lines = [
        "# handout settings: defaults for every command. Options on the command line win.",
        "# Paths are relative to this file. Fields: clinic, clinician, page_size (letter|a4),",
        "# large_print, log_weeks (0-12), pain_limit (0-10), output_folder, language (en|es).",
        f"clinic: {clinic_file}",
        f"page_size: {page_size}",
        f"large_print: {'true' if large_print else 'false'}",
    ]
    if clinician:
        lines.append(f"clinician: {_quoted(clinician)}")
    if output_folder:
        lines.append(f"output_folder: {_quoted(output_folder)}")
    return "\n".join(lines) + "\n"


def clinic_text(name: str, phone: str | None, address: str | None, email: str | None, website: str | None,
                clinician: str | None) -> str:
    """A clinic profile (the fields of ``Clinic``), to copy and fill in."""
    fields = {"name": name, "clinician": clinician, "phone": phone, "address": address, "email": email,
              "website": website}
    lines = ["# Clinic profile: printed on every handout and poster.",
             "# Fields: name, clinician, phone, address, email, website, brand_color (#RRGGBB), logo (a file)."]
    lines += [f"{k}: {_quoted(v)}" for k, v in fields.items() if v]
    lines.append('brand_color: "#1F6F8B"')
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
