"""
Archive pages say how many articles they hold; the home page's archive
calendar counts each month; the article names the previous and next story
in its section; dates read as a newspaper prints them.
"""

import re
from datetime import timedelta

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


@pytest.fixture(autouse=True)
def _zone(site_zone, settings):
    settings.ARTICLES_PER_PAGE = 2  # counts must cover every page, not one


def count_text(body: str) -> str:
    match = re.search(r'<span class="archive-count">([^<]+)</span>', body)
    assert match, "no count on the page"
    return match.group(1)


@pytest.fixture
def archive():
    section, tag, author, source = (
        make_section(slug="world"),
        make_tag(slug="ports"),
        make_author(slug="ada"),
        make_source(slug="reuters"),
    )
    articles = [
        make_article(
            published_at=at(2024, 3, 5, 9 + i),
            section=section,
            tags=[tag],
            authors=[author],
        )
        for i in range(3)
    ]
    make_quote(article=articles[0], source=source)
    make_quote(article=articles[0], source=source, position=1)
    make_quote(article=articles[1], source=source)
    make_article(published_at=at(2024, 1, 10, 12), section=section)
    make_article(published_at=at(2023, 12, 31, 23, 30))
    hidden = make_article(status="draft", section=section, tags=[tag])
    make_quote(article=hidden, source=source)
    make_article(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
        section=section,
    )
    return articles


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/section/world/", "4 articles"),
        ("/tag/ports/", "3 articles"),
        ("/author/ada/", "3 articles"),
        ("/2024/", "4 articles"),
        ("/2024/03/", "3 articles"),
        ("/2024/03/05/", "3 articles"),
        ("/2024/01/10/", "1 article"),
        ("/source/reuters/", "3 quotes in 2 articles"),
    ],
)
def test_each_archive_page_says_how_many_it_holds(client, archive, url, expected):
    assert count_text(client.get(url).text) == expected


def test_the_home_calendar_counts_articles_by_month_in_the_sites_zone(client, archive):
    body = client.get("/").text
    calendar = body[body.index('class="archive-calendar"') :]

    assert 'aria-label="March 2024: 3 articles"' in calendar
    assert 'aria-label="January 2024: 1 article"' in calendar
    # 23:30 on 31 December in New York, though January in UTC.
    assert 'aria-label="December 2023: 1 article"' in calendar
    assert 'aria-label="February 2024' not in calendar
    assert calendar.index(">2024</a>") < calendar.index(">2023</a>")
    assert 'href="/2024/03/"' in calendar


def test_the_cached_calendar_follows_a_new_article_and_a_scheduled_one_going_live(
    client, archive, time_machine
):
    client.get("/")  # fills the cache
    make_article(published_at=at(2024, 2, 2, 9))
    make_article(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert 'aria-label="February 2024: 1 article"' in client.get("/").text

    time_machine.move_to(timezone.now() + timedelta(hours=2))
    month = timezone.localdate()
    label = f'aria-label="{month:%B %Y}: '
    assert label + "1 article" in client.get("/").text


def test_the_year_page_lists_its_months_with_counts(client, archive):
    body = client.get("/2024/").text
    assert re.search(
        r'href="/2024/03/">March</a> <span class="archive-count">\(3\)', body
    )
    assert re.search(
        r'href="/2024/01/">January</a> <span class="archive-count">\(1\)', body
    )
    assert 'href="/2024/02/"' not in body


def test_an_empty_year_is_still_a_404(client, archive):
    assert client.get("/2019/").status_code == 404


def test_the_article_names_the_previous_and_next_in_its_section(client, archive):
    first, middle, last = archive
    elsewhere = make_article(published_at=at(2024, 3, 5, 10, 30))

    body = client.get(middle.get_absolute_url()).text
    nav = body[body.index('class="article-step"') :]

    assert f'rel="prev" href="{first.get_absolute_url()}"' in nav
    assert f'rel="next" href="{last.get_absolute_url()}"' in nav
    assert elsewhere.title not in nav


def test_the_newest_in_a_section_has_no_next_and_scheduled_ones_stay_hidden(
    client, archive
):
    last = archive[-1]
    body = client.get(last.get_absolute_url()).text
    assert 'rel="prev"' in body
    assert 'rel="next"' not in body


def test_dates_read_as_a_newspaper_prints_them_in_the_sites_zone(client):
    article = make_article(published_at=at(2026, 11, 29, 14, 3))
    body = client.get("/").text
    assert (
        '<time class="dateline" datetime="2026-11-29T14:03:00-05:00">'
        "29 November 2026, 14:03</time>"
    ) in body
    assert "29 November 2026, 14:03" in client.get(article.get_absolute_url()).text
    assert "Sunday 29 November 2026" in client.get("/2026/11/29/").text
