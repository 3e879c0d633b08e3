"""Gunicorn settings for `make run`; the port comes from PORT (default 8000)."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = 2
accesslog = "-"
# Feed and manage URLs carry secrets: keep them out of the access log.
logger_class = "feeds.logs.RedactingLogger"
