"""The web app: one ``Starlette`` application joining the three pages (``handout_page``,
``poster_page``, ``batch_page``), the static files and the guard (``security``)."""

from __future__ import annotations

from importlib.resources import files

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import batch_page, handout_page, poster_page
from .defaults import Defaults, user_defaults
from .security import Guard, allowed_hosts
from .shared import AppState


def create_app(defaults: Defaults | None = None, host: str = "127.0.0.1", port: int = 8000,
               names: tuple[str, ...] = ()) -> Starlette:
    """The app for ``handout serve`` (and tests): ``defaults`` from the user's settings file when
    None; only requests to ``host:port`` (or ``names``) are answered."""
    state = AppState(defaults or user_defaults())

    async def preview_page(request: Request) -> Response:
        data = state.pictures.page(request.path_params["key"])
        if data is None:
            return Response("this preview is no longer kept; change anything to draw it again", 404,
                            media_type="text/plain")
        return Response(data, media_type="image/png")

    static = StaticFiles(directory=str(files("handout.web") / "static"))
    routes = [*handout_page.routes(state), *poster_page.routes(state), *batch_page.routes(state),
              Route("/preview/{key}.png", preview_page), Mount("/static", static, name="static")]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, hosts=allowed_hosts(host, port, names),
                                                          token=state.token)])
    app.state.handout = state
    return app
