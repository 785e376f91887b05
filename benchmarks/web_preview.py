"""How long the web page's preview takes to follow a change (target: under 300 ms).

    python benchmarks/web_preview.py [--runs N]

A 6-exercise handout (``ir-mobility``, Letter, the patient's name typed) is previewed once
to warm up, then one exercise's reps are changed N times, each time to a new number, and the
preview request is timed from the POST to the answer in hand (form read, request, build,
pages drawn with pdfium, changed pages encoded as PNG, JSON, then fetching the changed
pages' PNGs as the browser does). The app runs in this process
through Starlette's test client (the same ASGI app ``handout serve`` runs, less the socket).
Also the same steps timed apart: build, drawing every page, and encoding one page.

It prints min, median and p90, and last one line for scripts:
``preview_ms_min=… preview_ms_median=… preview_ms_p90=… pages=…``. The machine is shared and
noisy: compare minimums and medians, not single runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]  # measure this checkout, not an installed copy

PORT = 8765


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="changes to time (default 30)")
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from handout.model.library import load_library
    from handout.web.app import create_app
    from handout.web.defaults import Defaults
    from handout.web.forms import program_rows

    app = create_app(Defaults(), port=PORT)
    client = TestClient(app, base_url=f"http://127.0.0.1:{PORT}")
    headers = {"origin": f"http://127.0.0.1:{PORT}", "x-handout-token": app.state.handout.token}
    rows = program_rows(load_library(), "ir-mobility")
    state = {"program": "ir-mobility", "exercises": rows, "patient": "Zoë Ünal", "date": "2026-11-25"}
    assert len(rows) == 6

    first = client.post("/api/handout/preview", json=state, headers=headers).json()
    shown = set(first["pages"])
    times, fetched = [], 0
    for n in range(args.runs):
        rows[n % 6]["reps"] = str(11 + n)  # a new number each time: the card's page really changes
        started = time.perf_counter()
        answer = client.post("/api/handout/preview", json=state, headers=headers)
        for url in set(answer.json()["pages"]) - shown:  # what the browser fetches: the changed pages
            assert client.get(url).status_code == 200
            fetched += 1
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
        shown = set(answer.json()["pages"])
    pages = first["page_count"]
    steps = _steps(state, app.state.handout)
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"preview after a change, {pages} pages, {args.runs} runs ({fetched / args.runs:.1f} changed pages "
          f"fetched a run): min {times[0]:.0f} ms, median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms "
          "(target: under 300 ms)")
    for name, ms in steps.items():
        print(f"  {name:28} {ms:6.1f} ms (min of 10)")
    print(f"preview_ms_min={times[0]:.1f} preview_ms_median={statistics.median(times):.1f} "
          f"preview_ms_p90={p90:.1f} pages={pages}")


def _steps(state: dict, app_state) -> dict[str, float]:
    """The preview's steps timed apart (min of 10): build, draw every page, encode one page."""
    import io

    import pypdfium2

    from handout.model.library import load_library
    from handout.pipeline.handout import build_handout_document
    from handout.web.forms import read_form

    request = read_form(state, load_library(), app_state.defaults).request
    pdf = build_handout_document(request).pdf

    def build():
        build_handout_document(request)

    def draw():
        doc = pypdfium2.PdfDocument(pdf)
        for i in range(len(doc)):
            doc[i].render(scale=1.0).to_pil()
        doc.close()

    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=1.0).to_pil()
    doc.close()

    def encode():
        image.save(io.BytesIO(), "PNG", compress_level=1)

    out = {}
    steps = (("build the PDF", build), ("draw every page (pdfium)", draw), ("encode one page as PNG", encode))
    for name, step in steps:
        runs = []
        for _ in range(10):
            started = time.perf_counter()
            step()
            runs.append((time.perf_counter() - started) * 1000)
        out[name] = min(runs)
    return out


if __name__ == "__main__":
    main()
