"""``python -m handout``: the same as the ``handout`` command (which starts without the cyclic
garbage collector: see ``cli.group.main``; here from before the command line's imports)."""

import gc

gc.disable()

from .cli import main  # noqa: E402

main()
