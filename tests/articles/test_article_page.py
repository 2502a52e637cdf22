"""The article page reads like a serious news site and leaks nothing unsafe."""

import json
import re
from html import unescape

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

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(site_zone):
    section = make_section(name="World", slug="world")
    tag = make_tag(name="Ports", slug="ports")
    first = make_author(name="Ann Writer", slug="ann-writer")
    second = make_author(name="Bo Reporter", slug="bo-reporter")
    article = make_article(
        title="Harbour </script><script>alert(1)</script> reopens",
        slug="harbour-reopens",
        dek="Ships return after the storm.",
        published_at=at(2020, 9, 28, 11, 10),
        section=section,
        tags=[tag],
        authors=[second, first],  # Bo first: byline order is ArticleAuthor.position
        featured_image_url="https://img.example/harbour.jpg",
        featured_image_alt="Cranes over the harbour at dawn",
        body="<p>" + "word " * 900 + "</p>",
    )
    reuters = make_source(
        name="Reuters", slug="reuters", url="https://reuters.example/"
    )
    make_quote(
        article=article,
        source=reuters,
        text="We will rebuild the harbour.",
        source_url="https://reuters.example/story",
        speaker="the mayor",
        position=0,
    )
    make_quote(
        article=article, source=make_source(name="TASS"), text="Second", position=1
    )
    return article


@pytest.fixture
def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_it_has_one_h1_with_the_headline(page):
    assert len(re.findall(r"<h1\b", page)) == 1
    assert (
        "Harbour &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; reopens" in page
    )


def test_it_shows_section_dek_and_ordered_bylines(page):
    assert 'href="/section/world/">World</a>' in page
    assert "Ships return after the storm." in page
    assert page.index("Bo Reporter") < page.index("Ann Writer")
    assert 'href="/author/ann-writer/"' in page


def test_it_shows_the_date_in_the_site_zone_with_a_time_element(page):
    assert "28 September 2020, 11:10" in page
    assert '<time class="dateline" datetime="2020-09-28T11:10:00-04:00">' in page


def test_it_renders_quotes_as_attributed_figures(page):
    assert (
        '<figure class="quote"><blockquote cite="https://reuters.example/story">'
        "<p>We will rebuild the harbour.</p></blockquote>"
        '<figcaption>— <a class="quote__source" href="/source/reuters/">Reuters</a>,'
        ' the mayor <a class="quote__original" href="https://reuters.example/story"'
        ' rel="noopener">(original)</a></figcaption></figure>'
    ) in page
    # Without a quote URL, the source's own URL is the citation.
    assert page.index("We will rebuild") < page.index("Second")


def test_it_shows_tags_reading_time_and_image_alt(page):
    assert 'href="/tag/ports/"' in page
    assert "4 min read" in page
    assert 'alt="Cranes over the harbour at dawn"' in page


def test_share_links_are_plain_links_without_scripts(page):
    for host in ("mailto:", "x.com", "facebook.com", "linkedin.com", "reddit.com"):
        assert host in page
    assert "Copy link" in page
    # No third-party scripts: any script file is our own static file.
    for src in re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", page):
        assert src.startswith("/static/"), src


def test_it_has_a_canonical_link_and_social_meta(page):
    canonical = "http://127.0.0.1:8000/2020/09/28/harbour-reopens/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'property="og:image" content="https://img.example/harbour.jpg"' in page


def test_json_ld_is_a_news_article_that_cannot_break_out_of_its_script(page):
    blocks = re.findall(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>',
        page,
        re.S,
    )
    assert len(blocks) == 1
    assert "</script" not in blocks[0] and "<" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Harbour </script><script>")
    assert [a["name"] for a in data["author"]] == ["Bo Reporter", "Ann Writer"]
    assert data["articleSection"] == "World"
    assert data["image"] == ["https://img.example/harbour.jpg"]
    assert data["datePublished"].startswith("2020-09-28T15:10:00")


def test_every_inline_script_carries_the_csp_nonce(client, article):
    response = client.get(article.get_absolute_url())
    header = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    inline = [
        t for t in re.findall(r"<script\b[^>]*>", response.text) if "src=" not in t
    ]
    assert inline  # the JSON-LD block at least
    for tag in inline:
        assert f'nonce="{nonce}"' in tag
    assert " style=" not in response.text
    assert not re.search(r"\son\w+=", response.text)


def test_comment_region_and_akismet_notice_are_at_the_bottom(page):
    assert (
        '<section id="comments" class="comments" aria-labelledby="comments-heading">'
        in page
    )
    assert "Leave a Comment" in page
    assert "This site uses Akismet to reduce spam." in unescape(page)
    assert 'href="/privacy/#comments"' in page


def test_landmarks_and_skip_link_are_present(page):
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert 'href="#main"' in page


def test_related_articles_share_a_tag_or_section_and_exclude_itself(
    client, article, site_zone
):
    tag = article.tags.get()
    related = [make_article(title=f"Related {i}", tags=[tag]) for i in range(5)]
    make_article(title="Unrelated story")
    make_article(title="Hidden related", tags=[tag], status="draft")
    html = client.get(article.get_absolute_url()).text
    related_part = html[html.index('id="related-heading"') :]
    related_part = related_part[: related_part.index("</aside>")]
    assert related_part.count('class="summary"') == 4
    assert "Unrelated story" not in related_part
    assert "Hidden related" not in related_part
    assert "harbour-reopens" not in related_part
    assert related[-1].title not in related_part  # oldest of five drops off
