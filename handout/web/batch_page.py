"""The batch page: upload a roster, see each row's check, run it, download the zip.

    GET  /batch                  the page
    POST /api/batch/check        a roster file (at most 5 MB) -> each row's check result and an id
    POST /api/batch/{id}/run     start building the checked roster's good rows
    GET  /api/batch/{id}         progress: done, failed, total, and the summary when done
    GET  /api/batch/{id}/zip     the PDFs and the report (batch-report.json and .csv), once done
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import HandoutError
from ..export.roster import read_roster
from ..export.roster_files import COLUMNS
from .shared import AppState, Refused, download, errors_response, guarded
from .batch_run import MAX_PAGE_ROWS
from .uploads import ROSTER_LIMIT_BYTES, in_memory_file, named, read_body, upload_name


def routes(state: AppState) -> list[Route]:
    async def page(request: Request) -> Response:
        return state.page(request, "batch.html", columns=COLUMNS, limit_mb=ROSTER_LIMIT_BYTES // 1_000_000,
                          max_rows=MAX_PAGE_ROWS)

    @guarded
    async def check(request: Request) -> Response:
        body = await read_body(request, ROSTER_LIMIT_BYTES, "roster")
        name = upload_name(request.headers.get("x-file-name"), "roster")
        defaults = state.defaults

        def read():
            with in_memory_file(body, name) as path:
                try:
                    return read_roster(path, content_dirs=defaults.content_dirs, template_dirs=defaults.template_dirs,
                                       clinic=defaults.clinic)
                except HandoutError as exc:
                    raise Refused({"roster": named(str(exc), path, name)}) from None

        roster = await state.work(read)
        if roster.rows > MAX_PAGE_ROWS:
            raise Refused({"roster": f"{name} has {roster.rows:,} rows; the page makes at most {MAX_PAGE_ROWS} "
                                     f"at a time (run 'handout batch {name}' for more)"})
        run = state.batches.add(name, roster)
        return JSONResponse({"id": run.ident, "name": name, "rows": run.rows(), "total": run.total,
                             "good": len(roster.jobs), "bad": len(roster.bad_rows)})

    def found(request: Request):
        run = state.batches.get(request.path_params["ident"])
        if run is None:
            raise Refused({"roster": "this batch is no longer kept; upload the roster again"})
        return run

    @guarded
    async def start(request: Request) -> Response:
        run = found(request)
        if not state.batches.start(run, state.build_lock):
            return errors_response({"roster": "this batch has already run"}, 409)
        return JSONResponse(run.progress(), 202)

    @guarded
    async def progress(request: Request) -> Response:
        return JSONResponse(found(request).progress())

    @guarded
    async def zipped(request: Request) -> Response:
        run = found(request)
        if run.zip_data is None:
            return errors_response({"roster": "the batch has not finished yet"}, 409)
        stem = run.name.rsplit(".", 1)[0]
        return download(run.zip_data, f"{stem}-pdfs.zip", "application/zip")

    return [
        Route("/batch", page),
        Route("/api/batch/check", check, methods=["POST"]),
        Route("/api/batch/{ident}/run", start, methods=["POST"]),
        Route("/api/batch/{ident}", progress),
        Route("/api/batch/{ident}/zip", zipped),
    ]
