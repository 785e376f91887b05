"""``python -m handout.cli``: the same as the ``handout`` command."""

from . import main

main()
