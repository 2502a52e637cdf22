"""A reader goes from the front page to an article and sees a complete story."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

BODY = "".join(
    f"<p>{text}</p>"
    for text in [
        "Container ships returned to the eastern harbour on Monday, three weeks "
        "after the autumn storm closed the port and left two of its cranes "
        "leaning over the water.",
        "Harbour engineers worked through the weekend to clear the main channel. "
        "Pilots guided the first vessel in shortly after dawn, watched by dock "
        "workers who had been laid off since the storm.",
        "<strong>The city council</strong> approved emergency funding last week, "
        "and the port authority says full capacity should return before the end "
        "of the year.",
    ]
)


@pytest.fixture
def story(db):
    world = make_section(name="World", slug="world")
    make_section(name="Business", slug="business")
    make_section(name="Science", slug="science")
    ports = make_tag(name="Ports", slug="ports")
    shipping = make_tag(name="Shipping", slug="shipping")
    writers = [
        make_author(name="Amelia Hart", slug="amelia-hart"),
        make_author(name="Jonas Berg", slug="jonas-berg"),
    ]
    now = timezone.now()
    for i, title in enumerate(
        [
            "Dock workers vote on new contract as backlog clears",
            "Freight rates fall for a third month",
            "Storm damage estimate revised upward",
        ]
    ):
        make_article(
            title=title,
            section=world,
            tags=[ports],
            authors=[writers[i % 2]],
            published_at=now - timedelta(hours=3 + i),
        )
    article = make_article(
        title="Ships return to the harbour three weeks after the storm",
        slug="ships-return",
        dek="Engineers cleared the main channel over the weekend; full capacity "
        "is expected before the end of the year.",
        body=BODY,
        section=world,
        tags=[ports, shipping],
        authors=writers,
        published_at=now - timedelta(hours=1),
    )
    make_quote(
        article=article,
        text="We will rebuild the harbour, and we will do it this year.",
        source=make_source(
            name="Reuters", slug="reuters", url="https://reuters.example/"
        ),
        source_url="https://reuters.example/harbour",
        speaker="the mayor",
        position=0,
    )
    make_quote(
        article=article,
        text="Shipping through the port has resumed in full.",
        source=make_source(name="TASS", slug="tass", url="https://tass.example/"),
        position=1,
    )
    return article


def test_reader_clicks_through_to_a_complete_article(
    live_server, page, screenshot, story
):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=story.title).click()

    expect(page).to_have_url(f"{live_server.url}{story.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(story.title)
    byline = page.locator(".article__byline")
    expect(byline).to_be_visible()
    expect(byline.get_by_role("link", name="Amelia Hart")).to_be_visible()
    expect(byline.get_by_role("link", name="Jonas Berg")).to_be_visible()

    quotes = page.locator("figure.quote")
    expect(quotes).to_have_count(2)
    expect(quotes.first.locator("blockquote")).to_contain_text("We will rebuild")
    expect(quotes.first.locator("figcaption")).to_have_text(
        "— Reuters, the mayor (original)"
    )
    expect(quotes.first.get_by_role("link", name="Reuters")).to_have_attribute(
        "href", "/source/reuters/"
    )
    expect(quotes.first.get_by_role("link", name="(original)")).to_have_attribute(
        "href", "https://reuters.example/harbour"
    )

    share = page.get_by_role("navigation", name="Share this article")
    for name in ("Email", "X", "Facebook", "LinkedIn", "Reddit", "Copy link"):
        expect(share.get_by_role("link", name=name, exact=False).first).to_be_visible()

    expect(page.locator("#comments")).to_contain_text("Akismet")
    screenshot("article")
    page.goto(f"{live_server.url}/")
    screenshot("home")

    assert page.csp_violations() == []
    assert page.page_errors == []


def test_reader_follows_a_quotes_source_to_everything_it_said(
    live_server, page, screenshot, story
):
    other = make_article(title="Port strike ends", section=story.section)
    make_quote(
        article=other,
        text="The strike is over.",
        source=story.quotes.get(position=0).source,
    )
    page.goto(f"{live_server.url}{story.get_absolute_url()}")

    page.locator("figure.quote").first.get_by_role("link", name="Reuters").click()

    expect(page).to_have_url(f"{live_server.url}/source/reuters/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reuters")
    expect(page.locator(".archive-count")).to_have_text("2 quotes in 2 articles")
    expect(page.locator(".source-quotes__item")).to_have_count(2)
    expect(page.get_by_text("The strike is over.")).to_be_visible()
    page.get_by_role("link", name=story.title).click()
    expect(page).to_have_url(f"{live_server.url}{story.get_absolute_url()}")

    page.get_by_role("link", name="Sources", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/sources/")
    items = page.locator(".source-list li")
    expect(items.first).to_contain_text("Reuters")
    expect(items.first).to_contain_text("2 quotes")
    screenshot("sources")
    assert page.csp_violations() == []
    assert page.page_errors == []
