"""The handout page: pick a program or exercises, set doses, see the pages, download the PDF.

    GET  /                        the page (programs, the library with figures, clinic defaults)
    GET  /figure/{id}.png         an exercise's figure, in the clinic's colour
    POST /api/handout/preview     form JSON -> the pages as PNG, the same command, or messages
    POST /api/handout/pdf         form JSON -> the PDF (the bytes ``handout build`` makes)
    POST /api/handout/plan        form JSON -> the plan file (``--save-plan``)
    POST /api/handout/open-plan   a plan file (at most 100 KB) -> form JSON
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import HandoutError
from ..export.job import default_output
from ..model.library import Library
from ..model.plan import default_date
from ..model.planfile import load_plan, plan_yaml
from ..model.request import HandoutRequest
from ..pipeline.handout import build_handout_document
from .shared import AppState, Refused, download, error_field, form_json, from_scratch, guarded, page_urls
from .forms import FormResult, command_text, exercise_row, form_state, read_form
from .uploads import PLAN_LIMIT_BYTES, in_memory_file, named, read_body, upload_name

SIDES = ("each", "each-way", "left", "right", "both", "alternating")
_OPTIONAL = re.compile(r"\s*\(if you like\)\s*$")


def library_json(library: Library) -> dict:
    """What the page's script needs: each exercise's facts, and its row under each program."""
    exercises = []
    for e in library.exercises.values():
        exercises.append({"id": e.id, "code": e.code or "", "name": e.name, "goal": e.goal, "position": e.position,
                          "equipment": sorted({_OPTIONAL.sub("", x) for x in e.equipment}), "summary": e.summary})
    programs = {pid: {"title": p.title, "items": [i.exercise for i in p.items]} for pid, p in library.programs.items()}
    rows = {pid or "": {e: exercise_row(library, pid, e) for e in library.exercises}
            for pid in (None, *library.programs)}
    return {"exercises": sorted(exercises, key=_code_key), "programs": programs, "rows": rows}


def _code_key(entry: dict):
    number = re.sub(r"\D", "", entry["code"])
    return (0, int(number), "") if number else (1, 0, entry["name"])


def routes(state: AppState) -> list[Route]:
    async def page(request: Request) -> Response:
        data = library_json(await state.work(state.library))
        filters = {name: sorted({v for e in data["exercises"] for v in (e[name] if name == "equipment" else [e[name]])})
                   for name in ("goal", "position", "equipment")}
        return state.page(request, "handout.html", library=data, filters=filters, sides=SIDES,
                          today=default_date().isoformat(), defaults=state.defaults)

    async def figure(request: Request) -> Response:
        ident = request.path_params["ident"]
        library = await state.work(state.library)
        if ident not in library.exercises:
            return Response("no such exercise", 404, media_type="text/plain")
        data = await state.work(state.pictures.thumbnail, library, ident, state.defaults.clinic.brand_color)
        return Response(data, media_type="image/png", headers={"cache-control": "max-age=3600"})

    async def checked_form(request: Request) -> FormResult:
        form = read_form(await form_json(request), await state.work(state.library), state.defaults)
        if form.errors:
            raise Refused(form.errors)
        return form

    async def made(fn, *args):
        try:
            return await state.work(fn, *args)
        except HandoutError as exc:
            raise Refused({error_field(exc, FIELD_OF): str(exc)}) from None

    def built_pages(request: HandoutRequest):
        built = build_handout_document(request, reuse=state.reuse)
        return built, state.pictures.pages(built.pdf)

    @guarded
    async def preview(request: Request) -> Response:
        form = await checked_form(request)
        built, pages = await made(built_pages, form.request)
        return JSONResponse({"pages": page_urls(pages), "page_count": built.record.pages,
                             "command": command_text(form.command)})

    @guarded
    async def pdf(request: Request) -> Response:
        form = await checked_form(request)
        built = await made(build_handout_document, form.request, None, from_scratch())
        return download(built.pdf, default_output("handout", form.request))

    @guarded
    async def plan(request: Request) -> Response:
        form = await checked_form(request)
        text = await made(plan_yaml, form.request, state.defaults.clinic_file)
        name = default_output("handout", form.request).removesuffix(".pdf") + ".yaml"
        return download(text.encode("utf-8"), name, "application/yaml")

    @guarded
    async def open_plan(request: Request) -> Response:
        body = await read_body(request, PLAN_LIMIT_BYTES, "plan file")
        name = upload_name(request.headers.get("x-file-name"), "plan")
        library = await state.work(state.library)

        def read():
            with in_memory_file(body, name) as path:
                try:
                    loaded = load_plan(path)
                except HandoutError as exc:
                    raise Refused({"plan": named(str(exc), path, name)}) from None
            return loaded, form_state(loaded, library)

        try:
            loaded, form = await state.work(read)
        except HandoutError as exc:
            raise Refused({"plan": str(exc)}) from None
        notice = ""
        if loaded.clinic != state.defaults.clinic:
            notice = (f"This plan was made for {loaded.clinic.name}; the page prints for "
                      f"{state.defaults.clinic.name}, the clinic of your settings file.")
        return JSONResponse({"state": form, "notice": notice})

    return [
        Route("/", page),
        Route("/figure/{ident}.png", figure),
        Route("/api/handout/preview", preview, methods=["POST"]),
        Route("/api/handout/pdf", pdf, methods=["POST"]),
        Route("/api/handout/plan", plan, methods=["POST"]),
        Route("/api/handout/open-plan", open_plan, methods=["POST"]),
    ]


# A build error's field, and the form field it is shown beside.
FIELD_OF = {"exercise": "exercises", "note": "exercises", "exercise_notes": "exercises"}
