"""A moved WordPress site's old addresses answer 301 with the new ones."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Page, Section, Tag
from tests.queries import page_queries
from tests.wxr import author, category, in_category, item, run, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    run(
        author("jane.doe", "Jane Doe", author_id="7"),
        category("world", "World", term_id="3"),
        category("europe", "Europe", term_id="4", parent="world"),
        tag("rain", "Rain", term_id="9"),
        item(
            "101",
            slug="harbour-reopens",
            link="https://old.example.com/harbour-reopens/",
            terms=in_category("europe", "Europe"),
            date="2020-03-04 09:00:00",
        ),
        item(
            "102",
            slug="draft-one",
            status="draft",
            link="https://old.example.com/?p=102",
        ),
        item(
            "10", post_type="page", slug="about", link="https://old.example.com/about/"
        ),
    )
    return Article.objects.get(slug="harbour-reopens")


def _location(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 301, url
    return response["Location"]


def test_query_string_addresses_answer_301(client, imported):
    assert _location(client, "/?p=101") == imported.get_absolute_url()
    assert _location(client, "/?page_id=10") == "/about/"
    assert (
        _location(client, "/?cat=4")
        == Section.objects.get(slug="europe").get_absolute_url()
    )
    assert _location(client, "/?tag=rain") == Tag.objects.get().get_absolute_url()
    assert (
        _location(client, "/?author=7")
        == Author.objects.get(slug="janedoe").get_absolute_url()
    )


def test_category_author_and_permalink_paths_answer_301(client, imported):
    europe = Section.objects.get(slug="europe").get_absolute_url()
    assert _location(client, "/category/europe/") == europe
    assert _location(client, "/category/world/europe/") == europe
    assert _location(client, "/author/jane.doe/") == "/author/janedoe/"
    assert _location(client, "/harbour-reopens/") == imported.get_absolute_url()


def test_a_draft_gets_no_redirect_and_an_unknown_id_is_not_found(client, imported):
    assert client.get("/?p=102").status_code == 404
    assert client.get("/?p=99999").status_code == 404


def test_the_new_addresses_answer_200(client, imported):
    for url in (
        imported.get_absolute_url(),
        Section.objects.get(slug="europe").get_absolute_url(),
        Page.objects.get().path,
    ):
        assert client.get(url).status_code == 200, url


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return page_queries(context.captured_queries)


def test_the_home_page_costs_no_query_for_old_addresses(
    client, imported, django_assert_num_queries, settings
):
    # Whole pages from the cache would hide the page's own queries.
    settings.PAGE_CACHE = False
    client.get("/")  # fill what is cached
    plain = _queries(client, "/")

    assert plain and not any("newsarchive_redirect" in q for q in plain)
    with django_assert_num_queries(len(plain)):
        assert client.get("/?utm_source=newsletter&s=").status_code == 200


def test_a_normal_page_never_reads_the_redirect_table(client, imported):
    for url in (imported.get_absolute_url(), "/about/"):
        queries = _queries(client, url)
        assert queries and not any("newsarchive_redirect" in q for q in queries), url
