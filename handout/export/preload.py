"""Imported by a local batch's forkserver, and only there: warm it once, so that every
worker it forks starts warm.

The forkserver imports the worker code once and forks each worker from itself. Loading the
fonts, the bundled content and templates there does once for all workers what each did for
itself, and what it made is frozen out of the garbage collector's rounds. It builds no
handout: the first jobs' own layouts and figures (their program, clinic and language) are
what a worker's first builds spend their time on, and a throwaway handout of another shape
saved a worker about 15 ms of them while holding every worker back by 0.17 s.
"""

from ..plugins_off import skip_plugin_lookup

skip_plugin_lookup()  # the command line turned plugins off; this process inherited that

from .worker import warm_up  # after the stand-in, which must come first

warm_up()
