"""The content models: dose, exercise, program, article, safety text, clinic.

Field names are the YAML keys a clinician writes. Each model is frozen: content is loaded
once and shared by every document built in a process.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from .pose import FigureSpec

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]



def _not_a_flag(value):
    """YAML's true and false are not counts (pydantic alone would read true as 1)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    return value


def Count(low: int, high: int):  # noqa: N802 (a type, used like one)
    """A whole number from ``low`` to ``high``; true and false refused."""
    return Annotated[int, BeforeValidator(_not_a_flag), Field(ge=low, le=high)]


Side = Literal["each", "each-way", "left", "right", "both", "alternating"]
Goal = Literal["mobility", "strength", "control"]
PrecautionId = Literal["hip-replacement", "impingement", "pregnancy", "balance", "knee"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


class Dose(Frozen):
    """How much of an exercise: every field optional so overrides can be partial."""

    sets: Count(1, 20) | None = None
    reps: Count(1, 100) | None = None
    hold_seconds: Count(1, 300) | None = None
    rest_seconds: Count(1, 600) | None = None
    per_day: Count(1, 10) | None = None
    days_per_week: Count(1, 7) | None = None
    side: Side | None = None
    load: ShortText | None = None
    tempo: ShortText | None = None
    notes: Text | None = None

    def over(self, base: "Dose") -> "Dose":
        """This dose laid over ``base``: fields set here win. Both are checked doses of plain
        values, so they are merged as dicts and made into one without checking again (a
        handout's build needs neither the validator nor a serializer)."""
        merged = dict(base)
        merged.update((name, value) for name, value in self if value is not None)
        return Dose.model_construct(**merged)


NO_DOSE = Dose.model_construct()  # Dose(), made without building the validator at import


class Exercise(Frozen):
    """One exercise of the library, as written in ``content/exercises/<id>.yaml``."""

    id: Id
    code: ShortText | None = None
    name: ShortText
    short_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=24)] | None = None
    goal: Goal
    targets: list[ShortText] = Field(min_length=1)
    position: ShortText
    summary: Text
    start: Text
    steps: list[Text] = Field(min_length=3, max_length=5)
    # The step (1 = the first) that sends the patient on to the other leg ("Repeat with the
    # same leg, then switch legs."): left off a card whose dose names one leg only, or switches
    # legs each time.
    other_side_step: Annotated[int, Field(ge=1, le=5)] | None = None
    poster_steps: list[ShortText] = Field(min_length=2, max_length=4)
    poster_cues: list[ShortText] = Field(default_factory=list, max_length=2)  # a poster read from far
    cues: list[Text] = Field(default_factory=list)
    mistakes: list[Text] = Field(default_factory=list)
    easier: Text
    harder: Text
    precautions: list[PrecautionId] = Field(default_factory=list)
    stop_if: list[Text] = Field(default_factory=list)
    equipment: list[ShortText] = Field(default_factory=list)
    dose: Dose
    figure: FigureSpec | None = None
    image: ShortText | None = None
    video_url: ShortText | None = None
    sources: list[ShortText] = Field(default_factory=list)
    internal_rotation: bool = True

    @field_validator("dose")
    @classmethod
    def _dose_complete(cls, dose: Dose) -> Dose:
        if dose.reps is None and dose.hold_seconds is None:
            raise ValueError("a default dose needs reps or hold_seconds")
        return dose

    def for_side(self, side: str) -> "Exercise":
        """The exercise on a card whose dose names one leg ("left", "right") or switches legs
        each time ("alternating"): without the step that says to do all of one leg, then
        switch; for one leg, with a figure of that leg alone (no "1, then 2" footprints)."""
        steps = [text for n, text in enumerate(self.steps, start=1) if n != self.other_side_step]
        figure = self.figure
        if figure is not None and figure.working_side is not None and side in ("left", "right"):
            figure = figure.model_copy(update={"only": side})
        return self.model_copy(update={"steps": steps, "figure": figure, "other_side_step": None})

    @field_validator("other_side_step")
    @classmethod
    def _a_step(cls, step: int | None, info) -> int | None:
        steps = info.data.get("steps")
        if step is not None and steps is not None and step > len(steps):
            raise ValueError(f"there are only {len(steps)} steps")
        return step


class ProgramItem(Frozen):
    """One exercise of a program. ``easier`` and ``harder`` replace the library's when the
    program's dose makes them wrong (a band already prescribed cannot be "added")."""

    exercise: Id
    dose: Dose = NO_DOSE
    notes: Text | None = None
    easier: Text | None = None
    harder: Text | None = None


class Program(Frozen):
    """A named set of exercises with doses, as written in ``content/programs/<id>.yaml``."""

    id: Id
    title: ShortText
    audience: Text
    why: Text
    items: list[ProgramItem] = Field(min_length=1, max_length=20)
    article: Literal["full", "summary", "none"] = "full"
    log_weeks: Count(0, 12) = 2
    pain_limit: Count(0, 10) = 3
    poster_title: ShortText | None = None


class Source(Frozen):
    id: ShortText
    title: Text
    url: ShortText | None = None


class ArticleMeta(Frozen):
    """Front matter of the article."""

    title: ShortText
    summary: Text
    reviewed: ShortText
    sources: list[Source] = Field(min_length=1)

    @field_validator("reviewed", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        """``reviewed: 2026-01-05`` unquoted is a date to YAML; keep it as the text written."""
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("reviewed")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("must be a date written YYYY-MM-DD")
        return value


class Precaution(Frozen):
    title: ShortText
    text: Text
    short: ShortText


class Safety(Frozen):
    """The safety text of ``content/safety.yaml``, drawn from shared/clinical.md."""

    stop_rules: list[Text] = Field(min_length=1)
    pain_rule: Text
    red_flags: list[Text] = Field(min_length=1)
    red_flags_intro: Text
    call_flags: list[Text] = Field(min_length=1)
    call_flags_intro: Text
    precautions: dict[PrecautionId, Precaution]
    poster_note: ShortText
    log_reminder: ShortText

    @field_validator("pain_rule")
    @classmethod
    def _has_limit(cls, value: str) -> str:
        if "{limit}" not in value:
            raise ValueError("must contain {limit}, where the pain limit goes")
        return value
