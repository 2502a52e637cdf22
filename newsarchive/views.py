import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from django.views.static import serve

from articles.models import Article
from newsarchive import media as media_types
from newsarchive.privacy import privacy_context

logger = logging.getLogger(__name__)

# Seconds a reader is asked to wait while the database is unreachable: a
# restart or failover takes a few.
DATABASE_RETRY_AFTER = 30


def csrf_failure(request, reason=""):
    """
    A stale or cookie-less form: say so plainly instead of Django's debug page.
    A comment's text is shown again to copy, and the form's script has kept
    it in the browser to put back in the form (static/js/comments.js).
    """
    context = {"reason": reason}
    match = resolve_or_none(request.path_info)
    if match is not None and match.view_name == "comments:post":
        body = request.POST.get("body", "")
        context["comment_body"] = body if isinstance(body, str) else ""
        context["article"] = (
            Article.objects.published()
            .filter(pk=match.kwargs.get("article_id"))
            .only("pk", "slug", "title", "published_at")
            .first()
        )
    response = render(request, "403_csrf.html", context, status=403)
    add_never_cache_headers(response)
    return response


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        # The public origin, whatever Host the request named.
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@require_GET
def privacy(request):
    """What the site keeps and for how long, each period read from the code."""
    return render(request, "privacy.html", privacy_context())


def media(request, path):
    """Uploaded files, when this server is the one to serve them (SERVE_MEDIA)."""
    if not settings.SERVE_MEDIA:
        raise Http404("Media is served by the web server")
    # The type comes from the stored extension alone, and only pictures are
    # served: anything else under MEDIA_ROOT could be a page or a script
    # running on the site's origin.
    content_type = media_types.picture_type(path)
    if content_type is None:
        raise Http404("Not a picture")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Uploaded names never change (renditions get new names), so cache long.
    response["Cache-Control"] = media_types.CACHE_CONTROL
    return response


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
