"""A clinician's own picture instead of pose data: PNG or JPG (raster), or SVG (vectors).

In: the exercise id, the file name from its YAML (relative to the exercise's folder) and
the box size. Out: a Flowable exactly that size, the picture scaled to fit and centred.
Every way a file can be wrong (missing, unreadable, too large, an SVG reaching for other
files) is a FigureError naming the exercise and the file. Pillow's decompression-bomb
check stays on, and its warning counts as an error here.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from lxml import etree
from PIL import Image as PILImage
from reportlab.graphics.shapes import Drawing, Group
from reportlab.platypus import Flowable, Image

from ..errors import FigureError

MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_SVG_ELEMENTS = 100_000  # shapes drawn, every <use> expanded
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)""")
_XLINK = "{http://www.w3.org/1999/xlink}href"


def _fail(exercise_id: str, name: str, problem: str) -> FigureError:
    return FigureError(f'exercise {exercise_id}: image "{name}": {problem}')


def resolve(exercise_id: str, name: str, base_dir: Path | None) -> Path:
    """The picture's path: a file inside the exercise's folder, never outside it."""
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", name):
        raise _fail(exercise_id, name, "must be a file name inside the exercise's folder")
    if base_dir is None:
        raise _fail(exercise_id, name, "the exercise's folder is not known, so the file cannot be found")
    folder = Path(base_dir).resolve()
    path = (folder / rel).resolve()
    if not path.is_relative_to(folder):
        raise _fail(exercise_id, name, "must be a file name inside the exercise's folder")
    if not path.is_file():
        raise _fail(exercise_id, name, f"file not found in {folder}")
    return path


def _read(exercise_id: str, name: str, path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise _fail(exercise_id, name, f"file is {size / 1e6:.0f} MB; the limit is {MAX_IMAGE_BYTES // 1_000_000} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(exercise_id, name, f"cannot be read ({exc.strerror or exc})") from None


class FittedImage(Image):
    """A raster picture scaled to fit a box, centred in it; wraps to the whole box."""

    def __init__(self, data: bytes, box_width: float, box_height: float, pixels: tuple[int, int]):
        scale = min(box_width / pixels[0], box_height / pixels[1])
        super().__init__(io.BytesIO(data), width=pixels[0] * scale, height=pixels[1] * scale)
        self.box = (box_width, box_height)
        self._offs_x = (box_width - self.drawWidth) / 2
        self._offs_y = (box_height - self.drawHeight) / 2

    def wrap(self, avail_width, avail_height):
        return self.box


def raster_flowable(exercise_id: str, name: str, path: Path, width_pt: float, height_pt: float) -> Flowable:
    data = _read(exercise_id, name, path)
    pixels = _decode_checked(exercise_id, name, data, "the picture", path.suffix.lower())
    return FittedImage(data, width_pt, height_pt, pixels)


def _check_references(exercise_id: str, name: str, root, folder: Path) -> None:
    """Refuse references to files outside the SVG's folder, and any URL but data: and #id."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        refs = [v for k, v in element.attrib.items() if k in ("href", _XLINK) or k.endswith("}href")]
        for attr in ("style",):
            refs += _CSS_URL.findall(element.get(attr, ""))
        if element.tag.endswith("style") and element.text:
            refs += _CSS_URL.findall(element.text)
            if "@import" in element.text:
                raise _fail(exercise_id, name, "uses CSS @import; put the style inside the file")
        for ref in refs:
            ref = ref.strip()
            if not ref or ref.startswith("#") or ref.startswith("data:"):
                continue
            parsed = urlparse(ref)
            target = (folder / parsed.path).resolve() if not (parsed.scheme or parsed.netloc) else None
            if target is None or ".." in PurePosixPath(parsed.path).parts or not target.is_relative_to(folder):
                raise _fail(exercise_id, name, f'refers to "{ref[:80]}" outside its folder; '
                            "embed the picture in the SVG or keep it next to it")


def _expanded_size(exercise_id: str, name: str, root) -> int:
    """Elements the SVG draws once every <use> is expanded; a cycle or a blow-up is an error."""
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    sizes: dict[int, tuple[object, int]] = {}  # by id; the element is kept so lxml reuses its proxy
    active: set[int] = set()

    def size(element) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key][1]
        if key in active:
            raise _fail(exercise_id, name, f'has a <use> that refers back to itself (#{element.get("id", "")})')
        active.add(key)
        total = 1 + sum(size(child) for child in element if isinstance(child.tag, str))
        if element.tag.endswith("}use") or element.tag == "use":
            ref = (element.get(_XLINK) or element.get("href") or "").strip()
            target = ids.get(ref[1:]) if ref.startswith("#") else None
            total += size(target) if target is not None else 0
        active.discard(key)
        if total > MAX_SVG_ELEMENTS:
            raise _fail(exercise_id, name, f"draws more than {MAX_SVG_ELEMENTS:,} shapes once its <use> "
                                           "references are expanded")
        sizes[key] = (element, total)
        return total

    try:
        return size(root)
    except RecursionError:
        raise _fail(exercise_id, name, "nests its elements or <use> references too deep") from None


def _check_embedded(exercise_id: str, name: str, root) -> None:
    """Pictures inside the SVG as data: URIs go through the same pixel limit as files, decoded fully."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        ref = (element.get(_XLINK) or element.get("href") or "").strip()
        if not ref.startswith("data:") or ";base64," not in ref[:100]:
            continue
        try:
            data = base64.b64decode(ref.split(",", 1)[1], validate=False)
        except ValueError:
            raise _fail(exercise_id, name, "embeds a picture that is not valid base64") from None
        _decode_checked(exercise_id, name, data, "embeds a picture that")


def _decode_checked(exercise_id: str, name: str, data: bytes, what: str,
                    suffix: str | None = None) -> tuple[int, int]:
    """Open and fully decode a raster picture under the pixel limit; Pillow's bomb warning is an error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as im:
                pixels = im.size
                if suffix is not None and im.format != RASTER[suffix]:
                    raise _fail(exercise_id, name, f"is not a {suffix[1:].upper()} picture (found {im.format})")
                if pixels[0] * pixels[1] > MAX_IMAGE_PIXELS:
                    raise _fail(exercise_id, name, f"{what} is {pixels[0]} x {pixels[1]} pixels; the limit is "
                                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels")
                im.load()
                return pixels
    except FigureError:
        raise
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise _fail(exercise_id, name, f"{what} has too many pixels to open safely") from None
    except (OSError, SyntaxError, ValueError, MemoryError) as exc:
        raise _fail(exercise_id, name, f"{what} is not a readable picture ({exc})") from None


def svg_flowable(exercise_id: str, name: str, path: Path, width_pt: float, height_pt: float) -> Drawing:
    from svglib.svglib import SvgRenderer

    data = _read(exercise_id, name, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.parse(io.BytesIO(data), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise _fail(exercise_id, name, f"is not a readable SVG file ({exc})") from None
    if root is None or not isinstance(root.tag, str) or not root.tag.endswith("svg"):
        raise _fail(exercise_id, name, "is not an SVG file (its first element is not <svg>)")
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        raise _fail(exercise_id, name, "declares a DTD or entities, which are not allowed")
    _check_references(exercise_id, name, root, path.parent.resolve())
    _expanded_size(exercise_id, name, root)
    _check_embedded(exercise_id, name, root)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = SvgRenderer(str(path), external_reference_root=str(path.parent.resolve())).render(root)
            if not picture or not picture.width or not picture.height:
                raise _fail(exercise_id, name, "has no size (give the <svg> a width and height or a viewBox)")
            # fit the picture's own box, grown to anything drawn outside it, so nothing leaves ours
            content = Group(*picture.contents)
            x0, y0, x1, y1 = content.getBounds() if picture.contents else (0, 0, picture.width, picture.height)
    except FigureError:
        raise
    except Exception as exc:  # svglib raises many kinds on odd input
        raise _fail(exercise_id, name, f"could not be drawn ({type(exc).__name__}: {exc})") from None
    x0, y0, x1, y1 = min(x0, 0), min(y0, 0), max(x1, picture.width), max(y1, picture.height)
    scale = min(width_pt / (x1 - x0), height_pt / (y1 - y0))
    dx = (width_pt - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (height_pt - (y1 - y0) * scale) / 2 - y0 * scale
    drawing = Drawing(width_pt, height_pt)
    content.transform = (scale, 0, 0, scale, dx, dy)
    drawing.add(content)
    return drawing


def image_flowable(exercise_id: str, name: str, base_dir: Path | None, width_pt: float,
                   height_pt: float) -> Flowable:
    """The named picture as a Flowable exactly ``width_pt`` x ``height_pt``."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in RASTER and suffix != ".svg":
        raise _fail(exercise_id, name, "must be a .png, .jpg or .svg file")
    path = resolve(exercise_id, name, base_dir)
    if suffix == ".svg":
        return svg_flowable(exercise_id, name, path, width_pt, height_pt)
    return raster_flowable(exercise_id, name, path, width_pt, height_pt)
