"""
Once a page's fragments are cached, an uncached view (full-page cache off)
costs a few fixed queries: the tokens, the rows the fragments' keys name,
and nothing that only a fragment shows. The budgets: tests/queries.py.
"""

import pytest

from tests.factories import (
    at,
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)
from tests.queries import WARM_PAGE_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings, site_zone):
    settings.PAGE_CACHE = False
    settings.ARTICLES_PER_PAGE = 50


@pytest.fixture
def newsroom():
    def build(n: int) -> dict:
        section, tag, author = make_section(), make_tag(), make_author()
        articles = [
            make_article(
                section=section,
                tags=[tag, make_tag()],
                authors=[author, make_author()],
                published_at=at(2024, 3, 5, 9, i),
            )
            for i in range(n)
        ]
        make_article(section=section, published_at=at(2024, 1, 9, 9))
        make_article(section=section, published_at=at(2025, 6, 9, 9))
        return {
            "article": articles[0],
            "section": section,
            "tag": tag,
            "author": author,
        }

    return build


def _warm(client, django_assert_num_queries, url: str, expected: int) -> None:
    assert client.get(url).status_code == 200  # fills the fragments
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize(
    ("url", "page"),
    [("/", "home"), ("/2024/", "year"), ("/2024/03/", "month")],
)
def test_a_warm_list_page_costs_its_budget(
    client, django_assert_num_queries, newsroom, n, url, page
):
    newsroom(n)
    _warm(client, django_assert_num_queries, url, WARM_PAGE_QUERIES[page])


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("subject", ["section", "tag", "author"])
def test_a_warm_subject_page_costs_its_budget(
    client, django_assert_num_queries, newsroom, n, subject
):
    url = newsroom(n)[subject].get_absolute_url()
    _warm(client, django_assert_num_queries, url, WARM_PAGE_QUERIES["subject"])


@pytest.mark.parametrize("n", [3, 30])
def test_a_warm_article_page_costs_its_budget(
    client, django_assert_num_queries, newsroom, n
):
    url = newsroom(n)["article"].get_absolute_url()
    _warm(client, django_assert_num_queries, url, WARM_PAGE_QUERIES["article"])


@pytest.mark.parametrize("n", [3, 30])
def test_a_warm_source_page_costs_the_subject_budget(
    client, django_assert_num_queries, n
):
    source = make_source()
    for _ in range(n):
        make_quote(article=make_article(), source=source)
    url = source.get_absolute_url()
    _warm(client, django_assert_num_queries, url, WARM_PAGE_QUERIES["subject"])
