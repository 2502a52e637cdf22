from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import SITEMAPS
from newsarchive import views

# Editors and moderators should see whose newsroom they are in.
admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} admin"

# An unreachable database answers 503 with Retry-After (views.server_error).
handler500 = "newsarchive.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("privacy/", views.privacy, name="privacy"),
    # Comments route ahead of the archive so their paths under an article's
    # permalink are not swallowed by the date patterns.
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]
