"""``python -m handout``: the same as the ``handout`` command."""

from .cli import main

main()
