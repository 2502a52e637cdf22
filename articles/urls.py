"""WordPress-style date permalinks: /YYYY/MM/DD/slug/ keeps migrated links alive."""

from django.urls import path, re_path

from articles import feeds, views

app_name = "articles"

YEAR = r"(?P<year>[0-9]{4})"
MONTH = r"(?P<month>[0-9]{2})"
DAY = r"(?P<day>[0-9]{2})"
SLUG = r"(?P<slug>[-\w]+)"

SUBJECT_FEEDS = {
    "section": feeds.SectionArticlesFeed,
    "tag": feeds.TagArticlesFeed,
    "author": feeds.AuthorArticlesFeed,
    "source": feeds.SourceArticlesFeed,
}


def _subject_feeds():
    for kind, feed in SUBJECT_FEEDS.items():
        yield re_path(rf"^{kind}/{SLUG}/feed/$", feed(), name=f"{kind}_feed")
        yield re_path(
            rf"^{kind}/{SLUG}/feed/atom/$", feed(atom=True), name=f"{kind}_feed_atom"
        )


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesFeed(atom=True), name="feed_atom"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    # Slugs may be non-ASCII, as WordPress's are ("επίπεδο").
    re_path(rf"^section/{SLUG}/$", views.SectionView.as_view(), name="section"),
    re_path(rf"^tag/{SLUG}/$", views.TagView.as_view(), name="tag"),
    re_path(rf"^author/{SLUG}/$", views.AuthorView.as_view(), name="author"),
    re_path(rf"^source/{SLUG}/$", views.SourceView.as_view(), name="source"),
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
    # Static pages answer at their own paths, after every other route: a
    # path that is anything else never reaches the page table.
    re_path(r"^(?P<path>(?:[^/]+/)+)$", views.page, name="page"),
]
