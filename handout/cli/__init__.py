"""The ``handout`` command line: options in, the API called, files written, exit codes out
(0 done, 1 the work failed, 2 bad usage). The only package that imports click."""

from . import batch, commands, config, serve, translate  # noqa: F401  (each registers its commands on the group)
from .group import Failure, cli, main

__all__ = ["cli", "main", "Failure"]
