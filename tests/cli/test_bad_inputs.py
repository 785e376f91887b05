"""A catalogue of bad inputs: each is a clear error naming the file and the field or line,
with the right exit code, and leaves no PDF and no temporary file behind.

One table, ``CASES``: each record says which files to put in the input folder, the command
line (or API call), the exit code, and the pieces the message must hold. ``{in}`` and
``{out}`` in arguments and expected pieces stand for the input and output folders. A bomb
(a value, picture or document built to blow up) also names the memory it may use: the
limit that refuses it must fire before the thing is built. Runaway loops are bounded by
the step limit their message names; no case is timed (timings live in benchmarks/). Then a
few tests of their own: names that print exactly, output files (atomic replace, read-only
folder, full disk, links), and markup that reaches for files.
"""

from __future__ import annotations

import errno
import io
import os
import struct
import re
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from handout import HandoutRequest, build_handout
from handout.cli import cli
from handout.errors import ContentError, HandoutError, RequestError
from handout.export import files as files_module
from handout.export.files import TEMP_PREFIX, TEMP_SUFFIX
from handout.export.roster import read_roster
from handout.model.request import make_request
from handout.paths import bundled

from ..conftest import pdf_text

BUNDLED = bundled("content")
SEATED_IR = (BUNDLED / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
ARTICLE = (BUNDLED / "article" / "hip-internal-rotators.md").read_text(encoding="utf-8")
FAST = ("--article", "none", "--log-weeks", "0", "--date", "2026-11-25")


# --- inputs ---------------------------------------------------------------------------------

def program(items: str = "  - exercise: seated-ir\n") -> str:
    """A valid program file; the first item is on line 6, its dose on line 7."""
    return f"id: mine\ntitle: My program\naudience: Anyone\nwhy: Because it helps.\nitems:\n{items}"


def dose(line: str) -> str:
    """A program whose first item's dose has one field, on line 8."""
    return program(f"  - exercise: seated-ir\n    dose:\n      {line}\n")


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (no pixel data to speak of)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


def xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clinic_with_logo(name: str) -> str:
    return f"name: Test Clinic\nlogo: {name}\n"


SVG_REACHING_OUT = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                    b'width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>')
DOCTYPE_MARKUP = ('<?xml version="1.0"?>\n<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                  '<document title="x"><p>&secret;</p></document>\n')
ENTITY_BOMB = ('<!DOCTYPE document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
               '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
               '<document title="x"><p>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</p></document>\n')
NESTED_LOOPS = ("{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                "{% endfor %}{% endfor %}{% endfor %}\n<document title='x'/>\n")
ROSTER_HEAD = "patient,program,date,page_size,kind,exercises,output\n"


# --- the catalogue --------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]  # the command line; ``{in}``/``{out}`` are the input/output folders
    exit_code: int
    expect: tuple[str, ...]  # pieces of the message on stderr (file and field or line among them)
    files: dict[str, str | bytes | Callable[[], bytes]] = field(default_factory=dict)  # under {in}
    peak_mb: float | None = None  # for a bomb: the most memory (traced) the refusal may take


BOMB_MB = 20.0  # each bomb, built, would take hundreds of MB or more; refused, about 5 MB at most


def case(id, args, exit_code, expect, files=None, peak_mb=None) -> pytest.param:
    return pytest.param(Case(id, tuple(args), exit_code, tuple(expect), files or {}, peak_mb), id=id)


P = ("build", "--program", "{in}/program.yaml")
C = ("build", "--program", "ir-desk-break", "--clinic", "{in}/clinic.yaml")
K = ("build", "--program", "ir-desk-break", "--content", "{in}/content")
T = ("build", "--program", "ir-desk-break", "--templates", "{in}/tpl")
B = ("batch", "{in}/roster.csv")
X = ("batch", "{in}/roster.xlsx")
EX = "{in}/content/exercises/bad.yaml"
AR = "{in}/content/article/hip-internal-rotators.md"

CASES = [
    # a program file (--program FILE): empty, cut short, binary, and YAML's traps
    case("program-empty", P, 1, ["{in}/program.yaml:1:", "must be a mapping of fields, but the file is empty"],
         {"program.yaml": ""}),
    case("program-only-comments", P, 1, ["{in}/program.yaml:1:", "the file is empty"], {"program.yaml": "# nothing\n"}),
    case("program-truncated", P, 1, ["{in}/program.yaml:7:", "not valid YAML"],
         {"program.yaml": program("  - exercise: seated-ir\n    dose: {sets: 2,")}),
    case("program-binary", P, 1, ["{in}/program.yaml:", "binary file, not YAML"], {"program.yaml": png}),
    case("program-not-utf8", P, 1, ["{in}/program.yaml:2:", "not UTF-8 text (byte 0xe9)"],
         {"program.yaml": "id: mine\ntitle: Caf\xe9\n".encode("latin-1")}),
    case("program-control-character", P, 1, ["{in}/program.yaml:2:", "the control character U+0001 is not allowed"],
         {"program.yaml": "id: mine\ntitle: My \x01 program\n"}),
    case("program-tabs", P, 1, ["{in}/program.yaml:6:", "a tab character cannot indent YAML; use spaces"],
         {"program.yaml": program("\t- exercise: seated-ir\n")}),
    case("program-duplicate-key", P, 1, ["{in}/program.yaml:3:", "duplicate key 'title'"],
         {"program.yaml": "id: mine\ntitle: A\ntitle: B\n"}),
    case("program-billion-laughs", P, 1, ["{in}/program.yaml:2:", "YAML aliases (*name) are not allowed"],
         {"program.yaml": billion_laughs()}, peak_mb=BOMB_MB),
    case("program-merge-key", P, 1, ["{in}/program.yaml:3:", "merge keys (<<) are not allowed"],
         {"program.yaml": "base: &b {title: T}\nother:\n  <<: *b\n"}),
    case("program-nested-deep", P, 1, ["{in}/program.yaml", "nested more than 40 deep"],
         {"program.yaml": "items: " + "[" * 5000 + "]" * 5000 + "\n"}),
    case("program-too-large", P, 1, ["{in}/program.yaml", "too large (2,100,006 bytes; at most 2,000,000)"],
         {"program.yaml": "why: " + "x" * 2_100_000 + "\n"}, peak_mb=BOMB_MB),
    case("program-wrong-types", P, 1, ["3 problems", "{in}/program.yaml:2: title: must be text",
                                       "{in}/program.yaml:3: audience: must be text, got 5",
                                       '{in}/program.yaml:5: items: must be a list, got "nope"'],
         {"program.yaml": "id: mine\ntitle: [1, 2]\naudience: 5\nwhy: w\nitems: nope\n"}),
    case("program-missing-fields", P, 1, ["{in}/program.yaml:1: audience: is required but missing",
                                          "{in}/program.yaml:1: items: is required but missing"],
         {"program.yaml": "id: mine\ntitle: Mine\n"}),
    case("program-unknown-field", P, 1, ["{in}/program.yaml:7: colour: is not a known field"],
         {"program.yaml": program() + "colour: red\n"}),
    case("program-id-with-dots-and-slashes", P, 1, ["{in}/program.yaml:1: id: must use only lowercase letters"],
         {"program.yaml": program().replace("id: mine", "id: ../etc/pass.wd")}),
    case("program-unknown-exercise", P, 1, ['{in}/program.yaml:6: items[0].exercise: unknown exercise "seated-irr"',
                                            "did you mean seated-ir"],
         {"program.yaml": program("  - exercise: seated-irr\n")}),
    case("program-file-not-found", ("build", "--program", "{in}/nope.yaml"), 2,
         ["--program:", "{in}/nope.yaml\": no such program file"]),
    case("program-is-a-folder", ("build", "--program", "{in}/folder.yaml"), 1, ["{in}/folder.yaml: is a folder"],
         {"folder.yaml/keep": ""}),
    # doses in a program file: zero, negative, huge, fractional, a flag, a word
    case("dose-zero", P, 1, ["{in}/program.yaml:8: items[0].dose.sets: must be at least 1, got 0"],
         {"program.yaml": dose("sets: 0")}),
    case("dose-negative", P, 1, ["{in}/program.yaml:8: items[0].dose.reps: must be at least 1, got -5"],
         {"program.yaml": dose("reps: -5")}),
    case("dose-huge", P, 1, ["{in}/program.yaml:8: items[0].dose.hold_seconds: must be at most 300, got 10000000000"],
         {"program.yaml": dose("hold_seconds: 10000000000")}),
    case("dose-fractional", P, 1, ["{in}/program.yaml:8: items[0].dose.sets: must be a whole number", "got 2.5"],
         {"program.yaml": dose("sets: 2.5")}),
    case("dose-true", P, 1, ["{in}/program.yaml:8: items[0].dose.per_day: must be a whole number, got True"],
         {"program.yaml": dose("per_day: true")}),
    case("dose-word", P, 1, ['{in}/program.yaml:8: items[0].dose.sets: must be a whole number of at least 1, got "three"'],
         {"program.yaml": dose("sets: three")}),
    case("dose-infinite", P, 1, ["{in}/program.yaml:8: items[0].dose.reps: must be a whole number, got inf"],
         {"program.yaml": dose("reps: .inf")}),
    case("program-log-weeks-too-many", P, 1, ["{in}/program.yaml:7: log_weeks: must be at most 12, got 99"],
         {"program.yaml": program() + "log_weeks: 99\n"}),
    # doses and ids on the command line
    case("exercise-id-path", ("build", "--exercise", "../etc/passwd"), 2,
         ['--exercise: unknown exercise "../etc/passwd"', "choose from"]),
    case("exercise-id-absolute", ("build", "--exercise", "/etc/passwd"), 2, ['--exercise: unknown exercise "/etc/passwd"']),
    case("exercise-id-dots", ("build", "--exercise", "a.b"), 2, ['--exercise: unknown exercise "a.b"']),
    case("exercise-zero-sets", ("build", "--exercise", "seated-ir:0x10"), 2,
         ['--exercise: "seated-ir:0x10": sets must be at least 1, got 0']),
    case("exercise-zero-sets-unknown-id", ("build", "--exercise", "id:0x10"), 2, ['--exercise: "id:0x10": sets must be at least 1']),
    case("exercise-fractional-sets", ("build", "--exercise", "seated-ir:2.5x10"), 2,
         ['--exercise: "seated-ir:2.5x10": "2.5x10" is not a dose']),
    case("exercise-negative-sets", ("build", "--exercise", "seated-ir:-1x10"), 2,
         ['--exercise: "seated-ir:-1x10": "-1x10" is not a dose']),
    case("exercise-huge-reps", ("build", "--exercise", "seated-ir:2x1000"), 2,
         ['--exercise: "seated-ir:2x1000": reps must be at most 100']),
    case("exercise-enormous-number", ("build", "--exercise", "seated-ir:" + "9" * 5000 + "x1"), 2,
         ["--exercise:", "is not a dose"]),
    # dates, page and poster sizes that do not exist: bad usage
    case("date-feb-30", ("build", "--program", "ir-desk-break", "--date", "2026-02-30"), 2,
         ["--date", '"2026-02-30" is not a real date written YYYY-MM-DD']),
    case("date-month-13", ("build", "--program", "ir-desk-break", "--date", "2026-13-01"), 2, ["--date", "real date"]),
    case("page-size-a5", ("build", "--program", "ir-desk-break", "--page-size", "a5"), 2,
         ["--page-size", "'a5' is not one of 'letter', 'a4'"]),
    case("poster-size-b1", ("poster", "--program", "ir-mobility", "--size", "b1"), 2, ["--size", "'b1' is not one of"]),
    case("poster-program-empty", ("poster", "--program", "{in}/program.yaml"), 1,
         ["{in}/program.yaml:1:", "the file is empty"], {"program.yaml": ""}),
    case("poster-template-loops-for-ever", ("poster", "--program", "ir-mobility", "--templates", "{in}/tpl"), 1,
         ["{in}/tpl/poster.xml.j2:1:", "more than 1,000,000 loop steps"], {"tpl/poster.xml.j2": NESTED_LOOPS}),
    case("poster-viewing-distance-zero", ("poster", "--program", "ir-mobility", "--viewing-distance", "0"), 2,
         ["--viewing-distance"]),
    case("poster-overlap-without-tile", ("poster", "--program", "ir-mobility", "--overlap", "5"), 2,
         ["--overlap applies only with --tile"]),
    case("log-weeks-13", ("build", "--program", "ir-desk-break", "--log-weeks", "13"), 2, ["--log-weeks", "13"]),
    case("pain-limit-negative", ("build", "--program", "ir-desk-break", "--pain-limit", "-1"), 2, ["--pain-limit"]),
    # a clinic file (--clinic)
    case("clinic-empty", C, 1, ["{in}/clinic.yaml:1:", "the file is empty"], {"clinic.yaml": ""}),
    case("clinic-binary", C, 1, ["{in}/clinic.yaml:", "binary file, not YAML"], {"clinic.yaml": b"\0\1\2\3" * 64}),
    case("clinic-truncated", C, 1, ["{in}/clinic.yaml:2:", "not valid YAML"], {"clinic.yaml": 'name: X\nphone: "555'}),
    case("clinic-wrong-type", C, 1, ["{in}/clinic.yaml:1: name: must be text"], {"clinic.yaml": "name: [a, b]\n"}),
    case("clinic-unknown-field", C, 1, ["{in}/clinic.yaml:2: colour: is not a known field"],
         {"clinic.yaml": "name: X\ncolour: red\n"}),
    case("clinic-bad-colour", C, 1, ['{in}/clinic.yaml:2: brand_color: must be a colour written like #1F6F8B, got "red"'],
         {"clinic.yaml": "name: X\nbrand_color: red\n"}),
    case("clinic-control-character", C, 1, ["{in}/clinic.yaml:1: name: contains a control character, U+0007"],
         {"clinic.yaml": 'name: "Bell\\aClinic"\n'}),
    case("clinic-emoji", C, 1, ["clinic.name:", "U+1F3E5", "cannot be printed with the bundled font"],
         {"clinic.yaml": "name: Clinic \U0001F3E5\n"}),
    # a logo that is not an image, a pixel bomb, an SVG reaching out, a path that leaves the folder
    case("logo-not-an-image", C, 1, ['clinic logo "logo.png"', "not a readable picture"],
         {"clinic.yaml": clinic_with_logo("logo.png"), "logo.png": b"this is text, not a picture"}),
    case("logo-30000-pixels-square", C, 1, ['clinic logo "logo.png"', "too large"],
         {"clinic.yaml": clinic_with_logo("logo.png"), "logo.png": lambda: png_claiming(30_000, 30_000)},
         peak_mb=BOMB_MB),
    case("logo-cut-short", C, 1, ['clinic logo "logo.png"', "not a readable picture"],
         {"clinic.yaml": clinic_with_logo("logo.png"), "logo.png": lambda: png(400, 300)[:300]}),
    case("logo-svg-reaching-out", C, 1, ['clinic logo "logo.svg"', "must be a PNG or JPG picture, got SVG"],
         {"clinic.yaml": clinic_with_logo("logo.svg"), "logo.svg": SVG_REACHING_OUT}),
    case("logo-leaves-folder", C, 1,
         ['clinic logo "../../etc/passwd":', '"../../etc/passwd" must be a file name inside'],
         {"clinic.yaml": clinic_with_logo("../../etc/passwd")}),
    case("logo-absolute", C, 1, ['clinic logo "/etc/hostname":', '"/etc/hostname" must be a file name inside'],
         {"clinic.yaml": clinic_with_logo("/etc/hostname")}),
    case("logo-missing", C, 1, ['clinic logo "gone.png"', "not found"], {"clinic.yaml": clinic_with_logo("gone.png")}),
    # an exercise in a --content folder
    case("exercise-file-empty", K, 1, [EX + ":1:", "the file is empty"], {"content/exercises/bad.yaml": ""}),
    case("exercise-file-binary", K, 1, [EX + ":", "binary file, not YAML"], {"content/exercises/bad.yaml": png}),
    case("exercise-file-truncated", K, 1, [EX + ":", "not valid YAML"],
         {"content/exercises/bad.yaml": SEATED_IR.rstrip()[:-2]}),
    case("exercise-file-missing-fields", K, 1, [EX + ":1: name: is required but missing",
                                                EX + ":1: steps: is required but missing"],
         {"content/exercises/bad.yaml": "id: bad\n"}),
    case("exercise-file-wrong-type", K, 1, [EX + ":", 'steps: must be a list, got "do it"'],
         {"content/exercises/bad.yaml": SEATED_IR.replace("id: seated-ir", "id: bad").replace(
             "\nsteps:\n", '\nsteps: "do it"\nold_steps:\n')}),
    case("exercise-file-id-with-dots", K, 1, [EX + ":1: id: must use only lowercase letters"],
         {"content/exercises/bad.yaml": SEATED_IR.replace("id: seated-ir", "id: ../a.b")}),
    case("exercise-file-id-not-its-name", K, 1, [EX + ":1: id: must match the file name 'bad'"],
         {"content/exercises/bad.yaml": SEATED_IR}),
    case("exercise-image-leaves-folder", ("build", "--exercise", "seated-ir", "--content", "{in}/content"), 1,
         ['exercise seated-ir: image "../../../../etc/passwd"'],
         {"content/exercises/seated-ir.yaml": SEATED_IR[: SEATED_IR.index("figure:")] + "image: ../../../../etc/passwd\n"}),
    case("exercise-image-svg-reaching-out", ("build", "--exercise", "seated-ir", "--content", "{in}/content"), 1,
         ['exercise seated-ir: image "pic.svg": refers to "file:///etc/passwd" outside its folder'],
         {"content/exercises/seated-ir.yaml": SEATED_IR[: SEATED_IR.index("figure:")] + "image: pic.svg\n",
          "content/exercises/pic.svg": SVG_REACHING_OUT}),
    case("check-content-binary", ("check", "--content", "{in}/content"), 1, [EX + ": this is a binary file"],
         {"content/exercises/bad.yaml": b"\0\1\2"}),
    case("list-content-binary", ("list", "exercises", "--content", "{in}/content"), 1, [EX + ": this is a binary file"],
         {"content/exercises/bad.yaml": b"\0\1\2"}),
    case("content-folder-missing", ("build", "--program", "ir-desk-break", "--content", "{in}/nowhere"), 1,
         ["{in}/nowhere: content folder not found"]),
    case("templates-folder-missing", ("markup", "--program", "ir-desk-break", "--templates", "{in}/nowhere"), 1,
         ["{in}/nowhere: template folder not found"]),
    # the article (Markdown) in a --content folder
    case("article-empty", K, 1, [AR + ":1:", "must start with front matter"],
         {"content/article/hip-internal-rotators.md": ""}),
    case("article-binary", K, 1, [AR + ":", "binary file, not Markdown"],
         {"content/article/hip-internal-rotators.md": png}),
    case("article-truncated", K, 1, [AR + ":1:", "front matter has no closing '---' line"],
         {"content/article/hip-internal-rotators.md": ARTICLE[:300]}),
    case("article-not-utf8", K, 1, [AR + ":2:", "not UTF-8 text"],
         {"content/article/hip-internal-rotators.md": b"---\ntitle: Caf\xe9\n---\n"}),
    case("article-front-matter-incomplete", K, 1, [AR + ":2: summary: is required but missing"],
         {"content/article/hip-internal-rotators.md": "---\ntitle: T\nreviewed: 2026-01-05\nsources: [{id: A, title: B}]\n"
                                                      "---\n## One\nText.\n"}),
    # names in every alphabet: what the font cannot draw, and what should not be in a name
    case("name-right-to-left", ("build", "--program", "ir-desk-break", "--patient", "שרה לוי"), 1,
         ["patient: the character", "U+05E9", "cannot be printed"]),
    case("name-arabic", ("build", "--program", "ir-desk-break", "--patient", "سارة"), 1, ["patient:", "U+0633"]),
    case("name-emoji", ("build", "--program", "ir-desk-break", "--patient", "Sam \U0001F600"), 1, ["patient:", "U+1F600"]),
    case("name-zero-width-space", ("build", "--program", "ir-desk-break", "--patient", "Sam\u200bLee"), 2,
         ["--patient: contains an invisible formatting character, U+200B ZERO WIDTH SPACE"]),
    case("name-zero-width-joiner", ("build", "--program", "ir-desk-break", "--clinician", "Sam\u200dLee"), 2,
         ["--clinician: contains an invisible formatting character, U+200D"]),
    case("name-bidi-override", ("build", "--program", "ir-desk-break", "--patient", "Sam \u202eeeL"), 2,
         ["--patient: contains an invisible formatting character, U+202E RIGHT-TO-LEFT OVERRIDE"]),
    case("name-control-character", ("build", "--program", "ir-desk-break", "--patient", "Sam\x07Lee"), 2,
         ["--patient: contains a control character, U+0007"]),
    case("name-line-separator", ("build", "--program", "ir-desk-break", "--patient", "Sam\u2028Lee"), 2,
         ["--patient: contains a line break, U+2028"]),
    case("name-too-long", ("build", "--program", "ir-desk-break", "--patient", "A" * 201), 2,
         ["--patient: is too long (201 characters; at most 200)"]),
    # templates that loop for ever or build enormous output, and markup that declares entities
    case("template-loops-for-ever", T, 1, ["{in}/tpl/handout.xml.j2:1:", "went over a limit",
                                          "more than 1,000,000 loop steps"],
         {"tpl/handout.xml.j2": NESTED_LOOPS}),
    case("template-enormous-output", T, 1, ["{in}/tpl/handout.xml.j2", "more than 4,000,000 characters"],
         {"tpl/handout.xml.j2": "<document title='x'>{% for i in range(10000) %}<p>{{ 'x' * 999 }}</p>"
                                "{% endfor %}</document>"}, peak_mb=BOMB_MB),
    case("template-string-bomb", T, 1, ["{in}/tpl/handout.xml.j2:1:", "repeating a value with * would make 1,000,000,000"],
         {"tpl/handout.xml.j2": "<document title='x'>{{ 'x' * 1000000000 }}</document>"}, peak_mb=BOMB_MB),
    case("template-not-utf8", T, 1, ["{in}/tpl/handout.xml.j2", "not UTF-8 text"],
         {"tpl/handout.xml.j2": b"<document title='\xff'/>"}),
    case("markup-doctype-external-entity", T, 1, ["handout.xml.j2 (rendered markup):1:",
                                                  "a DOCTYPE or entity declaration is not allowed"],
         {"tpl/handout.xml.j2": DOCTYPE_MARKUP}),
    case("markup-entity-bomb", T, 1, ["handout.xml.j2 (rendered markup)", "DOCTYPE or entity declaration"],
         {"tpl/handout.xml.j2": ENTITY_BOMB}, peak_mb=BOMB_MB),
    case("markup-nested-too-deep", T, 1, ["handout.xml.j2 (rendered markup):1:", "<box> is nested more than 16"],
         {"tpl/handout.xml.j2": "<document title='x'>{% for i in range(30) %}<box kind='note'>{% endfor %}x"
                                "{% for i in range(30) %}</box>{% endfor %}</document>"}),
    case("markup-nested-past-libxml", T, 1, ["handout.xml.j2 (rendered markup):1:", "nested more than 16 deep"],
         {"tpl/handout.xml.j2": "<document title='x'>{% for i in range(300) %}<box kind='note'>{% endfor %}x"
                                "{% for i in range(300) %}</box>{% endfor %}</document>"}),
    case("markup-too-many-elements", T, 1, ["handout.xml.j2 (rendered markup)", "more than 10,000 elements"],
         {"tpl/handout.xml.j2": "<document title='x'>{% for i in range(5000) %}{% for j in range(40) %}<p>x</p>"
                                "{% endfor %}{% endfor %}</document>"}, peak_mb=BOMB_MB),
    case("markup-columns-too-narrow", T, 1, ["handout.xml.j2 (rendered markup):1: <columns>: cannot be laid out"],
         {"tpl/handout.xml.j2": "<document title='x'>{% for i in range(5) %}<columns count='3'>{% endfor %}<p>x</p>"
                                "{% for i in range(5) %}</columns>{% endfor %}</document>"}),
    case("markup-qr-too-long", T, 1, ["handout.xml.j2 (rendered markup):1: <qr>: the address is too long for a QR code"],
         {"tpl/handout.xml.j2": "<document title='x'><qr value=\"https://example.org/{{ 'x' * 2300 }}\"/></document>"}),
    case("markup-long-bad-attribute", T, 1,
         ["handout.xml.j2 (rendered markup):1:", '<qr value="xxxxxxxxxx', '...">: must be a web address'],
         {"tpl/handout.xml.j2": "<document title='x'><qr value=\"{{ 'x' * 5000 }}\"/></document>"}),
    case("markup-undefined-entity", T, 1, ["handout.xml.j2 (rendered markup):1:", "not well-formed markup",
                                           "Entity 'nbsp' not defined"],
         {"tpl/handout.xml.j2": "<document title='x'><p>a&nbsp;b</p></document>"}),
]

ROSTER_CASES = [
    # a roster (handout batch): empty, binary, cut short; then bad rows naming row and column
    case("roster-csv-empty", B, 1, ["{in}/roster.csv:", "the file is empty"], {"roster.csv": ""}),
    case("roster-csv-header-only", B, 1, ["{in}/roster.csv:", "has a header but no rows"], {"roster.csv": ROSTER_HEAD}),
    case("roster-csv-binary", B, 1, ["{in}/roster.csv:", "is not a text file"], {"roster.csv": png}),
    case("roster-csv-is-a-workbook", B, 1, ["{in}/roster.csv:", "is an Excel workbook"],
         {"roster.csv": lambda: xlsx([["patient", "program"], ["A", "ir-mobility"]])}),
    case("roster-csv-truncated", B, 1, ["{in}/roster.csv", "row 2"],
         {"roster.csv": ROSTER_HEAD + 'Ann,ir-mobility,2026-11-25,a4,handout,"seated-ir:2x'}),
    case("roster-csv-not-utf8", B, 1, ["{in}/roster.csv", "is not UTF-8 text (row 2: byte 0x81)", "--encoding"],
         {"roster.csv": (ROSTER_HEAD).encode() + b"Zo\x81,ir-mobility,,,,,\n"}),
    case("roster-csv-unknown-column", B, 1, ["{in}/roster.csv:1:", 'unknown column "patiant"', "did you mean patient"],
         {"roster.csv": "patiant,program\nAnn,ir-mobility\n"}),
    case("roster-date-feb-30", B, 1, ["{in}/roster.csv row 2: date:", '"2026-02-30"'],
         {"roster.csv": ROSTER_HEAD + "Ann,ir-mobility,2026-02-30,,,,\n"}),
    case("roster-page-size-a5", B, 1, ["row 2: page_size:", "not a handout page size"],
         {"roster.csv": ROSTER_HEAD + "Ann,ir-mobility,,a5,,,\n"}),
    case("roster-poster-size-b1", B, 1, ["row 2: page_size:", "not a poster size"],
         {"roster.csv": ROSTER_HEAD + ",ir-mobility,,b1,poster,,\n"}),
    case("roster-zero-sets", B, 1, ["row 2: exercises:", "seated-ir:0x10"],
         {"roster.csv": ROSTER_HEAD + "Ann,ir-mobility,,,,seated-ir:0x10,\n"}),
    case("roster-output-leaves-folder", B, 1, ["row 2: output:", '".."'],
         {"roster.csv": ROSTER_HEAD + "Ann,ir-mobility,,,,,../../escape.pdf\n"}),
    case("roster-output-absolute", B, 1, ["row 2: output:", "absolute path"],
         {"roster.csv": ROSTER_HEAD + "Ann,ir-mobility,,,,,/tmp/escape.pdf\n"}),
    case("roster-name-emoji", B, 1, ["row 2: patient:", "U+1F600"],
         {"roster.csv": ROSTER_HEAD + "Sam \U0001F600,ir-mobility,,,,,\n"}),
    case("roster-name-zero-width", B, 1, ["row 2: patient:", "U+200B"],
         {"roster.csv": ROSTER_HEAD + "Sam\u200bLee,ir-mobility,,,,,\n"}),
    case("roster-xlsx-empty-file", X, 1, ["{in}/roster.xlsx:", "empty"], {"roster.xlsx": ""}),
    case("roster-xlsx-binary", X, 1, ["{in}/roster.xlsx:", "not a readable Excel workbook"],
         {"roster.xlsx": b"\x89PNG not a workbook" * 50}),
    case("roster-xlsx-truncated", X, 1, ["{in}/roster.xlsx:", "cut short or damaged"],
         {"roster.xlsx": lambda: xlsx([["patient", "program"], ["Ann", "ir-mobility"]])[:1500]}),
    case("roster-xlsx-bad-date", X, 1, ["{in}/roster.xlsx row 2: date:"],
         {"roster.xlsx": lambda: xlsx([["patient", "program", "date"], ["Ann", "ir-mobility", "2026-02-30"]])}),
]


def _fill(text: str, inputs: Path, outputs: Path) -> str:
    return text.replace("{in}", str(inputs)).replace("{out}", str(outputs))


def _write_inputs(inputs: Path, files: dict) -> None:
    for rel, content in files.items():
        path = inputs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content() if callable(content) else content
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)


def _with_output(args: list[str], out: Path, inputs: Path) -> list[str]:
    """Send every command's output into ``out`` (the batch's report beside the inputs)."""
    if args[0] in ("build", "poster") and "--out" not in args:
        args = args + ["--out", str(out / f"{args[0]}.pdf")]
    if args[0] == "build":  # small and fast, unless the case sets these itself
        for option, value in zip(FAST[::2], FAST[1::2]):
            if option not in args:
                args += [option, value]
    if args[0] == "batch":
        args = args + ["--out-dir", str(out), "--report", str(inputs / "report.json"), "--jobs", "1"]
    return args


def leftovers(folder: Path) -> list[str]:
    """Temporary files (``.handout-*.part``) anywhere under ``folder``."""
    return sorted(str(p) for p in folder.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def outputs_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def run_case(c: Case, tmp_path: Path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    _write_inputs(inputs, c.files)
    args = _with_output([_fill(a, inputs, out) for a in c.args], out, inputs)
    if c.peak_mb is None:
        return CliRunner().invoke(cli, args), inputs, out, None
    tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, inputs, out, peak


def check_case(c: Case, tmp_path: Path) -> None:
    result, inputs, out, peak = run_case(c, tmp_path)
    message = result.stderr + (result.stdout if c.args[0] == "check" else "")  # check reports on stdout
    assert result.exit_code == c.exit_code, f"{c.id}: exit {result.exit_code}\n{message}{result.output}"
    assert isinstance(result.exception, SystemExit) or result.exception is None, repr(result.exception)
    assert "Traceback" not in message
    for piece in c.expect:
        assert _fill(piece, inputs, out) in message, f"{c.id}: {_fill(piece, inputs, out)!r} not in:\n{message}"
    if c.peak_mb is not None:
        assert peak < c.peak_mb * 1e6, f"{c.id} took {peak / 1e6:.1f} MB to refuse"
    assert outputs_in(out) == [], f"{c.id} left output files"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("c", CASES)
def test_bad_input_is_a_clear_error_and_leaves_nothing(c: Case, tmp_path):
    check_case(c, tmp_path)


@pytest.mark.parametrize("c", ROSTER_CASES)
def test_bad_roster_is_a_clear_error_and_makes_no_pdf(c: Case, tmp_path):
    check_case(c, tmp_path)


PLACE = re.compile(r"\{in\}/|\.j2\b|^--|(^|\s)[a-z_]+(\.[a-z_]+|\[\d+\])*:( |$)|row \d+|clinic logo|image \"")


def names_a_place(c: Case) -> bool:
    """Whether one of the pieces a case expects names where the problem is: an input file,
    a template, an option, a field (``patient:``, ``items[0].dose.sets:``) or a row."""
    return any(PLACE.search(piece) for piece in c.expect)


def test_every_case_expects_a_message_that_names_the_place():
    cases = [p.values[0] for p in CASES + ROSTER_CASES]
    assert [(c.id, c.expect) for c in cases if not names_a_place(c)] == []
    assert not names_a_place(Case("vague", P, 1, ("something went wrong", "must be at least 1")))
    assert len({c.id for c in cases}) == len(cases)  # and no two cases share an id


# --- the same checks through the Python API -------------------------------------------------

API_CASES = [
    pytest.param(lambda d: make_request(HandoutRequest, program="ir-mobility", page_size="a5"), RequestError,
                 ["page_size: must be one of 'letter' or 'a4'"], id="api-page-size-a5"),
    pytest.param(lambda d: make_request(HandoutRequest, program="ir-mobility", log_weeks=True), RequestError,
                 ["log_weeks: must be a whole number"], id="api-log-weeks-true"),
    pytest.param(lambda d: build_handout(HandoutRequest(program=str(d / "program.yaml"))), ContentError,
                 ["program.yaml:8: items[0].dose.sets: must be at least 1, got 0"], id="api-dose-zero"),
    pytest.param(lambda d: build_handout(HandoutRequest(exercises=["seated-ir:0x10"])), RequestError,
                 ["exercise:", "sets must be at least 1"], id="api-exercise-zero-sets"),
    pytest.param(lambda d: read_roster(d / "empty.csv"), ContentError, ["empty.csv", "the file is empty"],
                 id="api-roster-empty"),
]


@pytest.mark.parametrize("call, error, expect", API_CASES)
def test_bad_input_through_the_api(call, error, expect, tmp_path):
    (tmp_path / "program.yaml").write_text(dose("sets: 0"), encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(error) as caught:
        call(tmp_path)
    for piece in expect:
        assert piece in str(caught.value)


# --- names: printed exactly, or a clear error naming the field ---------------------------------

@pytest.mark.parametrize("name", [
    "Zoë Ünal", "Nguyễn Thị Minh Khai", "Дмитрий Иванов", "Αλέξανδρος", "Łukasz Żółć", "İpek Şahin",
    "Zoe\u0308 (combining diaeresis)",  # becomes the precomposed ë (NFC)
    "q\u0307 and e\u0301\u0323",  # marks with no precomposed letter stay as typed
    "O'Brien & <Sons>",
])
def test_names_print_exactly_as_typed_after_nfc(name, tmp_path):
    import unicodedata

    data = build_handout(HandoutRequest(program="ir-desk-break", patient=name, article="none", log_weeks=0))
    assert unicodedata.normalize("NFC", name) in unicodedata.normalize("NFC", pdf_text(data))


# --- output files ---------------------------------------------------------------------------

def build_args(out: Path, *extra: str) -> list[str]:
    return ["build", "--program", "ir-desk-break", *FAST, "--out", str(out), *extra]


def test_a_failed_build_leaves_the_existing_file_byte_identical(tmp_path):
    out = tmp_path / "out" / "zoe.pdf"
    assert CliRunner().invoke(cli, build_args(out, "--patient", "Zoë")).exit_code == 0
    before = out.read_bytes()
    result = CliRunner().invoke(cli, build_args(out, "--patient", "Zoë \U0001F600", "--force"))
    assert result.exit_code == 1 and "U+1F600" in result.stderr  # even --force keeps it when the build fails
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == [] and outputs_in(tmp_path / "out") == ["zoe.pdf"]


def test_a_good_build_replaces_the_file_atomically(tmp_path, monkeypatch):
    """With --force (without it, an existing file stops the build: see test_cli)."""
    out = tmp_path / "zoe.pdf"
    out.write_bytes(b"old")
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((Path(src).name, Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert CliRunner().invoke(cli, build_args(out, "--force")).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    [(temp_name, target)] = replaced
    assert temp_name.startswith(TEMP_PREFIX) and temp_name.endswith(TEMP_SUFFIX) and target == out
    assert leftovers(tmp_path) == []


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_a_read_only_output_folder_is_permission_denied(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    if _as_root():  # root writes through chmod 0o555, so make the rename itself refuse
        def refuse(src, dst):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))

        monkeypatch.setattr(os, "replace", refuse)
    else:
        folder.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, build_args(folder / "x.pdf"))
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1, result.stderr
    assert "permission denied" in result.stderr and str(folder / "x.pdf") in result.stderr
    assert "Traceback" not in result.stderr
    assert outputs_in(folder) == [] and leftovers(tmp_path) == []


def test_an_output_path_under_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    result = CliRunner().invoke(cli, build_args(tmp_path / "notes.txt" / "x.pdf"))
    assert result.exit_code == 1 and "cannot write" in result.stderr and "notes.txt" in result.stderr
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_a_clear_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files_module.os, "fsync", full)
    out = tmp_path / "out" / "x.pdf"
    result = CliRunner().invoke(cli, build_args(out))
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and str(out) in result.stderr
    assert outputs_in(tmp_path / "out") == [] and leftovers(tmp_path) == []


def test_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"%PDF- the old one")
    monkeypatch.setattr(files_module.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    assert CliRunner().invoke(cli, build_args(out)).exit_code == 1
    assert out.read_bytes() == b"%PDF- the old one" and leftovers(tmp_path) == []


def test_an_output_that_is_a_symbolic_link_is_refused(tmp_path):
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"not yours")
    link = tmp_path / "out" / "x.pdf"
    link.parent.mkdir()
    link.symlink_to(target)
    result = CliRunner().invoke(cli, build_args(link))
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert target.read_bytes() == b"not yours" and leftovers(tmp_path) == []


def test_a_default_name_never_leaves_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for patient in ("../../evil", "/etc/passwd", "..", "a/b\\c", "CON"):
        result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", *FAST, "--patient", patient])
        assert result.exit_code == 0, result.stderr
    names = outputs_in(tmp_path)
    assert all(n.startswith("output/") and "/" not in n[len("output/"):] for n in names), names
    assert not (tmp_path.parent / "evil-ir-desk-break-2026-11-25.pdf").exists()


def test_a_default_name_that_is_a_link_out_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").mkdir()
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"keep me")
    (tmp_path / "output" / "zoe-ir-desk-break-2026-11-25.pdf").symlink_to(outside)
    result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", *FAST, "--patient", "Zoe"])
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert outside.read_bytes() == b"keep me"


def test_roster_output_cells_and_links_stay_in_the_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere")
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program,date,output\nAnn,ir-desk-break,2026-11-25,link/ann.pdf\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(out), "--jobs", "1",
                                      "--report", str(tmp_path / "report.json")])
    assert result.exit_code == 1
    assert list((tmp_path / "elsewhere").iterdir()) == [] and leftovers(tmp_path) == []


# --- odd but valid markup builds, all of it (each of these once failed, hung or lied) ------

LONG_WORD, LONG_TEXT = "A" * 500, "a b c " * 300
LONG = LONG_WORD + "abc" * 300  # the long heading's text, spaces and line breaks taken out
ODD_MARKUP = [  # the body, the text the PDF must hold (spaces aside), the most pages it may take
    pytest.param(f"<h1>{LONG_WORD} {LONG_TEXT}</h1>", [LONG], 3, id="heading-taller-than-a-page-last"),  # hung
    pytest.param(f"<h1>first</h1><h2>{LONG_WORD} {LONG_TEXT}</h2><p>after</p>", ["first" + LONG + "after"], 3,
                 id="heading-split-across-pages"),
    pytest.param("<h2>starts at h2</h2><h3>then h3</h3>", ["startsath2thenh3"], 1,
                 id="heading-levels-skipped"),  # outline ValueError
    pytest.param("<table><tr><td><keep-together><p>kept in a cell</p></keep-together></td></tr></table><p>end</p>",
                 ["keptinacellend"], 1, id="keep-together-in-cell"),
    pytest.param("<box><log><li>a row</li></log></box><p>end</p>", ["1arow", "Week1", "Painduring", "end"], 1,
                 id="log-in-box"),
    pytest.param("<exercise number='1' name='the card'><keep-together><p>kept in a card</p></keep-together>"
                 "</exercise><p>end</p>", ["1thecard", "keptinacard", "end"], 1,
                 id="keep-together-in-card"),  # AttributeError while drawing
    pytest.param("<p>before</p><columns></columns><table></table><table><tr></tr></table><p>after</p>",
                 ["beforeafter"], 1, id="empty-columns-and-tables"),
    pytest.param("<table widths='0 0'><tr><td>left</td><td>right</td></tr></table>", ["leftright"], 1,
                 id="table-widths-zero"),
    pytest.param("<table widths='-1 nan'><tr><td>left</td><td>right</td></tr></table>", ["leftright"], 1,
                 id="table-widths-negative-nan"),
]


@pytest.mark.parametrize("body, holds, most_pages", ODD_MARKUP)
def test_odd_markup_still_builds(body, holds, most_pages, tmp_path):
    from pypdf import PdfReader

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "handout.xml.j2").write_text(f"<document title='x'>{body}</document>", encoding="utf-8")
    result = CliRunner().invoke(cli, build_args(tmp_path / "x.pdf", "--templates", str(folder)))
    assert result.exit_code == 0, result.stderr
    data = (tmp_path / "x.pdf").read_bytes()
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert 1 <= pages <= most_pages
    text, headers = re.subn(rf"page\d+of{pages}Deskbreakforyourhips", "", "".join(pdf_text(data).split()))
    assert headers == pages  # the running header on every page; the body is what is left
    for piece in holds:
        assert piece in text, f"{piece[:40]!r} not in {text[:300]!r}"


def test_a_heading_split_across_pages_is_bookmarked_once(tmp_path):
    from pypdf import PdfReader

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "handout.xml.j2").write_text(f"<document title='x'><h1>{LONG_WORD} {LONG_TEXT}</h1><p>x</p>"
                                           "</document>", encoding="utf-8")
    assert CliRunner().invoke(cli, build_args(tmp_path / "x.pdf", "--templates", str(folder))).exit_code == 0
    reader = PdfReader(tmp_path / "x.pdf")
    assert len(reader.pages) >= 2 and len(reader.outline) == 1


# --- the article's raw HTML and entities are text, never markup --------------------------------

def test_article_raw_html_doctype_and_entities_print_as_text(tmp_path):
    content = tmp_path / "content" / "article"
    content.mkdir(parents=True)
    head, _, _ = ARTICLE.partition("\n## ")
    (content / "hip-internal-rotators.md").write_text(
        head + '\n## Tricks\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e; <script>alert(1)</script>\n',
        encoding="utf-8")
    data = build_handout(HandoutRequest(program="ir-desk-break", content_dirs=(str(tmp_path / "content"),),
                                        article="full", log_weeks=0))
    text = pdf_text(data)
    assert "<!DOCTYPE x" in text and "&e;" in text and "<script>" in text
    assert "root:" not in text


def test_a_poster_template_too_narrow_to_lay_out_is_a_layout_error(tmp_path):
    folder = tmp_path / "tpl" / "partials"
    folder.mkdir(parents=True)
    (folder / "poster-footer.xml.j2").write_text(
        "<p>foot</p>{% for i in range(5) %}<columns count='3'>{% endfor %}<p>x</p>"
        "{% for i in range(5) %}</columns>{% endfor %}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["poster", "--program", "ir-mobility", "--templates", str(tmp_path / "tpl"),
                                      "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "poster.xml.j2" in result.stderr and "cannot be laid out" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.pdf").exists()


def test_an_internal_error_is_one_line_and_debug_shows_it(tmp_path, monkeypatch):
    from handout.pipeline import handout as pipeline

    def broken(request, library=None):
        raise ValueError("boom\nmore lines")

    monkeypatch.setattr(pipeline, "build_handout_document", broken)
    result = CliRunner().invoke(cli, build_args(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("error: internal error (ValueError: boom); run 'handout --debug ...' to see where, "
                             "and please report it\n")
    result = CliRunner().invoke(cli, ["--debug", *build_args(tmp_path / "x.pdf")])
    assert isinstance(result.exception, ValueError)
    assert not (tmp_path / "x.pdf").exists()


def test_every_catalogue_error_is_a_handout_error_with_debug(tmp_path):
    """--debug shows the real exception (a HandoutError), not a wrapped one."""
    (tmp_path / "program.yaml").write_text(dose("sets: 0"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--debug", "build", "--program", str(tmp_path / "program.yaml"),
                                      "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and isinstance(result.exception, HandoutError)
