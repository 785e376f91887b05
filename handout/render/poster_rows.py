"""How the poster's panels share the page: rows of panels, each as wide as its figure needs.

Figures differ in shape: a seated person is taller than wide, a side-lying one 2.5 times wider
than tall. Panels of one size would leave most of a wide figure's panel blank (or a tall
one's), so the rows share the grid's height evenly and, within a row, each panel takes the
width its figure and steps need. A figure's box has the figure's own shape (``aspect``, its
drawn width over height), so what is drawn fills the box, and it sits above the steps or
beside them, whichever needs the narrower panel.

A row gives its figures one drawn area, the largest its width allows; width left over lets
each figure grow in turn, then widens panels while the figure still fills at least
``MIN_SHARE`` of its panel, and what remains centres the row. Text is measured at widths
rounded down to half a body size, so the search wraps each paragraph at few widths and the
drawn text (at the real, wider width) is never taller than measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .poster_theme import GAP_U, PAD_U, TEXT_GAP_U, stack_height

MIN_SHARE = 0.5  # the figure's geometry in its panel; its drawn ink (strokes round it) covers a little more
QUANTUM_U = 0.5  # text widths are measured on a grid of this many body sizes
WIDEST_Q = 1200  # the staircase reaches 600 body sizes: wider than any poster at any distance
SEARCH_STEPS = 12
ROW_STEPS = 5


@dataclass(frozen=True)
class PanelBox:
    """Where one panel goes: its box in the grid, and inside it (origin bottom left) the
    figure's box and the steps' column."""

    x: float
    y: float
    w: float
    h: float
    bar_h: float
    band_h: float
    side: bool  # the figure left of the steps, not above them
    figure: tuple[float, float, float, float]  # (x, y, w, h)
    text: tuple[float, float, float]  # (x, top, width)


@dataclass(frozen=True)
class Arrangement:
    """The grid: columns x rows and every panel's place; ``area`` is the smallest figure's
    drawn area (pt2), what the choice of grid maximises."""

    cols: int
    rows: int
    boxes: tuple[PanelBox, ...]
    area: float
    empty: int  # cells of the last row left empty


class Measure:
    """The panels' text heights by width, and the figures' shapes.

    The steps are measured on a grid of widths (``QUANTUM_U`` body sizes), rounded down.
    Type, indents and spacing are all multiples of the body size, so the steps' height in
    body sizes at a width in body sizes is the same at every viewing distance: ``memo``
    keeps it for the whole search over distances (one build), keyed by the steps' text.
    """

    def __init__(self, panels: list, unit: float, badge_h: float, shapes: list[tuple[float, float]],
                 memo: dict | None = None):
        self.panels, self.u, self.badge_h = panels, unit, badge_h
        self.aspects = [aspect for aspect, _ in shapes]
        self.fills = [fill for _, fill in shapes]
        self.q = unit * QUANTUM_U
        self.p = unit * PAD_U
        self.memo = {} if memo is None else memo
        self._heights: dict = {}
        self._levels = [self.memo.get(("steps", p.key)) or self.memo.setdefault(("steps", p.key), self._steps(i))
                        for i, p in enumerate(panels)]

    def height(self, which: str, i: int, width: float) -> float:
        """The height of the panel's ``which`` ("title", "body", "dose") at ``width``, rounded
        down onto the grid."""
        k = max(1, math.floor(width / self.q + 1e-9))
        if which == "body":
            return self._body(i, k)
        key = (which, i, k)
        if key not in self._heights:
            panel = self.panels[i]
            if which == "title":
                h = max(stack_height([panel.title], k * self.q - panel.badge_w), self.badge_h)
            else:
                h = stack_height(getattr(panel, which), k * self.q)
            self._heights[key] = h
        return self._heights[key]

    def _body(self, i: int, k: int) -> float:
        key = (self.panels[i].key, k)
        if key not in self.memo:
            self.memo[key] = stack_height(self.panels[i].body, k * self.q) / self.u
        return self.memo[key] * self.u

    def _steps(self, i: int, top: int = WIDEST_Q) -> list[tuple[int, float]]:
        """The steps' height in body sizes as a staircase over the grid: (first k, height)
        from the narrowest width their longest word allows up to ``top``, heights falling."""
        lo = max(1, math.ceil(self.panels[i].min_body_w / self.q - 1e-9))
        if top < lo:
            return []
        out = [(lo, self._body(i, lo) / self.u)]

        def split(a: int, b: int) -> None:  # the height at a is known and differs from b's
            if b - a == 1:
                out.append((b, self._body(i, b) / self.u))
                return
            mid = (a + b) // 2
            if self._body(i, mid) != self._body(i, a):
                split(a, mid)
            if self._body(i, b) != self._body(i, mid):
                split(mid, b)

        if self._body(i, top) != self._body(i, lo):
            split(lo, top)
        return out

    def text_w(self, i: int, room: float, widest: float) -> float | None:
        """The narrowest width (on the grid) at which the steps fit ``room`` high, at most
        ``widest``; None when they do not fit even there."""
        hi = math.floor(widest / self.q + 1e-9)
        for k, h in self._levels[i]:
            if k > hi:
                return None
            if h * self.u <= room:
                return k * self.q
        return None

    def bar_h(self, i: int, w: float) -> float:
        return self.height("title", i, w - 2 * self.p) + 2 * self.p

    def band_h(self, i: int, w: float) -> float:
        dose = self.height("dose", i, w - 2 * self.p) if self.panels[i].dose else 0.0
        return dose + 2 * self.p if dose else 0.0

    def min_w(self, i: int) -> float:
        panel = self.panels[i]
        return max(panel.min_title_w, panel.min_dose_w) + 2 * self.p

    def box(self, i: int, area: float) -> tuple[float, float]:
        """The figure's box (width, height) for an ink ``area``."""
        r, fill = self.aspects[i], self.fills[i]
        return math.sqrt(area / fill * r), math.sqrt(area / fill / r)

    def need(self, i: int, area: float, room: float, widest: float) -> tuple[float, bool]:
        """(width, side): the narrowest panel giving figure ``i`` the ink ``area`` in a
        figure room ``room`` high, and whether its figure goes beside the steps."""
        p, gap = self.p, self.u * TEXT_GAP_U
        fig_w, fig_h = self.box(i, area)
        best = (math.inf, False)
        if fig_h > room:
            return best
        beside = self.text_w(i, room, widest - fig_w - 3 * p)
        if beside is not None:
            best = (3 * p + fig_w + beside, True)
        if room - gap - fig_h > 0:
            under = self.text_w(i, room - gap - fig_h, widest - 2 * p)
            if under is not None and 2 * p + max(fig_w, under) <= best[0]:
                best = (2 * p + max(fig_w, under), False)
        return (max(best[0], self.min_w(i)), best[1])


def arrange_row(m: Measure, items: list[int], width: float, height: float, grow: bool = False) -> tuple | None:
    """Each panel of a row ``width`` x ``height`` as (width, side, area, bar, band, room), the
    width left over, and how far the figures are from ``MIN_SHARE`` of their panels (1 or
    more: they fill it); None when the text does not fit. ``grow``: each figure then grows
    into the width left, as long as it keeps its share."""
    gap = m.u * GAP_U
    room_w = width - gap * (len(items) - 1)
    widths = [room_w / len(items)] * len(items)
    bar = band = 0.0
    for _ in range(4):  # the title bar and dose band as tall as the row's tallest, at its widths
        new_bar = max(bar, *(m.bar_h(i, w) for i, w in zip(items, widths)))
        new_band = max(band, *(m.band_h(i, w) for i, w in zip(items, widths)))
        if (new_bar, new_band) == (bar, band):
            break
        bar, band = new_bar, new_band
        room = height - bar - m.p - m.u * TEXT_GAP_U - band
        if room <= 0:
            return None
        area = _largest(lambda a, room=room: sum(m.need(i, a, room, room_w)[0] for i in items) <= room_w,
                        min(m.fills[i] * m.aspects[i] for i in items) * room * room)
        if area is None:
            return None
        fits = [m.need(i, area, room, room_w) for i in items]
        widths = [w for w, _ in fits]
    else:
        return None
    areas = [area] * len(items)
    left = room_w - sum(widths)
    filled = min(a / (MIN_SHARE * w * height) for a, w in zip(areas, widths))
    for share in ((len(items), 1) if grow and filled >= 1 else ()):  # its part of the width left, then any
        for k, i in enumerate(items):
            allowed = widths[k] + left / share
            grown = _largest(lambda a, i=i, allowed=allowed: m.need(i, a, room, room_w)[0] <= allowed,
                             m.fills[i] * m.aspects[i] * room * room,
                             areas[k])
            new_w, side = m.need(i, grown, room, room_w) if grown else (0, False)
            if grown and grown > areas[k] and grown >= MIN_SHARE * new_w * height:
                left -= new_w - widths[k]
                widths[k], areas[k], fits[k] = new_w, grown, (new_w, side)
    for k in range(len(items)):  # then wider panels, while the figure keeps its share
        extra = min(left / (len(items) - k), max(0.0, areas[k] / (MIN_SHARE * height) - widths[k]))
        widths[k] += extra
        left -= extra
    return [(w, side, a, bar, band, room) for w, (_, side), a in zip(widths, fits, areas)], left, filled


def fit_row(m: Measure, items: list[int], width: float, height: float) -> float | None:
    """The tallest height up to ``height`` at which the row's figures fill their share: lower
    when they are as wide as the row allows (then a panel is blank above and below)."""
    last = None
    for _ in range(ROW_STEPS):
        row = arrange_row(m, items, width, height)
        if row is None:
            return None
        if row[2] >= 1:
            return height
        if last is not None and row[2] <= last[1]:  # the text, not the width, holds them back
            return None
        last = (height, row[2])
        height *= row[2] * 0.999
    return None


def lowest_row(m: Measure, items: list[int], width: float, height: float) -> float | None:
    """The lowest height (within ``ROW_STEPS`` halvings) at which the row's text fits and its
    figures fill their share, searching below ``height``."""
    hi = fit_row(m, items, width, height)
    if hi is None:
        return None
    lo = 0.0
    for _ in range(ROW_STEPS):
        mid = (lo + hi) / 2
        row = arrange_row(m, items, width, mid)
        if row is not None and row[2] >= 1:
            hi = mid
        else:
            lo = mid
    return hi


def _largest(ok, high: float, low: float = 0.0) -> float | None:
    """The largest value in (``low``, ``high``] for which ``ok`` holds (it holds below a
    point and fails above it), or None (``low`` when ``low`` > 0) if none does."""
    if ok(high):
        return high
    lo, hi = low, high
    for _ in range(SEARCH_STEPS):
        mid = (lo + hi) / 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    if lo == 0.0:
        return None
    return lo


def row_splits(n: int, columns: int | None) -> list[tuple[int, ...]]:
    """The ways to put ``n`` panels in rows, in order: ``columns`` a row when the template
    fixes it, else every split whose rows differ by at most two panels."""
    if columns:
        return [tuple(min(columns, n - start) for start in range(0, n, columns))]
    out = []

    def split(left: int, rows: tuple[int, ...]) -> None:
        if not left:
            if max(rows) - min(rows) <= 2:
                out.append(rows)
            return
        for size in range(1, left + 1):
            split(left - size, rows + (size,))

    split(n, ())
    return out


def best_grid(m: Measure, columns: int | None, width: float, height: float, tries: int = 3) -> Arrangement | None:
    """The arrangement with the biggest smallest figure among the row splits. Each row's
    lowest height is found once; the splits whose rows fit are ranked by the figures they
    promise, and the best ``tries`` of them are arranged in full."""
    n, gap = len(m.panels), m.u * GAP_U
    lows: dict = {}

    def low(a: int, b: int):
        if (a, b) not in lows:
            items = list(range(a, b))
            h = lowest_row(m, items, width, height)
            lows[a, b] = None if h is None else (h, min(x[2] for x in arrange_row(m, items, width, h)[0]))
        return lows[a, b]

    ranked = []
    for sizes in row_splits(n, columns):
        starts = [sum(sizes[:r]) for r in range(len(sizes))]
        found = [low(a, a + size) for a, size in zip(starts, sizes)]
        room = height - gap * (len(sizes) - 1)
        if all(found) and sum(h for h, _ in found) <= room:
            promise = (room / sum(h / math.sqrt(area) for h, area in found)) ** 2  # see arrange_grid
            rows = [list(range(a, a + size)) for a, size in zip(starts, sizes)]
            ranked.append((-promise, len(sizes), sizes, rows, found))
    best = None
    for *_, rows, heights in sorted(ranked)[:tries]:
        a = arrange_grid(m, rows, heights, width, height)
        if best is None or _better(a, best):
            best = a
    return best


def _better(a: Arrangement, b: Arrangement) -> bool:
    """Bigger figures win; within 2 %, fewer empty cells, then fewer rows."""
    if abs(a.area - b.area) > 0.02 * max(a.area, b.area):
        return a.area > b.area
    return (a.empty, a.rows) < (b.empty, b.rows)


def arrange_grid(m: Measure, rows: list[list[int]], lows: list[tuple[float, float]], width: float,
                 height: float) -> Arrangement:
    """The panels in these rows (a short row centred). ``lows``: each row's lowest height at
    which its figures fill their share, and its smallest figure's area there. The height
    left over goes where the smallest figures are, so that (taking a figure's area to grow
    with the square of its row's height) the rows' smallest figures come out alike, as far
    as each row's figures can use it (a row of wide figures stays short); what remains
    spaces the rows."""
    n, gap = len(m.panels), m.u * GAP_U
    room = height - gap * (len(rows) - 1)
    heights = [h for h, _ in lows]
    reach = [h / math.sqrt(area) for h, area in lows]  # height per root of area
    growing = set(range(len(rows)))
    for _ in range(3):
        total = room - sum(h for r, h in enumerate(heights) if r not in growing)
        if total - sum(heights[r] for r in growing) <= 1e-6 * room:
            break
        root = _largest(lambda x, total=total: sum(max(heights[r], reach[r] * x) for r in growing) <= total,
                        total / min(reach[r] for r in growing))
        for r in sorted(growing):
            want = max(heights[r], reach[r] * (root or 0.0))
            got = fit_row(m, rows[r], width, want) or heights[r]
            if got < want * (1 - 1e-6):
                growing.discard(r)
            heights[r] = max(got, heights[r])
        if not growing:
            break
    spare = room - sum(heights)
    spacing = gap + (spare / (len(rows) - 1) if len(rows) > 1 else 0.0)
    y = height - (spare / 2 if len(rows) == 1 else 0.0)
    boxes = []
    for row, ph in zip(rows, heights):
        panels, left, _ = arrange_row(m, row, width, ph, grow=True)
        y -= ph
        x = left / 2
        for w, side, area, bar, band, fig_room in panels:
            boxes.append(_place(m, len(boxes), x, y, w, ph, side, area, bar, band, fig_room))
            x += w + gap
        y -= spacing
    cols = max(len(row) for row in rows)
    return Arrangement(cols, len(rows), tuple(boxes), min(b.figure[2] * b.figure[3] for b in boxes),
                       cols * len(rows) - n)


def _place(m: Measure, i: int, x, y, w, h, side, area, bar, band, room) -> PanelBox:
    """One panel's box, and its figure's and steps' places inside it: the figure centred in
    the room beside the steps, or above them (the steps then sit on the dose band)."""
    p, gap = m.p, m.u * TEXT_GAP_U
    fig_w, fig_h = m.box(i, area)
    top, bottom = h - bar - p, band + gap  # the room for figure and steps
    if side:
        figure = (p, bottom + (room - fig_h) / 2, fig_w, fig_h)
        text = (2 * p + fig_w, top, w - 3 * p - fig_w)
    else:
        text_h = m.height("body", i, w - 2 * p)
        above = room - text_h - (gap if text_h else 0)
        figure = ((w - fig_w) / 2, top - above + (above - fig_h) / 2, fig_w, fig_h)
        text = (p, bottom + text_h, w - 2 * p)
    return PanelBox(x, y, w, h, bar, band, side, figure, text)
