"""What makes two PDFs of the same inputs the same bytes, and every reader read them alike:
font subsets tagged by their content, and dates from ``SOURCE_DATE_EPOCH`` or the document.

ReportLab's ``invariant`` mode fixes the file identifier and stamps 1 January 2000 on every
file; it names the first subset of every font ``AAAAAA+``. Both stay reproducible here, and
become true: a subset's tag comes from its characters, a handout's date is its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from reportlab.pdfbase.pdfdoc import PDFName
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap


def subset_tag(face: bytes, subset: list[int]) -> str:
    """Six capital letters derived from a subset's font and characters (in order): the same
    subset always gets the same tag, two different ones (almost) never do."""
    digest = hashlib.sha256(face + b"|" + ",".join(map(str, subset)).encode("ascii")).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


class TaggedTTFont(TTFont):
    """A TrueType font whose subsets are tagged by their content, not numbered.

    With numbered tags a tiled poster (the poster's subsets beside the sheets' own) holds
    different subsets under one name, and printers or merging tools that key fonts by name
    can draw wrong glyphs. A tag from the subset's characters keeps names unique within a
    file and the same from run to run.
    """

    def addObjects(self, doc):  # noqa: N802 (ReportLab's name)
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name, subset in zip(names, subsets):
            font = fonts[name]
            tagged = f"{subset_tag(self.face.name, subset)}+{font.BaseFont.split('+', 1)[1]}"
            font.BaseFont = tagged
            doc.idToObject[font.FontDescriptor.name].dict["FontName"] = PDFName(tagged)
            doc.idToObject[font.ToUnicode.name].content = makeToUnicodeCMap(tagged, subset)


def stamp_date(canvas, date: dt.date | None) -> None:
    """Date the PDF on ``canvas``: ``SOURCE_DATE_EPOCH`` when set (ReportLab reads it itself),
    else midnight UTC of the document's own ``date``; with neither, ReportLab's fixed date."""
    if date is None or os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return
    stamp = f"D:{date.year:04d}{date.month:02d}{date.day:02d}000000+00'00'"
    canvas.setDateFormatter(lambda *when: stamp)  # CreationDate and ModDate alike
