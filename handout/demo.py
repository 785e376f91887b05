"""``handout demo``: everything the tool makes, from the bundled content alone.

The demo makes documents and returns them; the CLI writes them (and runs the demo roster
through the batch, which writes its own files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from .export import Roster, read_roster
from .export.job import tiled_output
from .model.request import Clinic, HandoutRequest, PosterRequest
from .paths import bundled
from .pipeline.handout import build_handout_document
from .pipeline.poster import build_poster_document
from .pipeline.poster_size import metres
from .tiling import tile, tile_grid

DEMO_CLINIC = Clinic(name="Riverside Physiotherapy", phone="555 0100", address="12 River Road, Springfield",
                     website="riverside.example", clinician="Sam Lee")
DEMO_DATE = dt.date(2026, 11, 25)
POSTER_NAME = "demo-poster-a2.pdf"


@dataclass(frozen=True)
class DemoFile:
    """One demo document: the file name to give it, its bytes, and a note for the user."""

    name: str
    data: bytes
    note: str


def demo_files() -> Iterator[DemoFile]:
    """The demo documents, each built when asked for: two handouts, a poster and its tiles."""
    handouts = [
        ("demo-handout.pdf", HandoutRequest(program="ir-mobility", patient="Zoë Ünal", clinic=DEMO_CLINIC,
                                            date=DEMO_DATE, article="summary")),
        ("demo-handout-a4-large-print.pdf", HandoutRequest(program="ir-desk-break", patient="Nguyễn Thị Minh Khai",
                                                           clinic=DEMO_CLINIC, date=DEMO_DATE, page_size="a4",
                                                           large_print=True)),
    ]
    for name, request in handouts:
        built = build_handout_document(request)
        yield DemoFile(name, built.pdf, f"{built.record.pages} pages")
    # The wall poster (A2 cannot hold six panels at 2 m, so --fit shrinks it) and its tiles.
    poster = build_poster_document(PosterRequest(program="ir-mobility", clinic=DEMO_CLINIC, size="a2", fit=True))
    yield DemoFile(POSTER_NAME, poster.pdf, f"{poster.label}, {poster.grid[0]} x {poster.grid[1]}, "
                                            f"readable from {metres(poster.readable_from_m)}")
    sheets = tile_grid(*poster.page_size_pt, "letter").count
    yield DemoFile(tiled_output(POSTER_NAME, "letter"), tile(poster.pdf, "letter"), f"{sheets} Letter sheets")


def demo_roster() -> Roster:
    """The bundled example roster, every row for the demo clinic (for a small batch)."""
    return read_roster(bundled("content") / "roster.example.csv", clinic=DEMO_CLINIC)
