"""A reader searches from the header box, narrows the results and opens one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_article, make_author, make_section, make_tag


@pytest.fixture
def archive(db, settings):
    settings.ARTICLES_PER_PAGE = 2
    business = make_section(name="Business", slug="business")
    world = make_section(name="World", slug="world")
    economy = make_tag(name="Economy", slug="economy")
    writer = make_author(name="Amelia Hart", slug="amelia-hart")
    now = timezone.now()
    for i in range(3):
        make_article(
            title=f"Interest rates held, week {i + 1}",
            body="<p>The central bank kept interest rates where they were.</p>",
            section=business,
            tags=[economy],
            authors=[writer],
            published_at=now - timedelta(days=i + 1),
        )
    make_article(
        title="Interest rates abroad",
        body="<p>Other central banks kept interest rates too.</p>",
        section=world,
        published_at=now - timedelta(hours=5),
    )
    make_article(
        title="Mortgage holders squeezed",
        body="<p>Higher interest rates reached every mortgage.</p>",
        section=business,
        published_at=now - timedelta(hours=2),
    )


def test_reader_searches_from_the_header_narrows_and_opens_a_result(
    live_server, page, screenshot, archive
):
    page.goto(f"{live_server.url}/")
    header_box = page.locator(".masthead").get_by_role("searchbox")
    header_box.fill('"interest rates" -mortgage')
    header_box.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        'Search results for “"interest rates" -mortgage”'
    )
    expect(page.get_by_role("status")).to_have_text("4 articles found")
    results = page.locator(".search-result")
    expect(results).to_have_count(2)
    # PostgreSQL marks each word of a phrase, SQLite the phrase as a whole.
    expect(results.first.locator("mark").first).to_contain_text("interest")
    expect(results.first.locator(".search-result__snippet")).to_contain_text(
        "interest rates"
    )
    expect(page.get_by_text("Mortgage holders squeezed")).to_have_count(0)
    # The header box keeps the search for the next one.
    expect(header_box).to_have_value('"interest rates" -mortgage')
    screenshot("search-results")

    page.get_by_label("Section", exact=True).select_option("business")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("3 articles found")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(
        f"{live_server.url}/search/?q=%22interest+rates%22+-mortgage&section=business"
        "&author=&year=&page=2"
    )
    expect(results).to_have_count(1)
    expect(page.get_by_label("Section", exact=True)).to_have_value("business")

    results.first.get_by_role("link", name="Interest rates held, week 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Interest rates held, week 3"
    )
    assert page.csp_violations() == []
    assert page.page_errors == []


def test_a_hostile_search_typed_in_the_header_runs_nothing(live_server, page, archive):
    page.goto(f"{live_server.url}/")
    header_box = page.locator(".masthead").get_by_role("searchbox")
    header_box.fill(
        'rates <img src=x onerror="window.__xss=1"><script>alert(1)</script>'
    )
    header_box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img src=x")
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.page_errors == []
