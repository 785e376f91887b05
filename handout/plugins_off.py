"""Pydantic's plugin lookup, skipped when plugins are turned off.

With ``PYDANTIC_DISABLE_PLUGINS=__all__`` pydantic's ``get_plugins`` returns nothing, but its
module imports ``importlib.metadata`` first (and with it ``email``'s parser: 63 M
instructions, a thirtieth of a fresh build) when the first validator is built. The command
line turns plugins off (handout's models use none); a batch's forkserver inherits that.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

LOADER = "pydantic.plugin._loader"


def skip_plugin_lookup() -> None:
    """Stand in for pydantic's plugin loader with a module whose ``get_plugins`` returns
    nothing at once; any other name it is asked for brings the real module back. Does
    nothing unless plugins are off, or once the real loader is imported."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or LOADER in sys.modules:
        return
    stand_in = types.ModuleType(LOADER)
    stand_in.get_plugins = tuple

    def real(attr: str):
        if attr.startswith("__"):  # the import system asking what kind of module it is
            raise AttributeError(attr)
        del sys.modules[LOADER]
        return getattr(importlib.import_module(LOADER), attr)

    stand_in.__getattr__ = real
    sys.modules[LOADER] = stand_in
