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
from .content import NO_DOSE, Count, Dose, Frozen, Id, ShortText, Text
from .dose_spec import parse_dose
from .i18n import languages
from .validate import ShownValueError, validate
from .yamlfile import load_yaml_file

PageSize = Literal["letter", "a4"]
ArticleMode = Literal["full", "summary", "none"]
Layout = Literal["standard", "compact"]  # compact: the cards, the short safety box and a week's log on 2 pages
MAX_NAME_CHARS = 200
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_PICK = re.compile(r"^\s*([^:\s]+)\s*(?::(.*))?$", re.DOTALL)
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


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


def check_language(value: str) -> str:
    """``en``, or a language with a catalog (``i18n.languages``)."""
    known = languages()
    if value not in known:
        raise ShownValueError(f'"{str(value)[:20]}" is not a language handout has; use one of {", ".join(known)}')
    return value


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


DEFAULT_CLINIC = Clinic.model_construct()  # Clinic(), made without building the validator at import


def load_clinic(path: str | Path) -> Clinic:
    """Read a clinic profile YAML file; errors name the file and line."""
    path = Path(path)
    data, linemap = load_yaml_file(path)
    clinic = validate(Clinic, data, linemap)
    return clinic.model_copy(update={"base_dir": str(path.resolve().parent)})


class ExercisePick(Frozen):
    """One ``--exercise ID[:DOSE]`` choice, with the clinician's note for it.

    DOSE is ``2x10`` or named fields (see ``dose_spec``); fields left out keep the program's
    and then the exercise's own dose.
    """

    id: str
    dose: Dose = NO_DOSE
    note: Text | None = None

    @classmethod
    def parse(cls, text: str) -> "ExercisePick":
        match = _PICK.match(text)
        if not match:
            raise RequestError(f'"{text}" is not ID or ID:DOSE (like seated-ir:2x10)', "exercise")
        ident, dose = match.groups()
        if dose is None:
            return cls(id=ident)
        try:
            return cls(id=ident, dose=parse_dose(dose))
        except RequestError as exc:
            raise RequestError(f'"{text[:80]}": {exc.raw}', "exercise") from None


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class HandoutRequest(BaseModel):
    """Everything a user can ask of one handout; empty fields take the program's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    program: str | None = None
    exercises: tuple[ExercisePick, ...] = ()
    patient: str = ""
    patient_id: str | None = None
    clinician: str = ""
    clinic: Clinic = DEFAULT_CLINIC
    date: dt.date | None = None
    page_size: PageSize = "letter"
    large_print: bool = False
    layout: Layout = "standard"
    article: ArticleMode | None = None
    log_weeks: Count(0, 12) | None = None
    qr: Annotated[str, Field(max_length=500)] | None = None
    pain_limit: Count(0, 10) | None = None
    notes: Text | None = None
    exercise_notes: tuple[tuple[Id, Text], ...] = ()
    greyscale: bool = False
    language: str = "en"
    content_dirs: tuple[str, ...] = ()
    template_dirs: tuple[str, ...] = ()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return check_language(value)

    @field_validator("patient", "clinician")
    @classmethod
    def _names(cls, value: str) -> str:
        return clean_name(value)

    @field_validator("date")
    @classmethod
    def _date_in_range(cls, value: dt.date | None) -> dt.date | None:
        """A date a log of weeks can follow (9999-12-31 plus a week is past the calendar)."""
        if value is not None and not FIRST_DATE <= value <= LAST_DATE:
            raise ShownValueError(f"must be from {FIRST_DATE} to {LAST_DATE}, got {value}")
        return value

    @field_validator("exercises", mode="before")
    @classmethod
    def _picks(cls, value):
        return tuple(ExercisePick.parse(v) if isinstance(v, str) else v for v in value or ())

    @field_validator("exercise_notes", mode="before")
    @classmethod
    def _notes(cls, value):
        """``{"seated-ir": "Go slowly."}`` or pairs: the clinician's note for one exercise."""
        return tuple(value.items()) if isinstance(value, dict) else value

    @field_validator("qr")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value.strip()):
            raise ShownValueError(f'"{value[:60]}" is not a web address; write it like https://example.org/videos')
        return value.strip() if value else value


class PosterRequest(BaseModel):
    """A wall poster of one program."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    program: str | None = None
    exercises: tuple[ExercisePick, ...] = ()
    clinic: Clinic = DEFAULT_CLINIC
    size: str = "a1"
    landscape: bool = False
    viewing_distance_m: Annotated[float, Field(ge=0.5, le=20)] | None = None  # None: as far as the size allows
    fit: bool = False
    qr: Annotated[str, Field(max_length=500)] | None = None
    greyscale: bool = False
    language: str = "en"
    content_dirs: tuple[str, ...] = ()
    template_dirs: tuple[str, ...] = ()

    _picks = field_validator("exercises", mode="before")(HandoutRequest._picks.__func__)
    _language = field_validator("language")(HandoutRequest._language.__func__)
    _web_address = field_validator("qr")(HandoutRequest._web_address.__func__)


def make_request(kind: type[BaseModel], **fields) -> BaseModel:
    """Build a request from loose values (CLI options, a roster row), naming a bad field."""
    from pydantic import ValidationError

    from .validate import issues_from

    try:
        return kind(**fields)
    except ValidationError as exc:
        issue = issues_from(exc, None)[0]
        raise RequestError(issue.message, issue.field) from None
