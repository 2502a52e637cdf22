import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from newsarchive import views
from newsarchive.forms import ThrottledAdminAuthenticationForm

# Editors and moderators should see whose newsroom they are in.
admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} admin"
# Sign-in attempts are throttled per username and per address.
admin.site.login_form = ThrottledAdminAuthenticationForm

# An unreachable database answers 503 with Retry-After (views.server_error).
handler500 = "newsarchive.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap_news"),
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        sitemaps.articles_month,
        name="sitemap_articles",
    ),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("privacy/", views.privacy, name="privacy"),
    # Comments route ahead of the archive so their paths under an article's
    # permalink are not swallowed by the date patterns.
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Uploads from this server (development; SERVE_MEDIA); in production the
    # web server or the bucket serves them and this answers 404.
    urlpatterns.insert(
        0,
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            views.media,
            name="media",
        ),
    )
