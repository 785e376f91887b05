"""Page counts and page fill of every bundled program, so the page budget can be tracked.

    python benchmarks/pages.py [--program ID ...]

For each bundled program with its defaults, on Letter and A4, in normal and large print,
then ir-mobility with ``--article full`` and with ``--layout compact``, it prints the page
count against its budget (6 pages in normal print, 12 in large; 2 for the compact layout in
normal print; "-": none), the fill of every page, and the pagination rules the layout could
not meet (``record.unmet``, e.g. "p13" for a page under 60 %), with their reasons under the
table. The fill is measured from the rendered PDF: how far down the text frame the lowest
ink above the footer reaches (0 % = an empty page, 100 % = ink down to the footer margin).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pypdfium2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handout import HandoutRequest  # noqa: E402
from handout.pipeline.handout import build_handout_document  # noqa: E402
from handout.model.library import load_library  # noqa: E402
from handout.render.theme import PAGE_SIZES, Theme  # noqa: E402

DATE = dt.date(2026, 11, 25)
SCALE = 1.0  # one pixel a point
INK = 235    # a pixel darker than this (0-255, any channel) counts as ink


def page_fills(pdf: bytes, large_print: bool, page_size: str) -> list[float]:
    """The fill of each page: the lowest ink between header and footer margins, as a fraction."""
    left, right, top, bottom = Theme(large_print=large_print).margins()
    width, height = PAGE_SIZES[page_size]
    fills = []
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            image = doc[i].render(scale=SCALE).to_pil().convert("L")
            y0, y1 = round(top * SCALE), round((height - bottom) * SCALE)
            frame = image.crop((0, y0, round(width * SCALE), y1))
            inked = frame.point(lambda v: 255 if v < INK else 0).getbbox()  # Pillow: no numpy needed
            fills.append(inked[3] / frame.height if inked else 0.0)
    finally:
        doc.close()
    return fills


BUDGET = {False: 6, True: 12}
COMPACT_BUDGET = 2
EXTRA = [("ir-mobility", {"article": "full"}, "--article full"), ("ir-mobility", {"layout": "compact"}, "--layout compact")]


def measure(program: str, page_size: str, large_print: bool, **options) -> tuple[int, list, list]:
    request = HandoutRequest(program=program, patient="Sam Lee", date=DATE, page_size=page_size,
                             large_print=large_print, **options)
    built = build_handout_document(request)
    fills = page_fills(built.pdf, large_print, page_size)
    return len(fills), fills, built.record.unmet


def _budget(options: dict, large: bool) -> int | None:
    """The issue's budgets: the defaults (6 / 12 pages) and the compact layout in normal
    print (2); the full article and compact large print have none."""
    if options.get("article") == "full":
        return None
    if options.get("layout") == "compact":
        return None if large else COMPACT_BUDGET
    return BUDGET[large]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", action="append", help="only this program (repeatable)")
    parser.add_argument("--layout", choices=["standard", "compact"], default="standard")
    args = parser.parse_args(argv)
    programs = args.program or sorted(load_library().programs)
    runs = [(p, {"layout": args.layout}, "" if args.layout == "standard" else "--layout compact") for p in programs]
    if not args.program and args.layout == "standard":
        runs += EXTRA
    print(f"{'program':<14} {'options':<17} {'paper':<6} {'print':<6} {'pages':>5} {'budget':>6}  fill of each page")
    reasons = []
    for program, options, label in runs:
        for page_size in ("letter", "a4"):
            for large in (False, True):
                count, fills, unmet = measure(program, page_size, large, **options)
                budget = _budget(options, large)
                row = " ".join(f"{round(f * 100):>3}%" for f in fills)
                note = f"   unmet: {', '.join('p' + u.split()[1] for u in unmet)}" if unmet else ""
                over = " OVER" if budget and count > budget else ""
                print(f"{program:<14} {label:<17} {page_size:<6} {'large' if large else 'normal':<6} {count:>5} "
                      f"{budget or '-':>6}{over}  {row}{note}")
                reasons += [f"{program} {label} {page_size} {'large' if large else 'normal'}: {u}".replace("  ", " ")
                            for u in unmet]
    if reasons:
        print("\nunmet rules, and why:")
        print("\n".join(f"  {r}" for r in reasons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
