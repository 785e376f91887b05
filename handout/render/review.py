"""A review sheet: every exercise's figure with its code and name, a grid per page.

For a clinician checking the library at a glance (``handout figures``). A real PDF of
vectors, reproducible (``invariant``), in the bundled Noto Sans, embedded like every other font.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from ..figures import FigureStyle, build_figure
from .fonts import BOLD, REGULAR, register_fonts

COLUMNS, ROWS = 2, 3
MARGIN_PT = 36.0
GUTTER_PT = 14.0
CAPTION_PT = 30.0
TITLE = "Exercise figures: review sheet"


def _entries(exercises, base_dir: Path | None) -> list[tuple[object, Path | None]]:
    """Exercises, or (exercise, folder) pairs as the renderer keeps them."""
    out = []
    for item in exercises:
        if isinstance(item, tuple):
            out.append((item[0], Path(item[1]) if item[1] is not None else base_dir))
        else:
            out.append((item, base_dir))
    return out


def _code_order(entry) -> tuple:
    """E1, E2, ... E10 in number order; exercises without a code after them, by name."""
    exercise = entry[0]
    match = re.fullmatch(r"([A-Za-z]*)(\d+)", getattr(exercise, "code", None) or "")
    return (0, match.group(1), int(match.group(2)), "") if match else (1, "", 0, exercise.name)


def build_review_sheet(exercises, page_size=(612, 792), style: FigureStyle | None = None,
                       base_dir: Path | None = None) -> bytes:
    """PDF bytes: each exercise's figure, code and name, ``COLUMNS`` x ``ROWS`` per page.

    ``exercises`` holds Exercise models or (exercise, folder) pairs, shown in code order;
    ``base_dir`` is the folder own pictures are found in when an exercise comes without one.
    """
    register_fonts()
    style = style or FigureStyle.from_brand("#1F6F8B")
    entries = sorted(_entries(exercises, base_dir), key=_code_order)
    width, height = page_size
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(entries) // per_page))
    cell_w = (width - 2 * MARGIN_PT - (COLUMNS - 1) * GUTTER_PT) / COLUMNS
    top = height - MARGIN_PT - 28
    cell_h = (top - MARGIN_PT - 14 - (ROWS - 1) * GUTTER_PT) / ROWS
    fig_w, fig_h = cell_w - 12, cell_h - CAPTION_PT - 10
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=page_size, invariant=1, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(TITLE)
    canvas.setAuthor("handout")
    canvas.setSubject("Every exercise figure, for clinical review")
    for page in range(pages):
        canvas.setFont(BOLD, 14)
        canvas.setFillGray(0.1)
        canvas.drawString(MARGIN_PT, height - MARGIN_PT - 14, TITLE)
        canvas.setFont(REGULAR, 9)
        canvas.drawRightString(width - MARGIN_PT, MARGIN_PT - 14, f"page {page + 1} of {pages}")
        for slot, (exercise, folder) in enumerate(entries[page * per_page:(page + 1) * per_page]):
            col, row = slot % COLUMNS, slot // COLUMNS
            x = MARGIN_PT + col * (cell_w + GUTTER_PT)
            y = top - (row + 1) * cell_h - row * GUTTER_PT
            canvas.setStrokeGray(0.8)
            canvas.setLineWidth(0.5)
            canvas.rect(x, y, cell_w, cell_h)
            flowable = build_figure(exercise.id, exercise.figure, exercise.image, folder, fig_w, fig_h, style)
            flowable.wrapOn(canvas, fig_w, fig_h)
            flowable.drawOn(canvas, x + 6, y + CAPTION_PT + 4)
            code = getattr(exercise, "code", None)
            canvas.setFillGray(0.1)
            canvas.setFont(BOLD, 10)
            canvas.drawString(x + 6, y + 17, f"{code}  {exercise.name}" if code else exercise.name)
            canvas.setFont(REGULAR, 8)
            canvas.setFillGray(0.35)
            source = "own picture " + exercise.image if exercise.image else "drawn from pose data"
            canvas.drawString(x + 6, y + 6, f"{exercise.id} - {source}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
