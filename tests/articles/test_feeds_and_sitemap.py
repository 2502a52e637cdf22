"""Feeds, sitemap and robots.txt expose only what readers may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    tag = make_tag(slug="ports")
    shown = make_article(title="Visible story", slug="visible-story", tags=[tag])
    make_article(title="Draft story", slug="draft-story", status="draft", tags=[tag])
    make_article(
        title="Future story",
        slug="future-story",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
        tags=[tag],
    )
    make_article(
        title="Archived story", slug="archived-story", status="archived", tags=[tag]
    )
    return shown


def test_atom_feed_lists_only_published_articles(client, articles):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.text
    assert "Visible story" in body
    assert articles.get_absolute_url() in body
    for hidden in ("Draft story", "Future story", "Archived story"):
        assert hidden not in body
    assert '<category term="Tag' in body


def test_tag_feed_lists_only_published_articles(client, articles):
    body = client.get("/tag/ports/feed/atom/").text
    assert "Visible story" in body
    assert "Draft story" not in body and "Future story" not in body


def test_sitemap_lists_only_published_articles(client, articles):
    month = timezone.localdate(articles.published_at)
    response = client.get(f"/sitemap-articles-{month:%Y-%m}.xml")
    assert response.status_code == 200
    body = response.text
    assert articles.get_absolute_url() in body
    for hidden in ("draft-story", "future-story", "archived-story"):
        assert hidden not in body


def test_robots_txt_points_at_the_sitemap_and_hides_admin(client, settings):
    settings.SITE_URL = "https://news.example.com"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert "Disallow: /preview/" in response.text
    assert "Sitemap: https://news.example.com/sitemap.xml" in response.text
