"""Roster files read as rows of text, one row at a time: CSV, XLSX, YAML and JSON.

Each reader yields ``(row number, {column: text}, line)`` for every non-blank row, with
cells turned into the same text whatever the format (an Excel date and "2026-11-25" read
alike). A file that cannot be read (empty, binary, cut short, an unknown column) is one
``ContentError`` naming it; checking what the cells mean is ``roster.py``'s job.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError, Issue, RequestError
from ..model.suggest import close_matches
from ..model.yamlfile import check_file, load_yaml_file, read_limited
from .roster_dates import DATE_FORMATS  # noqa: F401  (the roster's readers name it here too)

COLUMNS = ("patient", "program", "patient_id", "clinician", "date", "page_size", "large_print",
           "exercises", "kind", "output", "landscape", "fit", "viewing_distance", "language")
REQUIRED = ("patient", "program")
MAX_ROSTER_BYTES = 50_000_000
MAX_ROSTER_ROWS = 200_000  # rows of a roster file, counted as read (a header's claims are not trusted)
MAX_ROSTER_COLUMNS = 64  # cells read from one row; the columns a roster knows are far fewer
MAX_XLSX_UNPACKED_BYTES = 200_000_000
SNIFF_BYTES = 8192
MAX_SHOWN_COLUMNS = 20  # unknown header columns named one by one; the rest are counted
MAX_SHOWN_ISSUES = 50  # problems with a YAML or JSON roster's keys, over all its rows
WINDOWS_ENCODING = "cp1252"  # what Excel on Windows saves "CSV (Comma delimited)" in
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Row = tuple[int, dict[str, str], int | None]


def read_rows(path: Path, encoding: str | None = None, notes: list[str] | None = None) -> Iterator[Row]:
    """The rows of a roster file, by its extension.

    ``encoding`` is a CSV's (default: UTF-8, or Windows-1252 when the file is not UTF-8 and
    reads cleanly as that); ``notes`` collects warnings (the encoding guessed, sheets not read).
    """
    notes = [] if notes is None else notes
    suffix = path.suffix.lower()
    if not path.exists():
        raise ContentError([Issue(str(path), None, "", "roster file not found")])
    if check_file(path, MAX_ROSTER_BYTES, "a roster") == 0:
        raise _empty(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _capped(path, _csv_rows(path, encoding, notes))
    if suffix in (".xlsx", ".xlsm"):
        return _capped(path, _xlsx_rows(path, notes))
    if suffix in (".yaml", ".yml", ".json"):
        return _capped(path, _mapping_rows(path))
    hint = " (save old .xls workbooks as .xlsx)" if suffix == ".xls" else ""
    raise ContentError([Issue(str(path), None, "", f"a roster must be .csv, .xlsx, .yaml or .json, not "
                                                   f"\"{suffix or 'no extension'}\"{hint}")])


def _capped(path: Path, rows: Iterator[Row]) -> Iterator[Row]:
    """The rows, stopping with an error at the row limit (row numbers count blank rows too)."""
    for row in rows:
        if row[0] > MAX_ROSTER_ROWS + 1:
            raise _bad_file(path, f"has more than {MAX_ROSTER_ROWS:,} rows; split the roster into smaller files")
        yield row


def _empty(path: Path) -> ContentError:
    return ContentError([Issue(str(path), None, "", "the file is empty; a roster needs a header row "
                                                    "(patient, program, ...) and one row per PDF")])


def _bad_file(path: Path, message: str, line: int | None = None) -> ContentError:
    return ContentError([Issue(str(path), line, "", message)])


def _header(path: Path, cells: list, line: int | None = 1) -> list[str]:
    """Column names from a header row; unknown, repeated or missing columns are file errors."""
    names = [_column_name(c) for c in cells]
    issues, seen, unknown = [], set(), 0
    for name in names:
        if not name:
            continue
        if name not in COLUMNS:
            unknown += 1
            if unknown <= MAX_SHOWN_COLUMNS:  # 10,000 unknown columns are one message, not 10,000
                issues.append(Issue(str(path), line, "", _unknown_column(name)))
        elif name in seen:
            issues.append(Issue(str(path), line, "", f'column "{name}" appears twice in the header'))
        seen.add(name)
    if unknown > MAX_SHOWN_COLUMNS:
        issues.append(Issue(str(path), line, "", f"... and {unknown - MAX_SHOWN_COLUMNS:,} more unknown columns; "
                                                 f"the columns are {', '.join(COLUMNS)}"))
    for name in REQUIRED:
        if name not in seen and not unknown:
            issues.append(Issue(str(path), line, "", f'has no "{name}" column; the header needs '
                                                     f'{" and ".join(REQUIRED)}'))
    if issues:
        raise ContentError(issues)
    return names


def _unknown_column(name: str) -> str:
    best = close_matches(name, COLUMNS, n=1)
    hint = f"did you mean {best[0]}?" if best else f"the columns are {', '.join(COLUMNS)}"
    return f'unknown column "{name}"; {hint}'


def _column_name(cell) -> str:
    return re.sub(r"[\s\-]+", "_", cell_text(cell).strip().lower())


def _sniff(path: Path) -> bytes:
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        raise _bad_file(path, "is an Excel workbook or other zip file, not CSV text; give it the .xlsx extension")
    if b"\x00" in head:
        raise _bad_file(path, "is not a text file (it holds binary data); save the roster as CSV UTF-8")
    if not head.lstrip(b"\xef\xbb\xbf").strip():
        raise _empty(path)
    return head


def _delimiter(head: bytes) -> str:
    """Comma, or the semicolon or tab some spreadsheets write, whichever splits the header most."""
    first = head.lstrip(b"\xef\xbb\xbf").splitlines()[0].decode("utf-8", "replace")
    return max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","


def check_encoding(encoding: str) -> None:
    """A RequestError (``--encoding``) unless ``encoding`` is a text encoding Python knows."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise RequestError(f'"{encoding}" is not an encoding Python knows (try utf-8, cp1252, latin-1)',
                           "encoding") from None
    if not getattr(info, "_is_text_encoding", True):
        raise RequestError(f'"{encoding}" is not a text encoding', "encoding")


def csv_encoding(path: Path, asked: str | None, notes: list[str]) -> str:
    """The encoding to read a CSV in: the one asked for; else UTF-8 (with or without a BOM)
    when the whole file is UTF-8; else Windows-1252 when every byte is a printable character
    in it and none looks like UTF-8 (a UTF-8 file with one stray byte is not Windows text: "ë"
    would read "Ã«"), said in a warning, never silently; else UTF-8, so the error names the row."""
    if asked:
        return asked
    if _decodes(path, "utf-8"):
        return "utf-8-sig"
    if _decodes(path, WINDOWS_ENCODING, refuse=_CONTROL) and not _has_utf8_letters(path):
        notes.append(f"{path}: is not UTF-8; read it as Windows-1252 (cp1252), the code page Excel on Windows "
                     f"saves CSV in. Check the names, or say --encoding cp1252 (or another) to be sure")
        return WINDOWS_ENCODING
    return "utf-8-sig"


def _decodes(path: Path, encoding: str, refuse: re.Pattern | None = None) -> bool:
    """Whether the whole file decodes in ``encoding`` (read a block at a time, never whole)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                text = decoder.decode(block)
                if refuse is not None and refuse.search(text):
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_utf8_letters(path: Path) -> bool:
    """Whether the file holds a UTF-8 sequence for a letter past ASCII (a lead byte and a
    continuation byte), which Windows-1252 text almost never does."""
    with open(path, "rb") as handle:
        tail = b""
        for block in iter(lambda: handle.read(1 << 20), b""):
            if _UTF8_PAIR.search(tail + block):
                return True
            tail = block[-1:]
    return False


def _decoded_lines(handle, encoding: str) -> Iterator[str]:
    """A binary file's lines decoded one at a time, so a bad byte is met on its own row."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for line in handle:
        yield decoder.decode(line)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _csv_rows(path: Path, encoding: str | None, notes: list[str]) -> Iterator[tuple[int, dict[str, str], None]]:
    delimiter = _delimiter(_sniff(path))
    encoding = csv_encoding(path, encoding, notes)
    with open(path, "rb") as handle:
        reader = csv.reader(_decoded_lines(handle, encoding), delimiter=delimiter, strict=True)
        row = 0
        try:
            header = None
            for cells in reader:
                row += 1
                if header is None:
                    header = _header(path, cells)
                    continue
                if any(c.strip() for c in cells):
                    yield row, _zip_row(header, cells), None
        except UnicodeDecodeError as exc:
            name = "UTF-8" if encoding == "utf-8-sig" else encoding
            raise _bad_file(path, f"is not {name} text (row {row + 1}: byte 0x{exc.object[exc.start]:02x}); "
                                  "save it as \"CSV UTF-8\", or say which encoding it is in with --encoding") from None
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise _bad_file(path, f"ends inside a quoted cell (row {row + 1}); is the file cut short?") from None
            raise _bad_file(path, f"is not valid CSV near row {row + 1}: {exc}") from None
        if header is None:
            raise _empty(path)


def _zip_row(header: list[str], cells: list) -> dict[str, str]:
    values = {}
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else ""
        text = cell_text(cell)
        if name:
            values[name] = text
        elif text.strip():
            where = f"column {index + 1}"
            values.setdefault("", f"has a value in {where}, which has no name in the header row ({text[:20]!r})"
                              if index < len(header) else
                              f"has {len(cells)} cells but the header has {len(header)}; is a comma or quote "
                              "out of place?")
    if len(cells) < len(header) and "" not in values:
        # Spreadsheets write every cell, so a short row is a row cut off, not a short-hand.
        values[""] = f"has {len(cells)} cells but the header has {len(header)}; is the row cut short?"
    return values


def cell_text(value) -> str:
    """A cell as text, the same whichever file format it came from."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):  # a list of ids; anything nested in it is not a cell's text
        return "; ".join("[...]" if isinstance(v, (list, tuple, dict)) else cell_text(v) for v in value)
    return str(value)


def _xlsx_rows(path: Path, notes: list[str]) -> Iterator[tuple[int, dict[str, str], None]]:
    from zipfile import BadZipFile, ZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with ZipFile(path) as archive:  # a zip bomb: sizes as declared, checked before inflating
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise _bad_file(path, f"unpacks to {unpacked:,} bytes (at most {MAX_XLSX_UNPACKED_BYTES:,}); "
                                  "is it a roster?")
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _bad_file(path, f"is not a readable Excel workbook (.xlsx): {exc}; is it cut short or damaged?") from None
    try:
        sheet = _roster_sheet(path, workbook, notes)
        sheet.reset_dimensions()  # the <dimension> a file declares is not trusted: read what is there
        header = None
        for row, cells in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_ROSTER_COLUMNS + 1, values_only=True),
                                    start=1):
            if row > MAX_ROSTER_ROWS + 1:  # blank rows count too: a gap of a million rows stops here
                raise _bad_file(path, f"has more than {MAX_ROSTER_ROWS:,} rows; split the roster into smaller files")
            if cells.count(None) == len(cells):  # a blank row (a gap reads as many): skip at C speed
                continue
            if len(cells) > MAX_ROSTER_COLUMNS and cell_text(cells[MAX_ROSTER_COLUMNS]).strip():
                raise _bad_file(path, f"has more than {MAX_ROSTER_COLUMNS} columns (row {row})", None)
            if header is None:
                if not any(cell_text(c).strip() for c in cells):
                    continue
                header = _header(path, list(cells), row)
                continue
            if any(cell_text(c).strip() for c in cells):
                cells = list(cells)
                while len(cells) > len(header) and not cell_text(cells[-1]).strip():
                    cells.pop()
                cells += [None] * (len(header) - len(cells))
                yield row, _zip_row(header, cells), None
        if header is None:
            raise _empty(path)
    except (BadZipFile, OSError, KeyError) as exc:
        raise _bad_file(path, f"could not be read to the end ({exc}); is it cut short or damaged?") from None
    finally:
        workbook.close()


def _roster_sheet(path: Path, workbook, notes: list[str]):
    """The sheet a person sees on opening the workbook: the active one, or the first visible
    one if the active sheet is hidden. Other sheets are named in a warning, never read."""
    visible = [s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    if not visible:
        raise _bad_file(path, "has no visible sheet to read the roster from")
    active = workbook.active
    sheet = active if active in visible else visible[0]
    others = [s.title for s in workbook.worksheets if s is not sheet]
    if others:
        notes.append(f"{path}: read the sheet \"{sheet.title}\"; not read: "
                     + ", ".join(f'"{t}"' for t in others[:10]) + (" ..." if len(others) > 10 else ""))
    return sheet


def _mapping_rows(path: Path) -> Iterator[tuple[int, dict[str, str], int | None]]:
    if path.suffix.lower() == ".json":
        data, lines = _load_json(path), None
    else:
        data, linemap = load_yaml_file(path)
        lines = linemap
    if data is None:
        raise _empty(path)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _bad_file(path, "must be a list of rows, each a mapping like {patient: ..., program: ...}", 1)
    issues = []
    for number, item in enumerate(data, start=1):
        line = lines.line_of((number - 1,)) if lines else None
        if getattr(item, "duplicate", None):  # refused like a YAML roster's duplicate key
            issues.append(Issue(str(path), line, "", f"row {number}: duplicate key {item.duplicate!r} "
                                                     "(JSON would keep only the last); remove one"))
        try:
            _header(path, list(item), line)
        except ContentError as exc:
            issues.extend(i for i in exc.issues if "header needs" not in i.message)
    if len(issues) > MAX_SHOWN_ISSUES:
        issues = issues[:MAX_SHOWN_ISSUES] + [Issue(str(path), None, "", f"... and {len(issues) - MAX_SHOWN_ISSUES:,} "
                                                                    "more problems with keys")]
    if issues:
        raise ContentError(issues)
    return ((n, {_column_name(k): cell_text(v) for k, v in item.items()},
             lines.line_of((n - 1,)) if lines else None) for n, item in enumerate(data, start=1))


class _Object(dict):
    """A JSON object that remembers a key it was given twice (JSON itself keeps the last)."""

    duplicate: str | None = None


def _object(pairs: list[tuple[str, object]]) -> _Object:
    found = _Object(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        found.duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))
    return found


def _load_json(path: Path):
    raw = read_limited(path, MAX_ROSTER_BYTES, "a roster")
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise _bad_file(path, "is not a text file (it holds binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad_file(path, "is not UTF-8 text") from None
    if not text.strip():
        raise _empty(path)
    try:
        return json.loads(text, object_pairs_hook=_object)
    except RecursionError:
        raise _bad_file(path, "is nested too deep to be a roster (a list of rows, each a mapping)") from None
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated")
        hint = "; is the file cut short?" if cut else ""
        raise _bad_file(path, f"is not valid JSON ({exc.msg}, column {exc.colno}){hint}", exc.lineno) from None
