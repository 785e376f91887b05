"""Colours of a figure, from the clinic's brand colour; a grey-scale variant for laser printers.

Grey-scale keeps every distinction as lightness, never only as hue: the start pose is a near
white ghost, the working limb of the end pose the darkest fill (over 60 levels of 255 apart),
far limbs a shade darker than near ones (in shadow, never as pale as the ghost), the arrow
near black.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def mix(a: str, b: str, t: float) -> str:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(tuple(x + (y - x) * t for x, y in zip(ra, rb)))


def grey(hex_colour: str) -> str:
    """The same lightness as a neutral grey (Rec. 709 luma)."""
    r, g, b = _rgb(hex_colour)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return _hex((y, y, y))


def luminance(hex_colour: str) -> float:
    return _rgb(grey(hex_colour))[0]


WHITE = "#FFFFFF"


@dataclass(frozen=True)
class FigureStyle:
    """All colours of a figure as ``#RRGGBB``; frozen and hashable, so figures can be cached."""

    ink: str = "#1C2A33"  # outlines of the end pose
    accent: str = "#1F6F8B"  # the clinic's colour: arrow, working-hip patch
    body: str = "#A5C5D1"  # end pose, near limbs and trunk
    body_far: str = "#8FB7C5"  # end pose, far limbs: a shade darker, in shadow
    pelvis: str = "#79A9B9"  # end pose, pelvis (shorts), so the hips read at a glance
    work: str = "#41859C"  # end pose, the limb that works: the darkest fill
    pale: str = "#F4F8F9"  # start pose fill: a ghost
    pale_ink: str = "#1C647D"  # start pose outline, dashed: dark enough to survive a grey card
    arrow: str = "#1F6F8B"
    prop: str = "#E6E8EA"  # props: fill
    prop_ink: str = "#A2A9AF"  # props: outline, floor line
    band: str = "#2E3A42"
    greyscale: bool = False

    def __post_init__(self):
        for name, value in self.__dict__.items():
            if name != "greyscale" and not _HEX.match(value):
                raise ValueError(f"FigureStyle.{name} must be a colour like #1F6F8B, got {value!r}")

    @classmethod
    def from_brand(cls, brand_hex: str, greyscale: bool = False) -> "FigureStyle":
        """Colours derived from one brand colour (kept dark enough to read as an arrow)."""
        if not _HEX.match(brand_hex or ""):
            raise ValueError(f"brand colour must look like #1F6F8B, got {brand_hex!r}")
        accent = brand_hex.upper()
        while luminance(accent) > 0.45:  # a pale brand colour still needs a visible arrow
            accent = mix(accent, "#000000", 0.15)
        style = cls(
            accent=accent,
            body=mix(accent, WHITE, 0.60),
            body_far=mix(accent, WHITE, 0.50),
            pelvis=mix(accent, WHITE, 0.40),
            work=mix(accent, WHITE, 0.15),
            pale=mix(accent, WHITE, 0.95),
            pale_ink=mix(accent, "#000000", 0.10),
            arrow=accent,
        )
        return style.as_greyscale() if greyscale else style

    def as_greyscale(self) -> "FigureStyle":
        """Lightness only: near white start, mid-grey end, dark working limb, black ink and arrow."""
        return replace(self, ink="#111111", accent="#555555", body="#B8B8B8", body_far="#A4A4A4",
                       pelvis="#8E8E8E", work="#6A6A6A", pale="#F8F8F8", pale_ink="#4A4A4A",
                       arrow="#111111", prop="#E8E8E8", prop_ink="#A8A8A8", band="#2A2A2A",
                       greyscale=True)
