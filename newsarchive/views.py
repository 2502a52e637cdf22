from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from articles.models import Article
from newsarchive.privacy import privacy_context


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
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@require_GET
def privacy(request):
    """What the site keeps and for how long, each period read from the code."""
    return render(request, "privacy.html", privacy_context())
