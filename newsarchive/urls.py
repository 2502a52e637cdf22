from django.contrib import admin
from django.urls import include, path

from newsarchive import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]
