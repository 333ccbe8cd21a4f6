"""The production settings plus what only the benchmark needs: a hello-world baseline
through the full middleware stack, and a query count on every response."""

from ainex.settings import *  # noqa: F403
from ainex.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so that it counts every query of the request.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
