"""``handout demo``: everything the tool makes, from the bundled content alone."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

from .export.files import write_atomic
from .model.request import Clinic, HandoutRequest
from .pipeline import build_handout_document

DEMO_CLINIC = Clinic(name="Riverside Physiotherapy", phone="555 0100", address="12 River Road, Springfield",
                     website="riverside.example", clinician="Sam Lee")
DEMO_DATE = dt.date(2026, 11, 25)


def run_demo(out_dir: Path) -> Iterator[str]:
    """Write the demo files into ``out_dir``; yield one line per file for the user."""
    jobs = [
        ("demo-handout.pdf", HandoutRequest(program="ir-mobility", patient="Zoë Ünal", clinic=DEMO_CLINIC,
                                            date=DEMO_DATE, article="summary")),
        ("demo-handout-a4-large-print.pdf", HandoutRequest(program="ir-desk-break", patient="Nguyễn Thị Minh Khai",
                                                           clinic=DEMO_CLINIC, date=DEMO_DATE, page_size="a4",
                                                           large_print=True)),
    ]
    for name, request in jobs:
        started = time.perf_counter()
        built = build_handout_document(request)
        path = write_atomic(out_dir / name, built.pdf)
        took = (time.perf_counter() - started) * 1000
        yield f"wrote {path} ({built.record.pages} pages, {len(built.pdf) / 1024:.0f} KB, {took:.0f} ms)"
    # The wall poster (A2 cannot hold six panels at 2 m, so --fit shrinks it) and its tiles.
    from .model.request import PosterRequest
    from .poster import build_poster_document, metres
    from .render.tiling import tile, tile_grid

    started = time.perf_counter()
    poster = build_poster_document(PosterRequest(program="ir-mobility", clinic=DEMO_CLINIC, size="a2", fit=True))
    path = write_atomic(out_dir / "demo-poster-a2.pdf", poster.pdf)
    took = (time.perf_counter() - started) * 1000
    yield (f"wrote {path} ({poster.label}, {poster.grid[0]} x {poster.grid[1]}, readable from "
           f"{metres(poster.readable_from_m)}, {len(poster.pdf) / 1024:.0f} KB, {took:.0f} ms)")
    started = time.perf_counter()
    path = write_atomic(out_dir / "demo-poster-a2-tiled-letter.pdf", tile(poster.pdf, "letter"))
    took = (time.perf_counter() - started) * 1000
    yield f"wrote {path} ({tile_grid(*poster.page_size_pt, 'letter').count} Letter sheets, {took:.0f} ms)"
    # A small batch: one handout per row of the bundled example roster, with its report.
    from .export import export_batch, read_roster
    from .paths import bundled

    batch_dir = out_dir / "batch"
    report = export_batch(read_roster(bundled("content") / "roster.example.csv", clinic=DEMO_CLINIC), batch_dir)
    report.write_default(batch_dir)
    yield f"{report.summary()} into {batch_dir} (report: {batch_dir / 'batch-report.csv'})"
