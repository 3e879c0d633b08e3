"""Gunicorn settings: `make run` locally, and the app servers of a deployment (README).

Environment: BIND (default 127.0.0.1:$PORT, PORT default 8000), WORKERS (processes, default 2),
THREADS (per process, default 8), ACCESS_LOG ("-" for standard output, the default; a file; or
"off").
"""

import gc
import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
# Threads, not sync workers: a slow or trickling client holds one thread, not a whole process,
# and gunicorn parks connections that send nothing for a while without using a thread at all.
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
# ACCESS_LOG: where the access log goes ("-": standard output), or "off" (a load test, or a proxy
# in front that logs the same requests).
accesslog = None if os.environ.get("ACCESS_LOG") == "off" else os.environ.get("ACCESS_LOG", "-")
# Gunicorn 25+ opens a control socket at one fixed path in $HOME, which two servers on one
# machine would fight over; nothing here uses it.
control_socket_disable = True
# Feed and manage URLs carry secrets: keep them out of the access and error logs.
logger_class = "feeds.logs.RedactingLogger"


def post_worker_init(worker: object) -> None:
    """Move the loaded app (plan data, templates, modules) out of the garbage collector's sight.

    Those objects live as long as the worker, so every full collection would walk them again.
    """
    gc.freeze()
