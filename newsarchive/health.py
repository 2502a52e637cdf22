"""
Probes for load balancers and service managers: /healthz and /readyz.

Answered by the first middleware, before host validation, the HTTPS redirect,
sessions and CSRF: a load balancer probes each server by its own address and
often over plain HTTP, and a probe must cost nothing and set no cookie. The
answers hold no host-derived or secret detail, so answering any Host is safe.

/healthz: the process is up and answering (liveness; restart it if not).
/readyz: the database answers a query and the cache was asked (readiness;
send it traffic or not). A cache that is down leaves the server ready,
"degraded": every cache call already falls back to the database
(newsarchive/cache.py), and every app server shares one Redis, so taking
servers out of rotation for it would turn a slower site into no site.
"""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

from newsarchive.cache import BACKING_ALIAS

logger = logging.getLogger(__name__)

PROBE_PATHS = {
    "/healthz": "live",
    "/healthz/": "live",
    "/readyz": "ready",
    "/readyz/": "ready",
}
# A key nobody writes: reading it costs one round trip and changes nothing.
_CACHE_PROBE_KEY = "readyz-probe"


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _ping_cache() -> None:
    # The backing cache itself: the fault-tolerant door would answer a miss.
    caches[BACKING_ALIAS].get(_CACHE_PROBE_KEY)


def _check(name: str, ping) -> str:
    try:
        ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("Readiness: %s is down (%s: %s)", name, type(exc).__name__, exc)
        return "down"
    return "ok"


def readiness() -> tuple[int, dict]:
    database = _check("database", _ping_database)
    cache = _check("cache", _ping_cache)
    if database != "ok":
        return 503, {"status": "unavailable", "database": database, "cache": cache}
    status = "ok" if cache == "ok" else "degraded"
    return 200, {"status": status, "database": database, "cache": cache}


def _answer(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


class HealthProbeMiddleware:
    """Answers the two probe paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBE_PATHS.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if probe == "live":
            return _answer(200, {"status": "ok"})
        return _answer(*readiness())
