"""Every kind of PDF handout makes, read by third-party readers from Debian besides pypdf and
pdfium: qpdf checks the structure, poppler's pdffonts lists the fonts (embedded, subset tags
unique within the file and derived from content), pdftotext reads the words back. The same
inputs give the same bytes; the dates are the document's own, or SOURCE_DATE_EPOCH's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handout.cli import cli

TOOLS = ("qpdf", "pdffonts", "pdftotext")
needs_tools = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS),
                                 reason="qpdf and poppler-utils are not installed (.ci/run installs them)")
FAST = ("--article", "none", "--log-weeks", "1", "--date", "2026-11-25")
KINDS = {  # kind: (command line writing {out}, the file, words the text must hold)
    "handout": (["build", "--program", "ir-mobility", "--patient", "Zoë Ünal", "--date", "2026-11-25"],
                "handout.pdf", ["Zoë Ünal", "Gentle hip turning moves"]),
    "large-print": (["build", "--program", "ir-desk-break", "--large-print", *FAST], "handout.pdf", ["Sit"]),
    "compact": (["build", "--program", "ir-mobility", "--layout", "compact", *FAST], "handout.pdf", ["Week"]),
    "poster": (["poster", "--program", "ir-mobility", "--size", "a2"], "poster.pdf", ["Hip turning moves"]),
    "tiles": (["poster", "--program", "ir-mobility", "--size", "a2", "--tile", "letter"], "poster-tiled-letter.pdf",
              ["row 1, column 1", "Hip turning moves"]),
    "review-sheet": (["figures"], "figures.pdf", ["seated-ir"]),
}


def build(kind: str, folder: Path, env: dict | None = None) -> bytes:
    args, name, _ = KINDS[kind]
    target = folder / ("poster.pdf" if args[0] == "poster" else name)
    result = CliRunner(env=env).invoke(cli, [*args, "--out", str(target)])
    assert result.exit_code == 0, result.output
    return (folder / name).read_bytes()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for kind in KINDS:
        folder = tmp_path_factory.mktemp(kind)
        build(kind, folder)
        out[kind] = folder / KINDS[kind][1]
    return out


def fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded) for every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [(line.split()[0], line.split()[-5]) for line in lines[2:]]


@needs_tools
@pytest.mark.parametrize("kind", list(KINDS))
def test_qpdf_finds_no_fault(kind, made):
    done = subprocess.run(["qpdf", "--check", str(made[kind])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


@needs_tools
@pytest.mark.parametrize("kind", list(KINDS))
def test_pdffonts_lists_embedded_subsets_with_unique_content_tags(kind, made):
    found = fonts(made[kind])
    names = [name for name, _ in found]
    assert found and all(embedded == "yes" for _, embedded in found)
    assert all(re.fullmatch(r"[A-Z]{6}\+NotoSans-(Regular|Bold|Italic)", n) for n in names), names
    assert len(set(names)) == len(names), names  # a tiled poster holds its own subsets beside the poster's
    assert not any(n.startswith("AAAAAA+") for n in names)
    if kind == "tiles":
        assert len(names) >= 4


@needs_tools
@pytest.mark.parametrize("kind", list(KINDS))
def test_pdftotext_reads_the_words_back(kind, made):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(made[kind]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in KINDS[kind][2]:
        assert words in " ".join(text.split()), words


def test_a_handout_is_dated_by_its_own_date_or_source_date_epoch(made, tmp_path):
    info = PdfReader(made["handout"]).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261125000000+00'00'"
    assert info["/Author"] == ""  # no clinic: never "Your clinic"
    stamped = build("handout", tmp_path, env={"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01 00:00 UTC
    assert PdfReader(tmp_path / "handout.pdf").metadata["/CreationDate"] == "D:20260101000000+00'00'"
    assert stamped != made["handout"].read_bytes()


def test_the_author_is_the_clinic_when_there_is_one(tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Harbour Physio\n", encoding="utf-8")
    for command in (["build", *FAST], ["poster", "--size", "a3"]):
        result = CliRunner().invoke(cli, [*command, "--program", "ir-desk-break", "--clinic", str(clinic),
                                          "--out", str(tmp_path / "a.pdf")])
        assert result.exit_code == 0, result.output
        assert PdfReader(tmp_path / "a.pdf").metadata["/Author"] == "Harbour Physio"


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_same_inputs_give_the_same_bytes_and_tags(kind, made, tmp_path):
    assert build(kind, tmp_path) == made[kind].read_bytes()


@needs_tools
def test_subset_tags_follow_the_characters_in_the_subset(tmp_path):
    """Two handouts whose names need different letters beyond ASCII hold different second
    subsets of the regular font, so those get different tags; the ASCII subsets agree."""
    tags = []
    for name in ("Zoë Ünal", "Łukasz Żak"):
        path = tmp_path / f"{len(tags)}.pdf"
        result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", *FAST, "--patient", name,
                                          "--out", str(path)])
        assert result.exit_code == 0, result.output
        tags.append({n for n, _ in fonts(path)})
    assert tags[0] != tags[1] and tags[0] & tags[1]  # the subsets that differ, and those shared
