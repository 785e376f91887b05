"""One unit of batch work (a row number, what to build, the file it goes to) and its outcome.

A ``Job`` is a plain, picklable value: the parent sends it to a worker process (or a Dask
worker); the worker writes a temporary file (or sends back bytes), and only the parent puts
files in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import Literal

from ..model.plan import default_date
from ..model.request import HandoutRequest, PosterRequest
from .files import slug
from .staging import Place

Kind = Literal["handout", "poster"]

# Greek and Cyrillic letters in Latin, so a name in either still names its file ("Дмитрий" -> "dmitrii").
_LATIN = str.maketrans({
    **dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
               "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya i i ie g".split(" "))),
    **dict(zip("αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
               "a v g d e z i th i k l m n x o p r s s t y f ch ps o a e i i o y o i y i y".split(" "))),
})


def latin(text: str) -> str:
    """``text`` with Greek and Cyrillic letters written in Latin ones, for file names."""
    return text.lower().translate(_LATIN)


@dataclass(frozen=True, slots=True)
class Job:
    """One row of a batch.

    ``row`` is the roster row (the header is row 1) or any number a script chooses;
    ``output`` is a file name inside the output folder ("" means one made from the request);
    ``patient_id`` is what the report shows instead of the patient's name (by default the
    request's own ``patient_id``).
    """

    row: int
    kind: Kind
    request: HandoutRequest | PosterRequest
    output: str = ""
    patient_id: str | None = None

    def __post_init__(self) -> None:
        want = HandoutRequest if self.kind == "handout" else PosterRequest if self.kind == "poster" else None
        if want is None:
            raise ValueError(f'kind must be "handout" or "poster", got {self.kind!r}')
        if not isinstance(self.request, want):
            raise TypeError(f"a {self.kind} job needs a {want.__name__}, got {type(self.request).__name__}")
        if self.patient_id is None and getattr(self.request, "patient_id", None):
            object.__setattr__(self, "patient_id", self.request.patient_id)

    @property
    def patient(self) -> str:
        """The patient's name (handouts only): printed in the PDF, kept out of reports."""
        return getattr(self.request, "patient", "") or ""


@lru_cache(maxsize=256)
def program_label(program: str | None) -> str:
    """The program's part of a file name: its id, or the stem of a program file."""
    if not program:
        return "custom"
    if program.endswith((".yaml", ".yml")) or "/" in program or "\\" in program:
        return slug(PurePath(program).stem) or "custom"
    return slug(program) or "custom"


def default_output(kind: str, request, patient_id: str | None = None, patient: str = "",
                   date: dt.date | None = None, row: int | None = None) -> str:
    """The one rule for default file names, used by the CLI and the batch.

    Handouts: ``<patient_id or name>-<program>-<date>[-large][-<lang>].pdf`` ("handout" when
    there is no name). Posters: ``[<patient_id or name>-]poster-<program>-<size>[-landscape][-<lang>].pdf``;
    ``<lang>`` only for a language other than English, so two languages never share a name.
    ``<program>`` is the program id, or the stem of a program file (``mine.yaml`` -> ``mine``).
    ``patient_id`` and ``patient`` default to the request's own.
    Greek and Cyrillic names are written in Latin letters (Дмитрий -> ``dmitrii``); a name
    that still gives no slug gets ``row-<n>`` in a batch.
    """
    if patient_id is None:
        patient_id = getattr(request, "patient_id", None)
    patient = patient or getattr(request, "patient", "")
    who = slug(latin(patient_id or "")) or slug(latin(patient or ""))
    if not who and (patient_id or patient) and row is not None:
        who = f"row-{row}"
    what = program_label(request.program)
    lang = "" if getattr(request, "language", "en") == "en" else request.language
    if kind == "poster":
        size = slug(request.size) or "poster"
        parts = [who, "poster", what, size] + (["landscape"] if request.landscape else []) + [lang]
        return "-".join(p for p in parts if p) + ".pdf"
    when = (date or request.date or default_date()).isoformat()
    large = "-large" if request.large_print else ""
    return f"{who or 'handout'}-{what}-{when}{large}{'-' + lang if lang else ''}.pdf"


def job_output(job: Job) -> str:
    """The file name a job asked for, or the one made from its request."""
    return job.output or default_output(job.kind, job.request, job.patient_id, job.patient, row=job.row)


def tiled_output(name: str, onto: str) -> str:
    """The file name of a poster's tiled copy, beside it: ``<poster stem>-tiled-<onto>.pdf``."""
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return f"{stem}-tiled-{onto}.pdf"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One job's result: PDF bytes, or the file they were written to and their hash, or the
    error that stopped it."""

    index: int
    data: bytes | None
    error: str
    seconds: float
    place: Place | None = None
    digest: str = ""

    @property
    def failed(self) -> bool:
        return self.data is None and self.place is None


# What a worker is sent for one job: its index in the batch, the job, and where to write the
# PDF (None: send the bytes back).
Item = tuple[int, Job, Place | None]
