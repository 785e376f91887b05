"""The ``<columns>`` tag (the article in normal print): blocks side by side that flow on
across pages, balanced on the page they end on.

ReportLab's BalancedColumns swaps the page's frames and ignores keepWithNext, so a heading
can end a column, and what it cannot split it shrinks; a table of cells cannot split at all.
This flowable fills the first column, then the next, splits a block only where it splits
itself (a paragraph between lines, with two lines or more on each side; a list between
items), keeps a heading with three lines of what follows, and balances the columns where
the text ends.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

BIG = 1e6
MIN_COLUMN_PT = 72  # a column narrower than an inch cannot hold a line of words


class FlowingColumns(Flowable):
    """``blocks`` in ``count`` columns ``gap`` points apart; ``line``: one line of body text."""

    kept_splits = True  # the same space gives the same parts: made once, labelled, so pages replay
    # (its blocks are held as ``_content``, so each document gets its own copies of them)

    def __init__(self, blocks: list, count: int, gap: float, line: float):
        super().__init__()
        self._content, self.count, self.gap, self.line = list(blocks), count, gap, line
        self._placed: list = []  # per column: [(flowable, y from the top)]

    def _col_width(self, width: float) -> float:
        return (width - self.gap * (self.count - 1)) / self.count

    def _fill(self, width: float, height: float) -> tuple[list, list]:
        """Columns of at most ``height`` points, and the blocks left over."""
        todo = list(self._content)
        columns = []
        for _ in range(self.count):
            placed, used = [], 0.0
            while todo:
                f = todo[0]
                before = f.getSpaceBefore() if placed else 0.0
                _, h = f.wrapOn(self.canv, width, BIG)
                keep = getattr(f, "getKeepWithNext", lambda: 0)() and len(todo) > 1
                need = h + (3 * self.line if keep else 0)
                if used + before + need <= height + 0.01:
                    placed.append((f, used + before))
                    used += before + h + f.getSpaceAfter()
                    todo.pop(0)
                    continue
                if keep or not hasattr(f, "split"):
                    break
                parts = self._split_block(f, width, height - used - before)
                if not parts:
                    break
                first = parts[0]
                _, h = first.wrapOn(self.canv, width, BIG)
                placed.append((first, used + before))
                used = height
                todo[0:1] = parts[1:]
                break
            columns.append(placed)
        return columns, todo

    def _split_block(self, f, width: float, space: float) -> list:
        """``f`` split to fit ``space``, with two lines or more on each side (no lone line
        ends or starts a column), or [] when it cannot be."""
        while space >= 2 * self.line - 1:
            parts = f.split(width, space)
            if len(parts) < 2:
                return []
            first_h = parts[0].wrapOn(self.canv, width, BIG)[1]
            rest_h = sum(p.wrapOn(self.canv, width, BIG)[1] for p in parts[1:])
            if first_h > space + 0.01 or first_h < 2 * self.line - 1:
                return []
            if rest_h >= 2 * self.line - 1:
                return parts
            space = first_h - self.line + 0.5  # one line less stays
        return []

    def _height_of(self, columns: list, width: float) -> float:
        tallest = 0.0
        for placed in columns:
            if placed:
                f, y = placed[-1]
                tallest = max(tallest, y + f.wrapOn(self.canv, width, BIG)[1])
        return tallest

    def wrap(self, avail_width, avail_height):
        width = self._col_width(avail_width)
        if width < MIN_COLUMN_PT:
            from reportlab.platypus.doctemplate import LayoutError

            trace = getattr(self, "_traceInfo", None)
            where = f"\n(srcFile {trace.srcFile}, line {trace.startLineNo})" if trace else ""
            raise LayoutError(f"columns {width:.0f} points wide{where}")
        columns, left = self._fill(width, BIG)
        total = self._height_of(columns, width)
        low, high = 0.0, total  # balance: the lowest height that holds it all
        for _ in range(16):
            mid = (low + high) / 2
            if self._fill(width, mid)[1]:
                low = mid
            else:
                high = mid
        if high > avail_height and not self._fill(width, avail_height)[1]:
            high = avail_height  # (splitting makes the search uneven: what fits, fits)
        self._placed, _ = self._fill(width, high)
        self.width, self.height = avail_width, self._height_of(self._placed, width)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        width = self._col_width(avail_width)
        columns, left = self._fill(width, avail_height)
        if not left:
            return [_Placed(columns, width, self.gap, self._height_of(columns, width))]
        if self._height_of(columns[:1], width) < 3 * self.line - 1:
            return []  # fewer than three lines would stay: all of it goes on
        done = _Placed(columns, self._col_width(avail_width), self.gap, self._height_of(columns, width))
        return [done, FlowingColumns(left, self.count, self.gap, self.line)]

    def draw(self):
        _draw(self.canv, self._placed, self._col_width(self.width), self.gap, self.height)


class _Placed(Flowable):
    """Columns already filled for one page."""

    def __init__(self, columns: list, col_width: float, gap: float, height: float):
        super().__init__()
        self.columns, self.col_width, self.gap, self.height = columns, col_width, gap, height

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return self.width, self.height

    def draw(self):
        _draw(self.canv, self.columns, self.col_width, self.gap, self.height)


def _draw(canv, columns: list, col_width: float, gap: float, height: float) -> None:
    for n, placed in enumerate(columns):
        x = n * (col_width + gap)
        for f, y in placed:
            _, h = f.wrapOn(canv, col_width, BIG)
            f.drawOn(canv, x, height - y - h)
