"""WordPress-style date permalinks: /YYYY/MM/DD/slug/ keeps migrated links alive."""

from django.urls import path, re_path

from articles import feeds, views

app_name = "articles"

YEAR = r"(?P<year>[0-9]{4})"
MONTH = r"(?P<month>[0-9]{2})"
DAY = r"(?P<day>[0-9]{2})"

SUBJECT_FEEDS = {
    "section": feeds.SectionArticlesFeed,
    "tag": feeds.TagArticlesFeed,
    "author": feeds.AuthorArticlesFeed,
    "source": feeds.SourceArticlesFeed,
}


def _subject_feeds():
    for kind, feed in SUBJECT_FEEDS.items():
        yield path(f"{kind}/<slug:slug>/feed/", feed(), name=f"{kind}_feed")
        yield path(
            f"{kind}/<slug:slug>/feed/atom/", feed(atom=True), name=f"{kind}_feed_atom"
        )


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesFeed(atom=True), name="feed_atom"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("source/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("sources/", views.SourceListView.as_view(), name="sources"),
    *_subject_feeds(),
    re_path(rf"^{YEAR}/$", views.YearView.as_view(), name="year"),
    re_path(rf"^{YEAR}/{MONTH}/$", views.MonthView.as_view(), name="month"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", views.DayView.as_view(), name="day"),
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/$",
        views.ArticleView.as_view(),
        name="article",
    ),
]
