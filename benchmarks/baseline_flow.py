"""The baseline's own flowables for space, boxes and the log, written for it in plain
ReportLab: space dropped at a page top, boxes that split only with three lines on each
side, and a log that puts as many whole weeks on a page as fit, in one table."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, ListFlowable, Spacer, Table


class Gap(Spacer):
    """Space dropped at the top of a page and cut to what is left at the bottom."""

    def wrap(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:
            return self.width, 0
        return self.width, max(0, min(self.height, avail_height))


class Box(Table):
    """A table of rows that splits only where three body lines stay on each side."""

    line = 0.0
    title = 0.0

    def split(self, availWidth, availHeight):  # noqa: N803
        need, height = 3 * self.line - 1, availHeight
        while height > 0:
            parts = super().split(availWidth, height)
            if len(parts) != 2 or not self.line:
                return parts
            first, rest = parts
            first_h, rest_h = first.wrap(availWidth, 1e6)[1], rest.wrap(availWidth, 1e6)[1]
            if first_h - self.title < need:
                return []
            if rest_h >= need:
                for part in parts:
                    part.line, part.title = self.line, self.title if part is first else 0.0
                return parts
            height = first_h - 1
        return []


class Log(Flowable):
    """Head, then on each page the legend, one table of the whole weeks that fit, the phone line."""

    def __init__(self, head, legend, table, weeks, call, first=0):
        super().__init__()
        self.head, self.legend, self.table, self.weeks, self.call, self.first = head, legend, table, weeks, call, first
        self.log_head = head
        self._tables = {}

    def _parts(self, count):
        if count not in self._tables:
            self._tables[count] = self.table(self.weeks[:count], self.first)
        return list(self.head) + [self.legend, self._tables[count]] + list(self.call)

    def _height(self, parts, width):
        return sum(f.wrapOn(self.canv, width, 1e6)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if n else 0)
                   for n, f in enumerate(parts))

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self._height(self._parts(len(self.weeks)), avail_width)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        count = len(self.weeks)
        while count and self._height(self._parts(count), avail_width) > avail_height:
            count -= 1
        frame = getattr(self, "_frame", None)
        if not count and not (frame is not None and frame._atTop):
            return []
        count = max(count, 1)
        rest = self.weeks[count:]
        return self._parts(count) + ([Log([], self.legend, self.table, rest, self.call, self.first + count)]
                                     if rest else [])

    def draw(self):
        y = self.height
        for n, f in enumerate(self._parts(len(self.weeks))):
            y -= f.getSpaceBefore() if n else 0
            y -= f.wrapOn(self.canv, self.width, 1e6)[1]
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


class WeekLabel(Flowable):
    """"Week 2", turned a quarter, up the side of its days."""

    def __init__(self, text, font, size, color):
        super().__init__()
        self.text, self.font, self.size, self.color = text, font, size, color

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.size * 1.1, stringWidth(self.text, self.font, self.size)
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.color)
        canv.setFont(self.font, self.size)
        canv.rotate(90)
        canv.drawString(0, -self.size * 0.85, self.text)
        canv.restoreState()


class KeptList(ListFlowable):
    """A list split only between items, with three lines on each side."""

    line = 0.0

    def split(self, availWidth, availHeight):  # noqa: N803
        items = list(self._content)
        heights = [f.wrap(availWidth, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in items]
        count, used = 0, 0.0
        while count < len(items) and used + heights[count] <= availHeight:
            used += heights[count]
            count += 1
        if count == len(items):
            return items
        need = 3 * self.line - 1
        while count and sum(heights[count:]) < need:
            count -= 1
            used -= heights[count]
        if not count or used < need:
            return []
        return items[:count] + [CondPageBreak(1e6)] + items[count:]
