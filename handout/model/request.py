"""What a user asks for: a clinic profile, a patient, and a handout or poster request.

Requests are plain, picklable values, so a batch can send them to worker processes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import RequestError
from .content import Count, Dose, Frozen, ShortText, Text
from .validate import ShownValueError, validate
from .yamlfile import load_yaml_file

PageSize = Literal["letter", "a4"]
ArticleMode = Literal["full", "summary", "none"]
MAX_NAME_CHARS = 200
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_PICK = re.compile(r"^\s*([^:\s]+)\s*(?::\s*(\d+)\s*[xX×]\s*(\d+)\s*)?$")


# Characters a name may not hold: they print as nothing (zero-width spaces, joiners, soft
# hyphens, byte-order marks), reorder what a reader sees (right-to-left overrides), break
# lines, or are not text at all (surrogates from undecodable bytes). Each gets a reason.
_REFUSED = {
    "Cc": ("a control character", "remove it"),
    "Cf": ("an invisible formatting character", "remove it"),
    "Cs": ("bytes that are not valid text", "check the encoding of the file or terminal"),
    "Zl": ("a line break", "remove it"),
    "Zp": ("a paragraph break", "remove it"),
}


def clean_name(value: str, field: str = "name") -> str:
    """Normalise a person's name to NFC; refuse invisible and control characters and over-long names.

    What is left prints exactly as typed, or fails later with UnsupportedCharacterError if
    the bundled font cannot draw it.
    """
    value = unicodedata.normalize("NFC", value.strip())
    if len(value) > MAX_NAME_CHARS:
        raise ShownValueError(f"is too long ({len(value)} characters; at most {MAX_NAME_CHARS})")
    for char in value:
        refused = _REFUSED.get(unicodedata.category(char))
        if refused:
            label = unicodedata.name(char, "")
            raise ShownValueError(f"contains {refused[0]}, U+{ord(char):04X}{' ' + label if label else ''}; "
                                  f"{refused[1]}")
    return value


class Clinic(Frozen):
    """A clinic's branding, as in ``content/clinic.example.yaml``."""

    name: ShortText = "Your clinic"
    phone: ShortText | None = None
    address: ShortText | None = None
    email: ShortText | None = None
    website: ShortText | None = None
    brand_color: str = "#1F6F8B"
    clinician: ShortText | None = None
    logo: ShortText | None = None
    base_dir: str | None = Field(default=None, exclude=True)

    model_config = ConfigDict(coerce_numbers_to_str=True)  # phone: 5550199 is a phone number, not an error

    @field_validator("brand_color")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError("must be a colour written like #1F6F8B")
        return value.upper()

    @field_validator("name", "clinician", "phone", "address", "email", "website")
    @classmethod
    def _name(cls, value):
        return clean_name(value) if value else value


def load_clinic(path: str | Path) -> Clinic:
    """Read a clinic profile YAML file; errors name the file and line."""
    path = Path(path)
    data, linemap = load_yaml_file(path)
    clinic = validate(Clinic, data, linemap)
    return clinic.model_copy(update={"base_dir": str(path.resolve().parent)})


class ExercisePick(Frozen):
    """One ``--exercise ID[:SETSxREPS]`` choice."""

    id: str
    dose: Dose = Dose()

    @classmethod
    def parse(cls, text: str) -> "ExercisePick":
        match = _PICK.match(text)
        if not match:
            raise RequestError(f'"{text}" is not ID or ID:SETSxREPS (like seated-ir:2x10)', "exercise")
        ident, sets, reps = match.groups()
        if sets is None:
            return cls(id=ident)
        sets_n, reps_n = (int(n) if len(n) <= 6 else 10**6 for n in (sets, reps))  # no 5,000-digit ints
        if not 1 <= sets_n <= 20 or not 1 <= reps_n <= 100:
            raise RequestError(f'"{text}": sets must be 1-20 and reps 1-100', "exercise")
        return cls(id=ident, dose=Dose(sets=sets_n, reps=reps_n))


class HandoutRequest(BaseModel):
    """Everything a user can ask of one handout; empty fields take the program's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str | None = None
    exercises: tuple[ExercisePick, ...] = ()
    patient: str = ""
    patient_id: str | None = None
    clinician: str = ""
    clinic: Clinic = Clinic()
    date: dt.date | None = None
    page_size: PageSize = "letter"
    large_print: bool = False
    article: ArticleMode | None = None
    log_weeks: Count(0, 12) | None = None
    qr: Annotated[str, Field(max_length=500)] | None = None
    pain_limit: Count(0, 10) | None = None
    notes: Text | None = None
    greyscale: bool = False
    content_dirs: tuple[str, ...] = ()
    template_dirs: tuple[str, ...] = ()

    @field_validator("patient", "clinician")
    @classmethod
    def _names(cls, value: str) -> str:
        return clean_name(value)

    @field_validator("exercises", mode="before")
    @classmethod
    def _picks(cls, value):
        return tuple(ExercisePick.parse(v) if isinstance(v, str) else v for v in value or ())


class PosterRequest(BaseModel):
    """A wall poster of one program."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str | None = None
    exercises: tuple[ExercisePick, ...] = ()
    clinic: Clinic = Clinic()
    size: str = "a1"
    landscape: bool = False
    viewing_distance_m: Annotated[float, Field(ge=0.5, le=20)] = 2.0
    fit: bool = False
    qr: Annotated[str, Field(max_length=500)] | None = None
    greyscale: bool = False
    content_dirs: tuple[str, ...] = ()
    template_dirs: tuple[str, ...] = ()

    _picks = field_validator("exercises", mode="before")(HandoutRequest._picks.__func__)


def make_request(kind: type[BaseModel], **fields) -> BaseModel:
    """Build a request from loose values (CLI options, a roster row), naming a bad field."""
    from pydantic import ValidationError

    from .validate import issues_from

    try:
        return kind(**fields)
    except ValidationError as exc:
        issue = issues_from(exc, None)[0]
        raise RequestError(issue.message, issue.field) from None
