"""Roster files read as rows of text, one row at a time: CSV, XLSX, YAML and JSON.

Each reader yields ``(row number, {column: text}, line)`` for every non-blank row, with
cells turned into the same text whatever the format (an Excel date and "2026-11-25" read
alike). A file that cannot be read (empty, binary, cut short, an unknown column) is one
``ContentError`` naming it; checking what the cells mean is ``roster.py``'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError, Issue
from ..model.suggest import close_matches
from ..model.yamlfile import check_file, load_yaml_file, read_limited

COLUMNS = ("patient", "program", "patient_id", "clinician", "date", "page_size", "large_print",
           "exercises", "kind", "output", "landscape", "fit", "viewing_distance", "language")
REQUIRED = ("patient", "program")
MAX_ROSTER_BYTES = 50_000_000
MAX_ROSTER_ROWS = 200_000  # rows of a roster file, counted as read (a header's claims are not trusted)
MAX_ROSTER_COLUMNS = 64  # cells read from one row; the columns a roster knows are far fewer
MAX_XLSX_UNPACKED_BYTES = 200_000_000
SNIFF_BYTES = 8192

Row = tuple[int, dict[str, str], int | None]


def read_rows(path: Path) -> Iterator[Row]:
    """The rows of a roster file, by its extension."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise ContentError([Issue(str(path), None, "", "roster file not found")])
    if check_file(path, MAX_ROSTER_BYTES, "a roster") == 0:
        raise _empty(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _capped(path, _csv_rows(path))
    if suffix in (".xlsx", ".xlsm"):
        return _capped(path, _xlsx_rows(path))
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
    issues, seen = [], set()
    for name in names:
        if not name:
            continue
        if name not in COLUMNS:
            issues.append(Issue(str(path), line, "", _unknown_column(name)))
        elif name in seen:
            issues.append(Issue(str(path), line, "", f'column "{name}" appears twice in the header'))
        seen.add(name)
    for name in REQUIRED:
        if name not in seen and not any(i.message.startswith("unknown") for i in issues):
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


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str], None]]:
    delimiter = _delimiter(_sniff(path))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
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
            raise _bad_file(path, f"is not UTF-8 text (near row {row + 1}: byte 0x{exc.object[exc.start]:02x}); "
                                  "save it as \"CSV UTF-8\"") from None
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
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str], None]]:
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
        if not workbook.worksheets:
            raise _empty(path)
        sheet = workbook.worksheets[0]
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
        try:
            _header(path, list(item), line)
        except ContentError as exc:
            issues.extend(i for i in exc.issues if "header needs" not in i.message)
    if issues:
        raise ContentError(issues)
    return ((n, {_column_name(k): cell_text(v) for k, v in item.items()},
             lines.line_of((n - 1,)) if lines else None) for n, item in enumerate(data, start=1))


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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated")
        hint = "; is the file cut short?" if cut else ""
        raise _bad_file(path, f"is not valid JSON ({exc.msg}, column {exc.colno}){hint}", exc.lineno) from None
