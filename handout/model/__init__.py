"""Stage 1, data in: content folders, requests and rosters in; validated models, a Library
and a resolved ``Plan`` (everything a page needs, no I/O after it) out."""
