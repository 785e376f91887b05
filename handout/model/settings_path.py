"""Where the user's settings file lives, apart from what it may hold (``settings.py``): a
command finds out whether there is a file before it loads the models that read one."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "HANDOUT_CONFIG"
FILE_NAME = "settings.yaml"


def settings_path() -> Path:
    """``$HANDOUT_CONFIG``, or ``settings.yaml`` in the user's config folder for handout."""
    named = os.environ.get(ENV)
    if named:
        return Path(named).expanduser()
    from platformdirs import user_config_path

    return user_config_path("handout", appauthor=False) / FILE_NAME
