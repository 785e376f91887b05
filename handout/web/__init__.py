"""A local web page for clinicians (``handout serve``): a second front end beside the CLI.

A form becomes the same request the CLI builds and is passed to the same API, so a download
has the bytes ``handout build`` writes. Modules: ``app`` (the Starlette app, its state and
shared helpers), ``handout_page``, ``poster_page`` and ``batch_page`` (the routes of each
page), ``forms`` (the handout form into a request and a command), ``preview`` (pages and
figures as PNG), ``batch_run`` (a roster built in memory), ``security`` (Host, Origin and
token checks, headers), ``uploads`` (size caps, files kept in memory), ``defaults`` (the
settings file), ``server`` (uvicorn). Nothing here imports click; the CLI imports this.
"""

from importlib import import_module

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        return import_module(".app", __name__).create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
