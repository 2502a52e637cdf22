import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from newsarchive.privacy import privacy_context

logger = logging.getLogger(__name__)

# Seconds a reader is asked to wait while the database is unreachable: a
# restart or failover takes a few.
DATABASE_RETRY_AFTER = 30


def csrf_failure(request, reason=""):
    """A stale or cookie-less form: say so plainly instead of Django's debug page."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@require_GET
def privacy(request):
    """What the site keeps and for how long, each period read from the code."""
    return render(request, "privacy.html", privacy_context())


@requires_csrf_token
def server_error(request):
    """
    The 500 handler. An unreachable database (refused, dropped or timed-out
    connection) is a 503 that asks readers to come back, not a fault page.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponseServerError(loader.render_to_string("500.html"))


def database_unavailable() -> HttpResponse:
    """
    The friendly 503, rendered from settings alone: no request context, so
    no context processor can reach for the session, the user or the
    database that is down. Never stored by a cache on the way.
    """
    html = loader.render_to_string(
        "503.html",
        {"SITE_NAME": settings.SITE_NAME, "retry_after": DATABASE_RETRY_AFTER},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response
