"""
Sitemaps at archive size: an index of pages no larger than the page size,
articles by month, lastmod from `updated`, a Google News sitemap of the last
48 hours, every address from SITE_URL.
"""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    at,
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _site(settings, site_zone):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITEMAP_PAGE_SIZE = 3


def xml(client, url):
    response = client.get(url, headers={"host": "evil.example"})
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    assert b"evil.example" not in response.content
    return ElementTree.fromstring(response.content)  # noqa: S314 – our own output


def locs(tree) -> list[str]:
    return [loc.text for loc in tree.iterfind(".//sm:loc", NS)]


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/")
    return url.removeprefix(SITE)


@pytest.fixture
def archive():
    """Seven articles in March 2024 (three pages of three), one in April."""
    section, tag, author, source = (
        make_section(),
        make_tag(),
        make_author(),
        make_source(),
    )
    march = [
        make_article(
            published_at=at(2024, 3, 1 + i, 9),
            section=section,
            tags=[tag],
            authors=[author],
        )
        for i in range(7)
    ]
    april = make_article(published_at=at(2024, 4, 30, 23, 30), section=section)
    make_quote(article=april, source=source)
    make_article(title="Draft", slug="draft-one", status="draft")
    make_article(
        slug="future-one",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    return {"march": march, "april": april}


def test_the_index_splits_each_month_into_pages_of_the_page_size(client, archive):
    entries = [path_of(u) for u in locs(xml(client, "/sitemap.xml"))]

    assert entries[:4] == [
        "/sitemap-articles-2024-04.xml",
        "/sitemap-articles-2024-03.xml",
        "/sitemap-articles-2024-03.xml?p=2",
        "/sitemap-articles-2024-03.xml?p=3",
    ]
    assert "/sitemap-sections.xml" in entries
    assert "/sitemap-tags.xml" in entries
    assert "/sitemap-authors.xml" in entries
    assert "/sitemap-sources.xml" in entries
    assert "/sitemap-news.xml" in entries


def test_every_page_the_index_names_holds_at_most_the_page_size(client, archive):
    seen = []
    for entry in locs(xml(client, "/sitemap.xml")):
        if path_of(entry) == "/sitemap-news.xml":
            continue
        urls = locs(xml(client, path_of(entry)))
        assert 0 < len(urls) <= 3, entry
        seen += urls
    article_urls = {SITE + a.get_absolute_url() for a in archive["march"]}
    article_urls.add(SITE + archive["april"].get_absolute_url())
    assert article_urls <= set(seen)
    assert len([u for u in seen if u in article_urls]) == len(article_urls)
    assert not any("draft-one" in u or "future-one" in u for u in seen)


def test_months_follow_the_sites_time_zone(client, archive):
    # 23:30 on 30 April in New York is already May in UTC.
    urls = locs(xml(client, "/sitemap-articles-2024-04.xml"))
    assert urls == [SITE + archive["april"].get_absolute_url()]


def test_lastmod_comes_from_the_articles_updated_time(client, archive):
    april = archive["april"]
    later = april.published_at + timedelta(days=3)
    Article.objects.filter(pk=april.pk).update(updated=later)

    tree = xml(client, "/sitemap-articles-2024-04.xml")

    [lastmod] = [e.text for e in tree.iterfind(".//sm:lastmod", NS)]
    assert lastmod.startswith("2024-05-03T")


def test_a_page_past_the_end_or_an_empty_month_is_a_404(client, archive):
    assert client.get("/sitemap-articles-2024-03.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles-2023-01.xml").status_code == 404
    assert client.get("/sitemap-articles-2024-13.xml").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_news_sitemap_lists_the_last_48_hours(client):
    recent = make_article(
        title="Fresh & <new>", published_at=timezone.now() - timedelta(hours=2)
    )
    make_article(title="Old", published_at=timezone.now() - timedelta(hours=49))
    make_article(title="Draft", status="draft")

    tree = xml(client, "/sitemap-news.xml")

    assert locs(tree) == [SITE + recent.get_absolute_url()]
    assert tree.find(".//news:title", NS).text == "Fresh & <new>"
    assert tree.find(".//news:name", NS).text == "The Newsarchive"
    assert tree.find(".//news:language", NS).text == "en"
    assert tree.find(".//news:publication_date", NS).text.startswith(
        f"{timezone.localdate(recent.published_at):%Y-%m-%d}T"
    )


def test_subject_sitemaps_name_only_subjects_with_published_articles(client, archive):
    empty = make_tag(slug="empty-tag")
    urls = locs(xml(client, "/sitemap-tags.xml"))
    assert urls and all(u.startswith(SITE + "/tag/") for u in urls)
    assert SITE + empty.get_absolute_url() not in urls


def test_the_index_costs_the_same_for_few_or_many_months(
    client, django_assert_num_queries
):
    for months in (1, 6):
        for m in range(months):
            make_article(published_at=at(2020, 1 + m, 2, 9))
        # Its cache key (the newest live article, the articles' token), then
        # the months with counts and a count for each subject sitemap.
        with django_assert_num_queries(7):
            assert client.get("/sitemap.xml").status_code == 200
        # Nothing changed: the key's two queries only.
        with django_assert_num_queries(2):
            assert client.get("/sitemap.xml").status_code == 200


def test_the_cached_index_follows_a_new_month_and_a_scheduled_article(
    client, archive, time_machine
):
    xml(client, "/sitemap.xml")
    make_article(published_at=at(2024, 6, 1, 9))
    make_article(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=3),
    )
    assert SITE + "/sitemap-articles-2024-06.xml" in locs(xml(client, "/sitemap.xml"))

    time_machine.move_to(timezone.now() + timedelta(days=4))
    month = timezone.localdate()
    assert SITE + f"/sitemap-articles-{month:%Y-%m}.xml" in locs(
        xml(client, "/sitemap.xml")
    )
