"""What the pages share: the app's state, its page templates, and how endpoints answer.

The app's own pages come from a plain Jinja2 environment over ``handout/web/templates``
(the user's templates stay in the sandbox of ``handout.markup``). Builds run in worker
threads, one at a time: ReportLab and pdfium keep process-wide state, and one clinician's
clicks do not need two at once. An endpoint answers a bad form with messages keyed by the
field each belongs beside, never with a stack trace.
"""

from __future__ import annotations

import json
import secrets
import threading

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from ..errors import HandoutError, RequestError, UnsupportedCharacterError
from ..model.library import Library, load_library
from ..render.reuse import Reuse
from .defaults import Defaults
from .preview import Pictures
from .uploads import FORM_LIMIT_BYTES, TooLarge, read_body

PAGES = Environment(loader=PackageLoader("handout.web", "templates"), autoescape=select_autoescape(["html"]),
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


class AppState:
    """What the pages share: the defaults, the token, the kept pictures and batches, one build at a time."""

    def __init__(self, defaults: Defaults):
        from .batch_run import BatchRuns

        self.defaults = defaults
        self.token = secrets.token_urlsafe(32)
        self.reuse = Reuse()  # the previews' caches, apart from any other user of this process
        self.pictures = Pictures()
        self.batches = BatchRuns()
        self.build_lock = threading.Lock()

    def library(self) -> Library:
        return load_library(self.defaults.content_dirs)

    async def work(self, fn, *args):
        """``fn(*args)`` in a worker thread, after any build already running."""
        return await run_in_threadpool(self.locked, fn, *args)

    def locked(self, fn, *args):
        with self.build_lock:
            return fn(*args)

    def page(self, request: Request, template: str, **context) -> HTMLResponse:
        defaults = self.defaults
        html = PAGES.get_template(template).render(
            token=self.token, clinic=defaults.clinic, clinic_named="name" in defaults.clinic.model_fields_set,
            settings_file=defaults.settings_file, active=template.split(".")[0], **context)
        return HTMLResponse(html)


class Refused(Exception):
    """Messages for the page, keyed by the field each belongs beside (answered with 422)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("refused")
        self.errors = errors


def page_urls(keys: list[str]) -> list[str]:
    """Where the browser fetches each previewed page."""
    return [f"/preview/{key}.png" for key in keys]


def errors_response(errors: dict[str, str], status: int = 422) -> JSONResponse:
    return JSONResponse({"errors": errors}, status)


def error_field(exc: HandoutError, fields: dict[str, str] | None = None) -> str:
    """The form field a failed build's error belongs beside (``form`` when it is no one field)."""
    fields = fields or {}
    if isinstance(exc, (RequestError, UnsupportedCharacterError)) and exc.field:
        name = exc.field.split(".")[0].split("[")[0]
        return fields.get(name, name)
    return "form"


async def form_json(request: Request) -> dict:
    """The JSON object a page posted (capped); a TooLarge or ValueError when it is not one."""
    body = await read_body(request, FORM_LIMIT_BYTES, "form")
    try:
        state = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("the form did not arrive as JSON; reload the page") from None
    if not isinstance(state, dict):
        raise ValueError("the form did not arrive as a JSON object; reload the page")
    return state


def guarded(handler):
    """An endpoint whose bad input (too large, not JSON) is a message, never a stack trace, and
    whose unexpected failures say only their kind (a message could hold a patient's name)."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Refused as exc:
            return errors_response(exc.errors)
        except TooLarge as exc:
            return errors_response({"form": str(exc)}, 413)
        except ValueError as exc:
            return errors_response({"form": str(exc)}, 400)
        except HandoutError as exc:
            return errors_response({error_field(exc): str(exc)})
        except Exception as exc:  # a bug of ours: its kind only, never its text
            return errors_response({"form": f"internal error ({type(exc).__name__}); run 'handout build' with "
                                            "the same options and --debug to see where, and please report it"}, 500)
    endpoint.__name__ = handler.__name__
    return endpoint


def from_scratch() -> Reuse:
    """The caches a download is built with: none, so its bytes are those of ``handout build``
    (one document in a fresh process), whatever this server built before."""
    return Reuse(enabled=False)


def download(data: bytes, name: str, media: str = "application/pdf") -> Response:
    """A file for the browser to save, under ``name`` (a slug: plain ASCII)."""
    return Response(data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})
