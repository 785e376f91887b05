"""The poster page: a program on a wall poster, previewed, downloaded whole or tiled.

    GET  /poster                 the page
    POST /api/poster/preview     form JSON -> the poster as PNG, how far it reads, the command
    POST /api/poster/pdf         form JSON -> the poster PDF (the bytes ``handout poster`` makes)
    POST /api/poster/tiled       form JSON -> the poster on office sheets (``--tile``)
"""

from __future__ import annotations

import shlex

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import HandoutError, LayoutError, RequestError
from ..export.job import default_output, tiled_output
from ..model.request import PosterRequest, make_request
from ..pipeline.poster import PosterBuilt, build_poster_document, sized
from ..pipeline.poster_size import metres
from ..model.poster_sizes import POSTER_SIZES_PT, SIZE_LABELS, poster_size_key
from ..tiling import OVERLAP_MM, tile
from .shared import AppState, Refused, download, error_field, form_json, from_scratch, guarded, page_urls
from .preview import POSTER_WIDTH_PX

TILE_SHEETS = ("letter", "a4")
FIELD_OF = {"viewing_distance_m": "viewing_distance", "exercise": "program", "size": "size"}


def read_poster_form(state: dict, defaults) -> tuple[PosterRequest | None, dict[str, str], list[str]]:
    """The poster form into the request ``handout poster`` makes, the same command, or messages."""
    errors: dict[str, str] = {}
    text = {k: str(state.get(k) or "").strip() for k in ("program", "size", "viewing_distance", "qr", "tile",
                                                           "overlap")}
    size = poster_size_key(text["size"] or "a1")
    if size is None:
        errors["size"] = (f"'{text['size'][:40]}' is not one of the poster sizes: use one of "
                          f"{', '.join(POSTER_SIZES_PT)}")
    fields = {"program": text["program"] or None, "size": size or "a1", "landscape": bool(state.get("landscape")),
              "fit": bool(state.get("fit")), "greyscale": bool(state.get("greyscale")), "qr": text["qr"] or None,
              "viewing_distance_m": text["viewing_distance"] or None}
    if not fields["program"]:
        errors["program"] = "choose a program"
    for name in ("qr", "viewing_distance_m"):
        try:
            make_request(PosterRequest, **{name: fields[name]})
        except RequestError as exc:
            errors[FIELD_OF.get(name, name)] = exc.raw
    if text["tile"] and text["tile"] not in TILE_SHEETS:
        errors["tile"] = f"tiles go on {' or '.join(TILE_SHEETS)} sheets"
    if text["overlap"]:
        try:
            overlap = float(text["overlap"])
            if not 0 <= overlap <= 50:
                raise ValueError
        except ValueError:
            errors["overlap"] = f'"{text["overlap"][:20]}" is not a number of millimetres from 0 to 50'
    if errors:
        return None, errors, []
    request = make_request(PosterRequest, clinic=defaults.clinic, content_dirs=defaults.content_dirs,
                           template_dirs=defaults.template_dirs, **fields)
    return request, errors, _command(request, text)


def _command(request: PosterRequest, text: dict) -> list[str]:
    args = ["handout", "poster", "--program", request.program, "--size", request.size]
    args += ["--landscape"] * request.landscape
    if request.viewing_distance_m is not None:
        args += ["--viewing-distance", f"{request.viewing_distance_m:g}"]
    args += ["--fit"] * request.fit
    if request.qr:
        args += ["--qr", request.qr]
    args += ["--greyscale"] * request.greyscale
    if text["tile"]:
        args += ["--tile", text["tile"]] + (["--overlap", text["overlap"]] if text["overlap"] else [])
    return args


def readable_line(built: PosterBuilt) -> str:
    """What ``handout poster`` says of the poster it made."""
    shrunk = " (text shrunk by --fit)" if built.fitted else ""
    shrunk += "; short cues in place of steps" if built.short_steps else ""
    cols, rows = built.grid
    return (f"{built.label}, {built.exercises} exercises in {cols} x {rows}; readable from "
            f"{metres(built.readable_from_m)}: smallest x-height {built.smallest_x_height_mm:.1f} mm{shrunk}")


def routes(state: AppState) -> list[Route]:
    async def page(request: Request) -> Response:
        library = await state.work(state.library)
        programs = {pid: p.title for pid, p in library.programs.items()}
        return state.page(request, "poster.html", programs=programs, sizes=SIZE_LABELS, tiles=TILE_SHEETS,
                          overlap=OVERLAP_MM)

    async def built_poster(request: Request, reuse) -> tuple[PosterRequest, PosterBuilt, list[str], dict]:
        form = await form_json(request)
        poster, errors, command = read_poster_form(form, state.defaults)
        if errors:
            raise Refused(errors)
        try:
            return poster, await state.work(build_poster_document, poster, None, reuse), command, form
        except LayoutError as exc:  # it does not fit: beside the distance asked for, or the size
            raise Refused({"viewing_distance" if poster.viewing_distance_m else "size": str(exc)}) from None
        except HandoutError as exc:
            raise Refused({error_field(exc, FIELD_OF): str(exc)}) from None

    @guarded
    async def preview(request: Request) -> Response:
        _, built, command, _ = await built_poster(request, state.reuse)
        pages = await state.work(state.pictures.pages, built.pdf, POSTER_WIDTH_PX)
        return JSONResponse({"pages": page_urls(pages), "readable": readable_line(built),
                             "command": shlex.join(command)})

    @guarded
    async def pdf(request: Request) -> Response:
        poster, built, _, _ = await built_poster(request, from_scratch())
        return download(built.pdf, default_output("poster", sized(poster)))

    @guarded
    async def tiled(request: Request) -> Response:
        poster, built, _, form = await built_poster(request, from_scratch())
        onto = str(form.get("tile") or "letter")
        overlap = float(form.get("overlap") or OVERLAP_MM)
        data = await state.work(tile, built.pdf, onto, overlap)
        return download(data, tiled_output(default_output("poster", sized(poster)), onto))

    return [
        Route("/poster", page),
        Route("/api/poster/preview", preview, methods=["POST"]),
        Route("/api/poster/pdf", pdf, methods=["POST"]),
        Route("/api/poster/tiled", tiled, methods=["POST"]),
    ]
