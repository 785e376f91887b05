"""Imported by a local batch's forkserver, and only there: warm it once, so that every
worker it forks starts warm.

The forkserver imports the worker code once and forks each worker from itself. Loading the
fonts, the bundled content and templates there, and building one handout and throwing it
away (figures, first layouts), does once for all workers what each did for itself: with
two workers on two cores they no longer warm up side by side with the batch's own start.
The caches this fills never change a PDF's bytes (each cache's tests build with it off).
"""

from .worker import warm_up

warm_up()
