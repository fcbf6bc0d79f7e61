"""gunicorn's settings for a SCAPE web node; gunicorn reads this file from its working directory.

Each worker process serves several requests at once on threads: a request
spends much of its time waiting on PostgreSQL's commit (fsync) or on the
object store, and a thread that waits leaves the core to another. Override
with the usual flags or environment (``-w``, ``--threads``, WEB_CONCURRENCY)
or SCAPE_WEB_THREADS. See docs/operations.md and docs/decisions.md.
"""

import os

threads = int(os.environ.get("SCAPE_WEB_THREADS", "4"))
# A tus chunk of the browser page is 8 MiB; a slow link needs time to send it.
timeout = int(os.environ.get("SCAPE_WEB_TIMEOUT", "120"))
graceful_timeout = 30
