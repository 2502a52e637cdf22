"""
Readers search the archive: full-text on PostgreSQL, plain matching on SQLite,
one query language on both.

Where the two backends differ (stemming, stop words) a test asserts each
backend's own behaviour, so nothing is skipped on either.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import START_SEL, STOP_SEL, search_articles
from tests.factories import at, make_article, make_author, make_section, make_tag
from tests.queries import PAGE_QUERIES

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")
POSTGRES = connection.vendor == "postgresql"


def titles(queryset) -> list[str]:
    return [article.title for article in queryset]


def result_titles(response) -> list[str]:
    return re.findall(r'class="search-result__title"><a [^>]*>(.*?)</a>', response.text)


def snippets(response) -> list[str]:
    return re.findall(r'class="search-result__snippet">(.*?)</p>', response.text, re.S)


@pytest.fixture
def harbour(site_zone):
    return make_article(
        title="Harbour wall reopens after storm",
        dek="Ships return to the old port.",
        body="<p>The <strong>harbour</strong> master said repairs took a month.</p>",
        published_at=at(2024, 3, 5, 10),
    )


def test_it_finds_words_in_the_title_the_dek_and_the_body(harbour):
    make_article(title="Council budget approved", body="<p>Nothing about ports.</p>")
    assert titles(search_articles("wall")) == [harbour.title]
    assert titles(search_articles("ships")) == [harbour.title]
    assert titles(search_articles("repairs")) == [harbour.title]


def test_every_word_must_match(harbour):
    make_article(title="Storm closes schools", body="<p>Classes resume Monday.</p>")
    assert titles(search_articles("storm repairs")) == [harbour.title]
    assert sorted(titles(search_articles("storm"))) == sorted(
        [harbour.title, "Storm closes schools"]
    )


@pytest.mark.parametrize(
    ("status", "offset"),
    [
        (Article.Status.DRAFT, timedelta(hours=-1)),
        (Article.Status.SCHEDULED, timedelta(hours=1)),
        (Article.Status.PUBLISHED, timedelta(hours=1)),
        (Article.Status.ARCHIVED, timedelta(hours=-1)),
    ],
)
def test_articles_readers_may_not_see_are_never_found(client, status, offset):
    make_article(
        title="Embargoed harbour plans",
        status=status,
        published_at=timezone.now() + offset,
    )
    assert titles(search_articles("embargoed")) == []
    response = client.get(SEARCH_URL, {"q": "embargoed"})
    assert "Embargoed harbour plans" not in response.text


def test_it_narrows_by_section_tag_and_year(harbour, site_zone):
    world, ports = make_section(slug="world"), make_tag(slug="ports")
    in_world = make_article(
        title="Harbour in the world section",
        section=world,
        published_at=at(2023, 6, 1, 12),
    )
    tagged = make_article(
        title="Harbour with the ports tag",
        tags=[ports],
        published_at=at(2023, 7, 1, 12),
    )
    assert titles(search_articles("harbour", section="world")) == [in_world.title]
    assert titles(search_articles("harbour", tag="ports")) == [tagged.title]
    assert titles(search_articles("harbour", year=2024)) == [harbour.title]
    assert sorted(titles(search_articles("harbour", year=2023))) == sorted(
        [in_world.title, tagged.title]
    )
    assert titles(search_articles("harbour", section="nope")) == []


def test_the_page_passes_the_filters_on(client, harbour):
    make_article(title="Harbour elsewhere", published_at=at(2023, 1, 2, 12))
    response = client.get(SEARCH_URL, {"q": "harbour", "year": "2024"})
    assert result_titles(response) == [harbour.title]
    assert '<option value="2024" selected>2024</option>' in response.text


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_an_empty_query_shows_the_form_and_no_results(client, harbour, params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert '<form class="search-form" role="search"' in response.text
    assert "<h1>Search the archive</h1>" in response.text
    assert "search-result" not in response.text.replace("search-results", "")
    assert "No articles match" not in response.text
    assert titles(search_articles("   ")) == []


def test_no_match_says_so(client, harbour):
    response = client.get(SEARCH_URL, {"q": "volcano"})
    assert response.status_code == 200
    assert "No articles match “volcano”." in response.text


def test_results_link_to_the_article_with_a_highlighted_snippet(client, harbour):
    response = client.get(SEARCH_URL, {"q": "repairs"})
    assert response.status_code == 200
    assert "1 article found" in response.text
    assert f'<a href="{harbour.get_absolute_url()}">{harbour.title}</a>' in (
        response.text
    )
    [snippet] = snippets(response)
    assert "<mark>repairs</mark>" in snippet
    assert "<strong>" not in snippet  # tags from body_html become plain text


def test_the_snippet_escapes_everything_but_the_highlight(client, site_zone):
    make_article(
        title="<script>alert('title')</script> Harbour",
        dek='Dek with "quotes" & <b>tags</b>',
        body="<p>Harbour &lt;img src=x onerror=alert(1)&gt; reopened &amp; busy.</p>",
    )
    response = client.get(SEARCH_URL, {"q": "harbour"})
    page = response.text
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Harbour" in page
    [snippet] = snippets(response)
    assert "<img" not in snippet and "<b>" not in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "&amp;amp;" not in snippet  # entities are decoded once, then escaped
    # Only <mark> elements survive as markup.
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}
    assert re.search(r"<mark>harbour</mark>", snippet, re.I)


def test_sentinel_characters_in_the_text_cannot_unbalance_the_markup(client, site_zone):
    make_article(
        title="Harbour notes",
        body=f"<p>{STOP_SEL}odd {START_SEL}harbour{START_SEL} text {STOP_SEL}</p>",
    )
    response = client.get(SEARCH_URL, {"q": "harbour"})
    [snippet] = snippets(response)
    assert snippet.count("<mark>") == snippet.count("</mark>") >= 1
    assert START_SEL not in response.text and STOP_SEL not in response.text


def test_a_title_match_ranks_above_a_newer_body_match(site_zone):
    older_title = make_article(
        title="Lighthouse restored",
        body="<p>Volunteers finished the work.</p>",
        published_at=at(2024, 1, 1, 12),
    )
    newer_body = make_article(
        title="Coastal news roundup",
        body="<p>Elsewhere a lighthouse got a coat of paint.</p>",
        published_at=at(2024, 2, 1, 12),
    )
    # A title match (weight A; 4 on SQLite) beats a body match (C; 1)
    # whatever the date.
    assert titles(search_articles("lighthouse")) == [
        older_title.title,
        newer_body.title,
    ]


def test_phrases_and_exclusions_work_on_both_databases(site_zone):
    make_article(title="Harbour wall repaired", body="<p>After the storm.</p>")
    make_article(title="Wall of the harbour", body="<p>Calm seas.</p>")
    assert titles(search_articles('"harbour wall"')) == ["Harbour wall repaired"]
    assert titles(search_articles("harbour -storm")) == ["Wall of the harbour"]


def test_stemming_on_postgresql_and_substrings_on_sqlite(site_zone):
    make_article(title="Harbour reopens", body="<p>The quay was rebuilt.</p>")
    make_article(title="Ferries", body="<p>Ferry services resumed.</p>")
    if POSTGRES:
        # English stemming: "harbours" finds "harbour", "resuming" "resumed".
        assert titles(search_articles("harbours")) == ["Harbour reopens"]
        assert titles(search_articles("resuming")) == ["Ferries"]
        # Stop words alone match nothing rather than everything.
        assert titles(search_articles("the")) == []
    else:
        assert titles(search_articles("harbours")) == []
        assert titles(search_articles("resum")) == ["Ferries"]
        assert titles(search_articles("harb")) == ["Harbour reopens"]


@pytest.mark.parametrize(
    "query",
    ["'", '"', "&", "|", "!", ":*", "(", ")", "\\", "-", "or", "%", "_", "a:b", "😀"],
)
def test_odd_characters_never_break_the_search(client, harbour, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200


def test_a_query_the_form_refuses_is_a_400_with_the_form(client, harbour):
    response = client.get(SEARCH_URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert '<form class="search-form" role="search"' in response.text
    assert 'class="search-form__error"' in response.text
    assert "search-result__title" not in response.text


def test_a_nul_byte_is_the_site_s_400_page_with_a_search_box(client, harbour):
    response = client.get(SEARCH_URL, {"q": "harbour\x00"})
    assert response.status_code == 400
    assert "We couldn’t read that request" in response.text
    assert '<form class="search-form" role="search"' in response.text
    assert "search-result__title" not in response.text


def test_post_is_not_allowed(client):
    assert client.post(SEARCH_URL, {"q": "harbour"}).status_code == 405


def test_pages_keep_the_query_and_show_the_rest(client, settings, site_zone):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        make_article(title=f"Harbour day {day}", published_at=at(2024, 3, day, 12))
    first = client.get(SEARCH_URL, {"q": "harbour"})
    assert "5 articles found" in first.text
    assert len(result_titles(first)) == 2
    assert 'href="?q=harbour&amp;page=2" rel="next"' in first.text
    last = client.get(SEARCH_URL, {"q": "harbour", "page": "3"})
    assert len(result_titles(last)) == 1
    assert 'href="?q=harbour&amp;page=2" rel="prev"' in last.text
    # An out-of-range or junk page number shows the nearest page, not an error.
    assert client.get(SEARCH_URL, {"q": "harbour", "page": "99"}).status_code == 200
    assert client.get(SEARCH_URL, {"q": "harbour", "page": "x"}).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_the_results_page_costs_the_same_queries_for_3_or_30_results(
    client, django_assert_num_queries, settings, site_zone, n
):
    settings.ARTICLES_PER_PAGE = 50
    section = make_section()
    for i in range(n):
        make_article(
            title=f"Harbour story {i}",
            section=section,
            tags=[make_tag()],
            authors=[make_author(), make_author()],
        )
    # The search page's budget, on either database (PostgreSQL counts its
    # heading and body matches in one statement).
    with django_assert_num_queries(PAGE_QUERIES["search"]):
        response = client.get(SEARCH_URL, {"q": "harbour"})
    assert len(result_titles(response)) == n


@pytest.mark.parametrize("url", ["/", "/privacy/", "/no/such/page/", "article"])
def test_every_page_has_the_search_form_in_its_header(client, harbour, url):
    if url == "article":
        url = harbour.get_absolute_url()
    page = client.get(url).text
    header = page[page.index('<header class="masthead">') : page.index("</header>")]
    assert f'action="{SEARCH_URL}" method="get"' in header
    assert 'role="search"' in header
    assert '<input type="search" id="site-search-q" name="q"' in header
    assert '<label class="visually-hidden" for="site-search-q">' in header


def test_the_header_form_keeps_the_query_on_the_results_page(client, harbour):
    page = client.get(SEARCH_URL, {"q": 'harbour "wall"'}).text
    assert 'name="q" value="harbour &quot;wall&quot;"' in page


def test_search_pages_are_kept_out_of_search_engines(client):
    page = client.get(SEARCH_URL, {"q": "harbour"}).text
    assert '<meta name="robots" content="noindex, follow">' in page
    assert "Disallow: /search/" in client.get("/robots.txt").text


@pytest.mark.django_db
def test_postgres_keeps_a_gin_indexed_search_vector_and_sqlite_none():
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "articles_article"
            )
        ]
        constraints = connection.introspection.get_constraints(
            cursor, "articles_article"
        )
    if connection.vendor == "postgresql":
        assert "search_vector" in columns
        assert constraints["article_search_vector"]["type"] == "gin"
    else:
        assert "search_vector" not in columns
        assert "article_search_vector" not in constraints
