"""Results come best match first, newest first among equals; filters and the
page number travel in the query string."""

import re

import pytest
from django.urls import reverse

from articles.search import search_articles
from tests.factories import at, make_article, make_author, make_section, make_tag
from tests.queries import PAGE_QUERIES

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


def titles(queryset) -> list[str]:
    return [article.title for article in queryset]


def result_titles(response) -> list[str]:
    return re.findall(r'class="search-result__title"><a [^>]*>(.*?)</a>', response.text)


def test_equal_matches_come_newest_first(site_zone):
    for day in (3, 1, 2):
        make_article(
            title=f"Day {day}",
            body="<p>The ferry ran late.</p>",
            published_at=at(2024, 5, day, 9),
        )
    assert titles(search_articles("ferry")) == ["Day 3", "Day 2", "Day 1"]


def test_a_name_match_ranks_above_a_body_match(site_zone):
    in_body = make_article(
        title="Roundup",
        body="<p>Shipwrights met on Monday.</p>",
        published_at=at(2024, 5, 2, 9),
    )
    tagged = make_article(
        title="Quay rebuilt",
        tags=[make_tag(name="Shipwrights")],
        published_at=at(2024, 5, 1, 9),
    )
    assert titles(search_articles("shipwrights")) == [tagged.title, in_body.title]


def test_it_narrows_by_author(site_zone):
    hart = make_author(name="Amelia Hart", slug="amelia-hart")
    mine = make_article(title="Harbour by Hart", authors=[hart])
    make_article(title="Harbour by someone else", authors=[make_author()])
    assert titles(search_articles("harbour", author="amelia-hart")) == [mine.title]


def test_filters_combine(site_zone):
    world = make_section(slug="world")
    ports = make_tag(slug="ports")
    hart = make_author(slug="amelia-hart")
    wanted = make_article(
        title="Harbour all four",
        section=world,
        tags=[ports],
        authors=[hart],
        published_at=at(2024, 4, 1, 12),
    )
    make_article(
        title="Harbour wrong year",
        section=world,
        tags=[ports],
        authors=[hart],
        published_at=at(2023, 4, 1, 12),
    )
    make_article(title="Harbour no tag", section=world, authors=[hart])
    found = search_articles(
        "harbour", section="world", tag="ports", author="amelia-hart", year=2024
    )
    assert titles(found) == [wanted.title]


def test_the_page_shows_the_filters_it_applied(client, site_zone):
    make_section(name="World", slug="world")
    make_author(name="Amelia Hart", slug="amelia-hart")
    make_tag(name="Ports", slug="ports")
    make_article(title="Harbour", published_at=at(2022, 1, 1, 12))
    page = client.get(
        SEARCH_URL,
        {"q": "harbour", "section": "world", "author": "amelia-hart", "tag": "ports"},
    ).text
    assert '<option value="world" selected>World</option>' in page
    assert '<option value="amelia-hart" selected>Amelia Hart</option>' in page
    assert '<input type="hidden" name="tag" value="ports">' in page
    assert 'href="?q=harbour&amp;section=world&amp;author=amelia-hart"' in page
    assert "with these filters" in page
    years = re.findall(r'<option value="(\d{4})"', page)
    assert years == ["2022"]


def test_pages_keep_every_filter(client, settings, site_zone):
    settings.ARTICLES_PER_PAGE = 2
    world = make_section(slug="world")
    for day in range(1, 6):
        make_article(
            title=f"Harbour {day}", section=world, published_at=at(2024, 3, day, 12)
        )
    make_article(title="Harbour elsewhere", published_at=at(2024, 3, 9, 12))
    first = client.get(SEARCH_URL, {"q": "harbour", "section": "world"})
    assert "5 articles found" in first.text
    assert 'href="?q=harbour&amp;section=world&amp;page=2" rel="next"' in first.text
    second = client.get(SEARCH_URL, {"q": "harbour", "section": "world", "page": 2})
    assert result_titles(second) == ["Harbour 3", "Harbour 2"]


@pytest.mark.parametrize("n", [3, 30])
def test_filtered_results_cost_the_same_queries_for_3_or_30_results(
    client, django_assert_num_queries, settings, site_zone, n
):
    settings.ARTICLES_PER_PAGE = 50
    world, ports, hart = make_section(slug="world"), make_tag(slug="ports"), None
    hart = make_author(slug="amelia-hart")
    for i in range(n):
        make_article(
            title=f"Harbour story {i}",
            section=world,
            tags=[ports, make_tag()],
            authors=[hart, make_author()],
            published_at=at(2024, 1, 1 + i % 28, 12),
        )
    params = {"q": "harbour or quay -storm", "section": "world", "tag": "ports"}
    params |= {"author": "amelia-hart", "year": "2024"}
    # The search page's budget, on either database (PostgreSQL counts its
    # heading and body matches in one statement).
    with django_assert_num_queries(PAGE_QUERIES["search"]):
        response = client.get(SEARCH_URL, params)
    assert len(result_titles(response)) == n


def test_past_the_counted_limit_the_page_says_so_and_pages_stop(
    client, settings, site_zone, monkeypatch
):
    monkeypatch.setattr("articles.search.MAX_COUNTED", 4)
    settings.ARTICLES_PER_PAGE = 2
    for day in range(1, 8):
        make_article(title=f"Harbour {day}", published_at=at(2024, 3, day, 12))
    response = client.get(SEARCH_URL, {"q": "harbour"})
    assert "More than 4 articles found; here are the best 4." in response.text
    # Heading matches past the limit come newest first.
    assert result_titles(response) == ["Harbour 7", "Harbour 6"]
    assert "Page 1 of 2" in response.text
    last = client.get(SEARCH_URL, {"q": "harbour", "page": 2})
    assert result_titles(last) == ["Harbour 5", "Harbour 4"]
