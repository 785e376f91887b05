"""Stage runners, one document each: a request in, PDF bytes out (``handout.py`` for patient
handouts, ``poster.py`` for wall posters), with the steps they share in ``steps.py``."""
