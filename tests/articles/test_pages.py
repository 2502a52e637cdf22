"""Every reader page answers 200 for what exists and 404 (never 500) otherwise."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    at,
    make_article,
    make_author,
    make_full_article,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(site_zone):
    return make_full_article(
        title="Harbour reopens", slug="harbour-reopens", published_at=at(2024, 3, 5, 10)
    )


def test_home_is_200_even_when_empty(client):
    assert client.get(reverse("articles:home")).status_code == 200


def test_home_lists_the_article(client, article):
    response = client.get("/")
    assert response.status_code == 200
    assert "Harbour reopens" in response.text


@pytest.mark.parametrize(
    "url", ["/2024/03/05/harbour-reopens/", "/2024/", "/2024/03/", "/2024/03/05/"]
)
def test_date_pages_are_200(client, article, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Harbour reopens" in response.text


def test_article_url_uses_two_digit_month_and_day(article):
    assert article.get_absolute_url() == "/2024/03/05/harbour-reopens/"


def test_article_date_is_the_site_zone_date(client, site_zone):
    # 01:30 UTC on 6 March is still 5 March in New York.
    make_article(slug="late-night", published_at=at(2024, 3, 5, 20, 30))
    assert client.get("/2024/03/05/late-night/").status_code == 200
    assert client.get("/2024/03/06/late-night/").status_code == 404


def test_subject_pages_are_200(client, article):
    byline_author = article.bylines.first().author
    quote_source = article.quotes.first().source
    for subject in (article.section, article.tags.first(), byline_author, quote_source):
        response = client.get(subject.get_absolute_url())
        assert response.status_code == 200, subject
        assert "Harbour reopens" in response.text


def test_privacy_page_explains_akismet_under_comments_anchor(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert reverse("privacy") == "/privacy/"
    assert 'id="comments"' in response.text
    assert "Akismet" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/2024/13/45/x/",
        "/2024/02/30/harbour-reopens/",
        "/0000/01/01/",
        "/0000/",
        "/2024/00/",
        "/2024/13/",
        "/9999/",
        "/9999/12/",
        "/9999/12/31/",
        "/9999/12/31/x/",
        "/2024/3/5/harbour-reopens/",
        "/2024/03/05/no-such-slug/",
        "/2024/03/06/harbour-reopens/",
        "/2023/",
        "/2024/04/",
        "/2024/03/04/",
        "/section/nope/",
        "/tag/nope/",
        "/tag/nope/feed/",
        "/author/nope/",
        "/source/nope/",
        "/no/such/page/",
        "/?page=99",
        "/?page=abc",
    ],
)
def test_bad_dates_and_unknown_slugs_are_404(client, article, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("status", "offset"),
    [
        (Article.Status.DRAFT, timedelta(hours=-1)),
        (Article.Status.SCHEDULED, timedelta(hours=1)),
        (Article.Status.PUBLISHED, timedelta(hours=1)),
        (Article.Status.ARCHIVED, timedelta(hours=-1)),
    ],
)
def test_hidden_articles_are_404_everywhere_for_readers(client, status, offset):
    section, tag, author, source = (
        make_section(),
        make_tag(),
        make_author(),
        make_source(),
    )
    article = make_article(
        title="Secret plans",
        status=status,
        published_at=timezone.now() + offset,
        section=section,
        tags=[tag],
        authors=[author],
    )
    make_quote(article=article, source=source, text="Not yet")
    assert client.get(article.get_absolute_url()).status_code == 404
    day = timezone.localdate(article.published_at)
    for url in (
        "/",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        source.get_absolute_url(),
        "/feed/",
        "/sitemap.xml",
    ):
        assert "Secret plans" not in client.get(url).text, url
        assert "Not yet" not in client.get(url).text, url
    assert client.get(f"/{day:%Y}/{day:%m}/{day:%d}/").status_code == 404


def test_500_page_renders_without_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html


def test_404_page_is_friendly(client):
    response = client.get("/no/such/page/")
    assert "can’t find that page" in response.text
    assert response.text.count("<h1") == 1
