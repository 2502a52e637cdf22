"""
Each reader page costs a fixed number of queries, whether it lists 3 items or 30
(the budgets, with what each query is for: tests/queries.py).

The counts are the contract: a template touching an unprefetched relation
makes the 30-item case jump and fails here.
"""

import pytest

from articles.models import Article
from articles.services import article_set_body
from tests.factories import (
    at,
    make_article,
    make_author,
    make_image,
    make_quote,
    make_section,
    make_source,
    make_tag,
)
from tests.queries import PAGE_QUERIES

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


@pytest.fixture
def newsroom(settings, site_zone):
    """Build n articles on one day sharing a section, tag, author and source."""
    settings.ARTICLES_PER_PAGE = 50  # every item on one page, so 30 really is 30

    def build(n: int) -> dict:
        section, tag, author, source = (
            make_section(),
            make_tag(),
            make_author(),
            make_source(),
        )
        main = make_article(
            section=section,
            tags=[tag, *(make_tag() for _ in range(n))],
            authors=[author, *(make_author() for _ in range(n))],
            published_at=at(2024, 3, 5, 12),
        )
        for i in range(n):
            make_quote(article=main, source=source, position=i)
            make_quote(article=main, source=make_source(), position=n + i)
            other = make_article(
                section=section,
                tags=[tag, make_tag()],
                authors=[author, make_author()],
                published_at=at(2024, 3, 5, 9, i),
            )
            make_quote(article=other, source=source)
        return {
            "main": main,
            "section": section,
            "tag": tag,
            "author": author,
            "source": source,
        }

    return build


def assert_page_queries(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


# Home: the page's tokens, count, page of articles, bylines+authors, the
# archive calendar (months with counts), most commented this week, section nav.
@pytest.mark.parametrize("n", SIZES)
def test_home_page_queries_are_constant(client, django_assert_num_queries, newsroom, n):
    newsroom(n)
    assert_page_queries(client, django_assert_num_queries, "/", PAGE_QUERIES["home"])


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/2024/", PAGE_QUERIES["year"]),
        ("/2024/03/", PAGE_QUERIES["month"]),
        ("/2024/03/05/", PAGE_QUERIES["day"]),
    ],
)
def test_date_archive_queries_are_constant(
    client, django_assert_num_queries, newsroom, n, url, expected
):
    newsroom(n)
    assert_page_queries(client, django_assert_num_queries, url, expected)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("subject", ["section", "tag", "author"])
def test_subject_page_queries_are_constant(
    client, django_assert_num_queries, newsroom, n, subject
):
    objects = newsroom(n)
    url = objects[subject].get_absolute_url()
    assert_page_queries(client, django_assert_num_queries, url, PAGE_QUERIES["subject"])


# Source: source, count, quotes with their articles and sections, the count
# of articles quoting it, section nav.
@pytest.mark.parametrize("n", SIZES)
def test_source_page_queries_are_constant(
    client, django_assert_num_queries, newsroom, n
):
    objects = newsroom(n)
    url = objects["source"].get_absolute_url()
    assert_page_queries(client, django_assert_num_queries, url, PAGE_QUERIES["source"])


# Feeds: the state for ETag / Last-Modified (version token, latest change,
# newest live article), then the items, their bylines+authors and their tags.
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_queries_are_constant(client, django_assert_num_queries, newsroom, n, url):
    newsroom(n)
    assert_page_queries(client, django_assert_num_queries, url, PAGE_QUERIES["feed"])


# Feeds whose items carry our uploaded pictures: one query more for all of
# them, however many items and pictures (articles.body.bodies_for_feed).
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_with_pictures_in_the_bodies_costs_one_query_more(
    client, django_assert_num_queries, newsroom, n, url
):
    newsroom(n)
    articles = list(Article.objects.all()[: n // 3 + 1])
    for article in articles:
        images = [make_image(width=500, height=300) for _ in range(2)]
        article_set_body(
            article=article,
            body="".join(f'<p><img src="{i.file.url}" alt=""></p>' for i in images),
        )
        article.save()

    with django_assert_num_queries(PAGE_QUERIES["feed_with_pictures"]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"/renditions/") == 2 * len(articles)


# A subject's feed: + the subject itself.
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("subject", ["section", "tag", "author", "source"])
def test_subject_feed_queries_are_constant(
    client, django_assert_num_queries, newsroom, n, subject
):
    objects = newsroom(n)
    url = objects[subject].get_absolute_url() + "feed/"
    assert_page_queries(
        client, django_assert_num_queries, url, PAGE_QUERIES["subject_feed"]
    )


# Article: article+section, bylines+authors, tags, quotes+sources, related
# ids+page, related bylines, previous / next in section, section nav; then the comment region's own queries.
@pytest.mark.parametrize("n", SIZES)
def test_article_page_queries_are_constant(
    client, django_assert_num_queries, newsroom, n
):
    objects = newsroom(n)
    url = objects["main"].get_absolute_url()
    assert_page_queries(client, django_assert_num_queries, url, PAGE_QUERIES["article"])


# Article with our uploaded pictures in its body: one more query for all of them.
@pytest.mark.parametrize("n", SIZES)
def test_article_page_with_pictures_in_the_body_costs_one_query_more(
    client, django_assert_num_queries, newsroom, n
):
    main = newsroom(n)["main"]
    images = [make_image(width=500, height=300) for _ in range(n // 3)]
    article_set_body(
        article=main,
        body="".join(f'<p><img src="{i.file.url}" alt=""></p>' for i in images),
    )
    main.save()
    url = main.get_absolute_url()
    assert_page_queries(
        client, django_assert_num_queries, url, PAGE_QUERIES["article_with_pictures"]
    )
