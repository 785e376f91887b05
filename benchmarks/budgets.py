"""Peak memory and time of every budgeted bad input, each through the real command line.

    python benchmarks/budgets.py [--runs N]

Each case is run as its own ``python -m handout ...`` process under GNU time; a line per case
gives its exit code, the least wall-clock time and the least peak resident memory of
``--runs`` runs (default 3; the machine is shared, so the least is the fairest), and the
first words of its message. The tests bound these cases by steps, sizes and traced memory,
never by seconds; this is where the seconds are. The memory includes Python, ReportLab and
the fonts (about 60 MB for any command).
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAST = ["--article", "none", "--log-weeks", "0", "--date", "2026-11-25", "--out", "{d}/out/a.pdf"]
T = ["build", "--program", "ir-desk-break", "--templates", "{d}/tpl", *FAST]
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" '
       'height="100">{}</svg>')


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def _xlsx_claiming_a_million_rows(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in (["patient", "program"], ["Ann", "ir-desk-break"]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
            dst.writestr(info, data)


def _exercise_with(image: str) -> str:
    text = (ROOT / "content" / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
    return text[: text.index("figure:")] + f"image: {image}\n"


def _laughs() -> str:
    return '<rect id="l0" width="1" height="1"/>' + "".join(
        f'<g id="l{i + 1}">' + f'<use xlink:href="#l{i}"/>' * 10 + "</g>" for i in range(9))


def _roster(rows: int) -> str:
    return "patient,program\n" + "".join(f"P{n},ir-desk-break\n" for n in range(rows))


def _template(body: str) -> dict:
    return {"tpl/handout.xml.j2": "<document title='x'>" + body + "</document>"}


CASES = {  # name: (files under the case's folder, the command line; {d} is the folder)
    "(baseline) handout list programs": ({}, ["list", "programs"]),
    "(baseline) a good handout": ({}, ["build", "--program", "ir-desk-break", *FAST]),
    "template 'x' * 10**9": (_template("{{ 'x' * 1000000000 }}"), T),
    "template [s] * 10**6 (s 1 MB)": (_template("{% set s = 'x' * 1000000 %}{{ [s] * 1000000 }}"), T),
    "template append in 10**6 steps": (_template("{% set l = [] %}{% for i in range(1000) %}{% for j in range(1000) %}"
                                                 "{{ l.append('x' * 1000) or '' }}{% endfor %}{% endfor %}"), T),
    "template nested loops 10**12": (_template("{% for i in range(10000) %}{% for j in range(10000) %}"
                                               "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}"), T),
    "markup 200,000 elements": (_template("{% for i in range(5000) %}{% for j in range(40) %}<p>x</p>{% endfor %}"
                                          "{% endfor %}"), T),
    "markup 600 KB paragraph": (_template("<p>{{ 'word ' * 120000 }}</p>"), T),
    "markup 9,990 page breaks": (_template("<page-break/>" * 9990), T),
    "markup 4,900 pages of text": (_template("<p>a</p><page-break/>" * 4900), T),
    "program YAML billion laughs": ({"p.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))},
        ["build", "--program", "{d}/p.yaml", *FAST]),
    "program 3 GB file (sparse)": ({"big.yaml": None}, ["build", "--program", "{d}/big.yaml", *FAST]),
    "program a FIFO": ({"fifo.yaml": "fifo"}, ["build", "--program", "{d}/fifo.yaml", *FAST]),
    "program linked to /dev/zero": ({"zero.yaml": "zero"}, ["build", "--program", "{d}/zero.yaml", *FAST]),
    "XLSX claiming 10**6 x 16,384": ({"r.xlsx": "xlsx"}, ["batch", "{d}/r.xlsx", "--out-dir", "{d}/out", "--jobs",
                                                          "1", "--report", "{d}/r.json"]),
    "JSON roster 100,000 deep": ({"r.json": "[" * 100_000 + "]" * 100_000},
                                 ["batch", "{d}/r.json", "--out-dir", "{d}/out"]),
    "CSV roster 10,000 unknown columns": ({"r.csv": "patient,program," + ",".join(f"x{i}" for i in range(10_000))
                                           + "\nAnn,ir-desk-break\n"}, ["batch", "{d}/r.csv", "--out-dir", "{d}/out"]),
    "logo 30,000 x 30,000 px": ({"c.yaml": "name: C\nlogo: l.png\n", "l.png": "bomb"},
                                ["build", "--program", "ir-desk-break", "--clinic", "{d}/c.yaml", *FAST]),
    "SVG <use> 10**9 shapes": ({"c/exercises/seated-ir.yaml": _exercise_with("p.svg"), "c/exercises/p.svg":
                               SVG.format(_laughs())}, ["build", "--exercise", "seated-ir", "--content", "{d}/c", *FAST]),
    "SVG data: PNG of 100 MP": ({"c/exercises/seated-ir.yaml": _exercise_with("p.svg"), "c/exercises/p.svg": "svgpng"},
                                ["build", "--exercise", "seated-ir", "--content", "{d}/c", *FAST]),
    "--jobs 10000 on 4 rows": ({"r.csv": _roster(4)}, ["batch", "{d}/r.csv", "--out-dir", "{d}/out", "--jobs",
                                                       "10000"]),
    "--date 9999-12-31": ({}, ["build", "--program", "ir-desk-break", "--date", "9999-12-31", "--out", "{d}/a.pdf"]),
}


def _make(folder: Path, files: dict) -> None:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            with open(path, "wb") as handle:
                handle.truncate(3_000_000_000)
        elif content == "fifo":
            os.mkfifo(path)
        elif content == "zero":
            path.symlink_to("/dev/zero")
        elif content == "xlsx":
            _xlsx_claiming_a_million_rows(path)
        elif content == "bomb":
            from tests.cli.test_bad_inputs import png_claiming

            path.write_bytes(png_claiming(30_000, 30_000))
        elif content == "svgpng":
            data = base64.b64encode(_png(10_000, 10_000)).decode()
            path.write_text(SVG.format(f'<image width="10" height="10" xlink:href="data:image/png;base64,{data}"/>'))
        else:
            path.write_text(content, encoding="utf-8")


def measure(files: dict, args: list[str], runs: int) -> tuple[int, float, float, str]:
    best_s, best_mb, code, message = float("inf"), float("inf"), 0, ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            _make(folder, files)
            stats = folder / "time.txt"
            command = ["/usr/bin/time", "-o", str(stats), "-f", "%e %M", sys.executable, "-m", "handout",
                       *[a.replace("{d}", tmp) for a in args]]
            done = subprocess.run(command, capture_output=True, text=True, cwd=tmp,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
            seconds, kb = stats.read_text().split()[-2:]
            best_s, best_mb = min(best_s, float(seconds)), min(best_mb, int(kb) / 1024)
            code = done.returncode
            message = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or [""])[-1]
            message = message.replace(tmp, "")
    return code, best_s, best_mb, message


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'case':36} {'exit':>4} {'s':>6} {'MB':>6}  message")
    for name, (files, command) in CASES.items():
        code, seconds, mb, message = measure(files, command, args.runs)
        print(f"{name:36} {code:>4} {seconds:6.2f} {mb:6.0f}  {message[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
