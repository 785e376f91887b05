"""Read a roster (CSV, XLSX, YAML or JSON) into jobs, checking every row before any work starts.

A roster is one row a PDF. Rows stream from the file one at a time; each is checked
against the library (program and exercise ids, page sizes, real dates, safe output names)
and kept as a small record, so 100,000 rows take seconds and little memory. A bad row
becomes a ``RowError`` (row number, column, reason) and does not stop the good ones; a bad
file (empty, binary, cut short, an unknown column) is one ``ContentError`` naming it.

Row numbers are spreadsheet rows for CSV and XLSX (the header is row 1) and item numbers
(from 1) for YAML and JSON lists.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import ContentError, HandoutError, Issue, OutputError, RequestError, visible
from ..model.i18n import languages
from ..model.library import Library, load_library, load_program_file
from ..model.plan import default_date
from ..model.request import MAX_NAME_CHARS, Clinic, ExercisePick, HandoutRequest, PosterRequest, clean_name
from ..model.suggest import unknown_message
from ..model.validate import issues_from
from ..model.printable import missing_char
from ..model.poster_sizes import POSTER_SIZES_PT, poster_size_key
from .files import NameBook, check_relative_name
from .job import Job, default_output
from .roster_files import DATE_FORMATS, check_encoding, read_rows

HANDOUT_PAGE_SIZES = ("letter", "a4")
POSTER_SIZES = tuple(POSTER_SIZES_PT)
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0", ""})
MAX_ID_CHARS = 64
# Request fields a roster row (or the batch) sets; ``defaults`` may set any other field.
_ROW_FIELDS = frozenset({"program", "exercises", "patient", "patient_id", "clinician", "date", "page_size",
                         "large_print", "size", "clinic", "content_dirs", "template_dirs"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class RowError:
    """One problem with one roster row. Never holds the patient's name."""

    row: int
    column: str
    message: str
    patient_id: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:  # a cell's text in a message is shown, never run by a terminal
        object.__setattr__(self, "message", visible(self.message))

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class _Shared:
    """What every row of one roster has in common."""

    clinic: Clinic
    content_dirs: tuple[str, ...]
    template_dirs: tuple[str, ...]
    defaults: tuple[tuple[str, object], ...]
    poster_defaults: tuple[tuple[str, object], ...] = ()

    def request(self, kind: str, fields: tuple) -> HandoutRequest | PosterRequest:
        common = dict(clinic=self.clinic, content_dirs=self.content_dirs, template_dirs=self.template_dirs)
        if kind == "poster":
            program, exercises, size, columns = fields
            return PosterRequest(**{**dict(self.poster_defaults), **dict(columns)}, program=program,
                                 exercises=exercises, size=size, **common)
        program, exercises, patient, patient_id, clinician, date, page_size, large_print, language = fields
        chosen = {"language": language} if language else {}
        return HandoutRequest(**{**dict(self.defaults), **chosen}, program=program, exercises=exercises,
                              patient=patient, patient_id=patient_id, clinician=clinician, date=date,
                              page_size=page_size, large_print=large_print, **common)


class JobList(Sequence):
    """The good rows' jobs, kept as small records and made into ``Job``s when asked for.

    A request object costs about 1.5 KB; a record a few hundred bytes, so a 100,000-row
    roster stays small until its jobs are sent out, a chunk at a time.
    """

    def __init__(self, records: list[tuple], shared: _Shared):
        self._records = records
        self._shared = shared

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._job(r) for r in self._records[index]]
        return self._job(self._records[index])

    def __iter__(self) -> Iterator[Job]:
        return (self._job(r) for r in self._records)

    def _job(self, record: tuple) -> Job:
        row, kind, fields, output, patient_id = record
        return Job(row, kind, self._shared.request(kind, fields), output, patient_id)


@dataclass(frozen=True)
class Roster:
    """A roster read and checked: jobs for the good rows, errors for the bad ones."""

    path: Path
    jobs: Sequence[Job]
    errors: tuple[RowError, ...] = ()
    rows: int = 0
    warnings: tuple[str, ...] = ()  # how the file was read: an encoding guessed, sheets left unread

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def read_roster(path: str | Path, *, content_dirs: tuple[str, ...] = (), template_dirs: tuple[str, ...] = (),
                clinic: Clinic | None = None, defaults: dict | None = None,
                poster_defaults: dict | None = None, encoding: str | None = None,
                date_format: str | None = None) -> Roster:
    """Read and check every row of a roster file.

    ``content_dirs`` and ``template_dirs`` are searched before the bundled folders, as
    ``--content`` and ``--templates`` are; ``clinic`` brands every PDF; ``defaults`` are
    request fields every handout row starts from (for example ``{"article": "summary"}``),
    ``poster_defaults`` the same for poster rows (for example ``{"fit": True}``).
    ``encoding`` is a CSV's (default: UTF-8, or Windows-1252 with a warning when the file
    is not UTF-8 and reads cleanly so); ``date_format`` is how the date column is written
    when not YYYY-MM-DD, one of ``DATE_FORMATS`` (``"DD/MM/YYYY"``): never guessed.
    Raises ``ContentError`` when the file itself cannot be read; bad rows are in
    ``Roster.errors``.
    """
    path = Path(path)
    library = load_library(tuple(content_dirs))
    shared = _Shared(clinic or Clinic(), _absolute(content_dirs), _absolute(template_dirs), _check_defaults(HandoutRequest, defaults or {}),
                     _check_defaults(PosterRequest, poster_defaults or {}))
    _check_clinic_text(shared.clinic)
    if date_format is not None and date_format.upper() not in DATE_FORMATS:
        raise RequestError(f'"{date_format}" is not a date format; choose {", ".join(DATE_FORMATS)}', "date_format")
    if encoding is not None:
        check_encoding(encoding)
    checker = _RowChecker(library, shared, path.resolve().parent, DATE_FORMATS[(date_format or "YYYY-MM-DD").upper()])
    notes: list[str] = []
    for row, values, line in read_rows(path, encoding, notes):
        checker.check(row, values, line)
    if checker.count == 0:
        raise ContentError([Issue(str(path), None, "", "has a header but no rows; add one row per PDF")])
    return Roster(path, JobList(checker.records, shared), tuple(checker.errors), checker.count, tuple(notes))



def _absolute(folders) -> tuple[str, ...]:
    """Folders as absolute paths, so workers elsewhere (a Dask cluster) find the same ones."""
    return tuple(str(Path(f).expanduser().resolve()) for f in folders)


def _check_defaults(kind: type, defaults: dict) -> tuple[tuple[str, object], ...]:
    clash = sorted(set(defaults) & _ROW_FIELDS)
    if clash:
        raise RequestError(f"{', '.join(clash)} come from the roster's columns, not defaults", "defaults")
    try:
        kind(program="defaults-check", **defaults)
    except ValidationError as exc:
        issue = issues_from(exc, None)[0]
        raise RequestError(issue.message, f"defaults.{issue.field}") from None
    return tuple(sorted(defaults.items()))


def _check_clinic_text(clinic: Clinic) -> None:
    for name in ("name", "phone", "address", "email", "website", "clinician"):
        char = missing_char(getattr(clinic, name) or "")
        if char is not None:
            raise RequestError(f"the character {char!r} (U+{ord(char):04X}) cannot be printed with the bundled font",
                               f"clinic.{name}")


def _poster_columns(get, kind: str, bad) -> tuple[tuple[str, object], ...]:
    """A poster row's landscape, fit and viewing_distance cells, as request fields (an empty
    cell keeps the batch's poster default)."""
    out = []
    for column in ("landscape", "fit"):
        text = get(column, "").strip().lower()
        if text in TRUE_WORDS or (text in FALSE_WORDS and text):
            out.append((column, text in TRUE_WORDS))
        elif text:
            bad((column, f'must be true or false (or yes/no, 1/0), got "{text[:30]}"'))
    text = get("viewing_distance", "").strip().lower().removesuffix("m").strip().replace(",", ".")
    if text:
        try:
            metres = float(text)
            if not 0.5 <= metres <= 20:
                raise ValueError
            out.append(("viewing_distance_m", metres))
        except ValueError:
            bad(("viewing_distance", f'must be metres from 0.5 to 20, like 1.5, got "{text[:30]}"'))
    if kind == "handout":
        for column in sorted({"viewing_distance" if f == "viewing_distance_m" else f for f, v in out if v}):
            bad((column, "applies to posters only; leave it empty on a handout row"))
    return tuple(out)


# --- checking rows ------------------------------------------------------------------------------

class _RowChecker:
    """Checks rows one at a time, remembering answers for values rows share (programs, dates)."""

    def __init__(self, library: Library, shared: _Shared, base_dir: Path, date_format: str = "%Y-%m-%d"):
        self.date_format = date_format
        self.library = library
        self.shared = shared
        self.base_dir = base_dir
        self.records: list[tuple] = []
        self.errors: list[RowError] = []
        self.count = 0
        self.names = NameBook()
        self._programs: dict[str, tuple[str | None, str]] = {}
        self._picks: dict[str, tuple[tuple | None, list[str]]] = {}
        self._dates: dict[str, tuple[dt.date | None, str]] = {}
        self._today = default_date()
        self._shared_text: dict[str, str] = {}  # one copy of values many rows repeat
        self._languages: dict[str, str] = {}  # language -> "" or what is wrong with it
        self._default_language = dict(shared.defaults).get("language", "")

    def check(self, row: int, values: dict[str, str], line: int | None = None) -> None:
        self.count += 1
        problems: list[tuple[str, str]] = []
        bad = problems.append
        if "" in values:
            bad(("", values[""]))
        get = values.get
        patient_id = _clean_id(get("patient_id", ""), bad)
        kind = get("kind", "").strip().lower() or "handout"
        if kind not in ("handout", "poster"):
            bad(("kind", f'must be handout or poster, got "{kind[:30]}"'))
        patient = self._name(get("patient", ""), "patient", bad, required=kind == "handout")
        clinician = self._same(self._name(get("clinician", ""), "clinician", bad, required=False))
        program = self._program(get("program", "").strip(), bad)
        picks = self._exercises(get("exercises", ""), bad)
        date = self._date(get("date", "").strip(), bad)
        size = self._same(get("page_size", "").strip().lower())
        large = get("large_print", "").strip().lower()
        if large not in TRUE_WORDS and large not in FALSE_WORDS:
            bad(("large_print", f'must be true or false (or yes/no, 1/0), got "{large[:30]}"'))
        if kind == "poster":
            size = poster_size_key(size or "a1") or size
            if size not in POSTER_SIZES:
                bad(("page_size", f'"{size[:30]}" is not a poster size; choose {", ".join(POSTER_SIZES)}'))
            if clinician:
                bad(("clinician", "applies to handouts only; leave it empty on a poster row"))
            if large in TRUE_WORDS:
                bad(("large_print", "applies to handouts only; posters are sized by viewing distance"))
        elif kind == "handout":
            size = size or "letter"
            if size not in HANDOUT_PAGE_SIZES:
                bad(("page_size", f'"{size[:30]}" is not a handout page size; choose letter or a4'))
        poster_columns = _poster_columns(get, kind, bad)
        language = self._language(get("language", ""), bad)
        output = self._output(get("output", ""), bad)
        if problems:
            self.errors.extend(RowError(row, column, message, patient_id, line) for column, message in problems)
            return
        if kind == "poster":
            fields = (program, picks, size, poster_columns + ((("language", language),) if language else ()))
        else:
            fields = (program, picks, patient, patient_id, clinician, date, size, large in TRUE_WORDS, language)
        try:
            request = self.shared.request(kind, fields)
        except ValidationError as exc:
            for issue in issues_from(exc, None):
                self.errors.append(RowError(row, issue.field.split(".")[0], issue.message, patient_id, line))
            return
        name = output or default_output(kind, request, patient_id, patient, date, row)
        self.records.append((row, kind, fields, self.names.claim(name), patient_id))

    def _language(self, text: str, bad) -> str:
        """A language code (empty: the batch's default), whose content loads in full."""
        text = text.strip().lower()
        lang = text or self._default_language
        if lang and lang not in self._languages:
            self._languages[lang] = _language_problem(lang, self.shared.content_dirs)
        if lang and self._languages[lang]:
            bad(("language", self._languages[lang]))
        return text

    def _same(self, text: str) -> str:
        return self._shared_text.setdefault(text, text) if len(self._shared_text) < 10_000 else text

    def _name(self, text: str, column: str, bad, required: bool) -> str:
        """A person's name, checked without ever putting it in a message."""
        text = text.strip()
        if not text:
            if required:
                bad((column, "is required (the name printed on the handout)"))
            return ""
        if not _plain(text):
            try:
                text = clean_name(text, column)
            except ValueError as exc:
                bad((column, str(exc)))
                return text
        char = missing_char(text)
        if char is not None:
            bad((column, f"the character {char!r} (U+{ord(char):04X}) cannot be printed with the bundled font; "
                         "replace it with a letter the font has"))
        return text

    def _program(self, ref: str, bad) -> str | None:
        if not ref:
            bad(("program", "is required (a program id such as ir-mobility, or a program .yaml file)"))
            return None
        if ref not in self._programs:
            self._programs[ref] = self._resolve_program(ref)
        value, error = self._programs[ref]
        if error:
            bad(("program", error))
        return value

    def _resolve_program(self, ref: str) -> tuple[str | None, str]:
        if not (ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref):
            if ref in self.library.programs:
                return ref, ""
            return None, unknown_message("program", ref, self.library.programs)
        path = Path(ref).expanduser()
        path = path if path.is_absolute() else self.base_dir / path
        if not path.is_file():
            return None, f"no program file {ref} (looked for {path})"
        try:
            load_program_file(path, self.library.exercises)
        except HandoutError as exc:
            return None, f"program file {ref}: {exc}"
        return str(path.resolve()), ""

    def _exercises(self, text: str, bad) -> tuple:
        text = text.strip()
        if not text:
            return ()
        if text not in self._picks:
            self._picks[text] = self._parse_picks(text)
        picks, errors = self._picks[text]
        for error in errors:
            bad(("exercises", error))
        return picks or ()

    def _parse_picks(self, text: str) -> tuple[tuple | None, list[str]]:
        picks, errors = [], []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            try:
                pick = ExercisePick.parse(part)
            except RequestError as exc:
                errors.append(exc.raw)
                continue
            if pick.id not in self.library.exercises:
                errors.append(unknown_message("exercise", pick.id, self.library.exercises))
            picks.append(pick)
        return (None if errors else tuple(picks)), errors

    def _date(self, text: str, bad) -> dt.date:
        if not text:
            return self._today
        if text not in self._dates:
            self._dates[text] = self._parse_date(text)
        value, error = self._dates[text]
        if error:
            bad(("date", error))
        return value or self._today

    def _parse_date(self, text: str) -> tuple[dt.date | None, str]:
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text), ""
            except ValueError:
                return None, f'must be a real date written YYYY-MM-DD, got "{text[:30]}"'
        written = next(k for k, v in DATE_FORMATS.items() if v == self.date_format)
        if self.date_format != "%Y-%m-%d":
            try:
                return dt.datetime.strptime(text, self.date_format).date(), ""
            except ValueError:
                return None, f'must be a real date written {written} (or YYYY-MM-DD), got "{text[:30]}"'
        day_first = re.match(r"^\d{1,2}\D\d{1,2}\D\d{4}$", text)
        hint = " (for dates like 25/11/2026 say --date-format DD/MM/YYYY)" if day_first else ""
        return None, f'must be a real date written YYYY-MM-DD, got "{text[:30]}"{hint}'

    def _output(self, text: str, bad) -> str:
        text = text.strip()
        if not text:
            return ""
        try:
            name = check_relative_name(text)
        except OutputError as exc:
            bad(("output", str(exc).removeprefix("output ")))
            return ""
        if not name.lower().endswith(".pdf"):
            bad(("output", f'"{name}" must end in .pdf'))
            return ""
        return name


def _language_problem(lang: str, content_dirs: tuple[str, ...]) -> str:
    if lang not in languages():
        return f'"{lang[:20]}" is not a language handout has; use one of {", ".join(languages())}'
    try:
        load_library(content_dirs, lang)
    except HandoutError as exc:
        return f"the {lang} content cannot be used: {exc}"
    return ""


def _plain(text: str) -> bool:
    """True for text that needs no cleaning: printable, NFC, not too long (the fast, usual case)."""
    return len(text) <= MAX_NAME_CHARS and text.isprintable() and unicodedata.is_normalized("NFC", text)


def _clean_id(text: str, bad) -> str | None:
    text = text.strip()
    if not text:
        return None
    text = text if _plain(text) else unicodedata.normalize("NFC", text)
    if len(text) > MAX_ID_CHARS:
        bad(("patient_id", f"is too long ({len(text)} characters; at most {MAX_ID_CHARS})"))
        return None
    if not text.isprintable() and any(unicodedata.category(c) == "Cc" for c in text):
        bad(("patient_id", "contains a control character; remove it"))
        return None
    return text
