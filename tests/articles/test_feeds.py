"""
Article feeds: RSS 2.0 where WordPress had it, Atom beside it, for the site
and every section, tag, author and source; parsed back with feedparser.
"""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import article_unpublish
from tests.factories import (
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def newsroom():
    section = make_section(name="World", slug="world")
    tag = make_tag(name="Ports", slug="ports")
    author = make_author(name="Ada Reporter", slug="ada")
    second = make_author(name="Bo Writer", slug="bo")
    source = make_source(name="Reuters", slug="reuters")
    article = make_article(
        title="Harbour reopens",
        slug="harbour-reopens",
        dek="Ships return after the storm.",
        body="<p>The harbour <em>reopened</em> today.</p>",
        section=section,
        tags=[tag],
        authors=[author, second],
        featured_image_url="https://img.example/harbour.png",
        featured_image_alt="The harbour",
    )
    make_quote(article=article, source=source)
    hidden = [
        make_article(title="Draft story", status="draft", section=section, tags=[tag]),
        make_article(
            title="Future story",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(days=1),
            section=section,
            tags=[tag],
        ),
    ]
    for other in hidden:
        make_quote(article=other, source=source)
    return {"article": article, "section": section, "tag": tag, "author": author}


def parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


FEEDS = [
    "/feed/",
    "/section/world/feed/",
    "/tag/ports/feed/",
    "/author/ada/feed/",
    "/source/reuters/feed/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_each_rss_feed_is_valid_rss_2_and_lists_only_published_articles(
    client, newsroom, url
):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = parse(response)
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ["Harbour reopens"]


@pytest.mark.parametrize("url", FEEDS)
def test_each_atom_feed_is_valid_atom_with_the_same_items(client, newsroom, url):
    response = client.get(url + "atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Harbour reopens"]


def test_an_rss_item_carries_what_wordpress_sends(client, newsroom):
    article = newsroom["article"]
    entry = parse(client.get("/feed/")).entries[0]
    url = SITE + article.get_absolute_url()

    assert entry.link == url
    assert entry.id == url
    assert entry.summary == "Ships return after the storm."
    assert "<em>reopened</em>" in entry.content[0].value
    assert {t.term for t in entry.tags} == {"World", "Ports"}
    assert [a.name for a in entry.authors] == ["Ada Reporter", "Bo Writer"]
    assert entry.wfw_commentrss == url + "feed/"
    assert entry.comments == url + "#comments"
    assert entry.published_parsed is not None
    [enclosure] = entry.enclosures
    assert enclosure.href == "https://img.example/harbour.png"
    assert enclosure.type == "image/png"


def test_an_atom_entry_names_every_author_with_their_page(client, newsroom):
    entry = parse(client.get("/feed/atom/")).entries[0]
    assert [(a.name, a.href) for a in entry.authors] == [
        ("Ada Reporter", SITE + "/author/ada/"),
        ("Bo Writer", SITE + "/author/bo/"),
    ]
    assert entry.updated_parsed is not None
    assert "<em>reopened</em>" in entry.content[0].value


def test_with_full_content_off_only_the_excerpt_is_sent(client, newsroom, settings):
    settings.FEEDS_FULL_CONTENT = False
    for url in ("/feed/", "/feed/atom/"):
        entry = parse(client.get(url)).entries[0]
        assert entry.summary == "Ships return after the storm."
        assert "content" not in entry
        assert b"reopened" not in client.get(url).content


def test_without_a_standfirst_the_excerpt_is_the_first_55_words(client):
    words = [f"word{i}" for i in range(80)]
    make_article(title="Long", dek="", body=f"<p>{' '.join(words)}</p>")
    entry = parse(client.get("/feed/")).entries[0]
    assert entry.summary == " ".join(words[:55]) + " […]"


def test_every_address_comes_from_site_url_not_the_host_header(client, newsroom):
    response = client.get("/feed/", headers={"host": "evil.example"})
    feed = parse(response)
    assert b"evil.example" not in response.content
    assert feed.feed.link == SITE + "/"
    [self_link] = [link for link in feed.feed.links if link.rel == "self"]
    assert self_link.href == SITE + "/feed/"
    atom = parse(client.get("/tag/ports/feed/atom/", headers={"host": "evil.example"}))
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [
        SITE + "/tag/ports/feed/atom/"
    ]


def test_hostile_names_and_titles_are_escaped_in_the_xml(client):
    hostile = "</title><script>alert(1)</script>&amp;"
    tag = make_tag(name=hostile, slug="hostile")
    make_article(
        title=hostile, dek=hostile, tags=[tag], authors=[make_author(name=hostile)]
    )
    for url in ("/feed/", "/feed/atom/", "/tag/hostile/feed/"):
        response = client.get(url)
        assert b"<script>" not in response.content
        entry = parse(response).entries[0]
        assert entry.title == hostile


def test_an_unknown_subject_feed_is_a_404(client, newsroom):
    assert client.get("/tag/nothing/feed/").status_code == 404
    assert client.get("/source/nothing/feed/atom/").status_code == 404


def test_an_unchanged_feed_answers_304_by_etag_and_by_date(client, newsroom):
    first = client.get("/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get("/feed/", headers={"if-none-match": etag})
    by_date = client.get("/feed/", headers={"if-modified-since": modified})

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag
    assert by_date.status_code == 304


def test_rss_and_atom_of_one_list_have_different_etags(client, newsroom):
    assert client.get("/feed/")["ETag"] != client.get("/feed/atom/")["ETag"]


def test_an_edit_gives_the_feed_a_new_etag(client, newsroom):
    etag = client.get("/feed/")["ETag"]
    article = newsroom["article"]
    article.title = "Harbour reopens fully"
    article.save()

    response = client.get("/feed/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert parse(response).entries[0].title == "Harbour reopens fully"


def test_a_scheduled_article_going_live_changes_the_feed_with_no_write(
    client, newsroom, time_machine
):
    etag = client.get("/feed/")["ETag"]
    time_machine.move_to(timezone.now() + timedelta(days=2))

    response = client.get("/feed/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "Future story" in [e.title for e in parse(response).entries]


def test_unpublishing_an_article_changes_the_etag_and_the_date(
    client, newsroom, time_machine
):
    first = client.get("/feed/")
    # Last-Modified has whole seconds: the change comes in a later one.
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    article_unpublish(article=newsroom["article"])

    by_etag = client.get("/feed/", headers={"if-none-match": first["ETag"]})
    by_date = client.get(
        "/feed/", headers={"if-modified-since": first["Last-Modified"]}
    )

    assert by_etag.status_code == 200 and by_date.status_code == 200
    assert parse(by_etag).entries == []


def test_every_page_head_names_the_site_feeds(client, newsroom):
    body = client.get("/").text
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="The Newsarchive (RSS)" href="{SITE}/feed/">'
        in body
    )
    assert f'href="{SITE}/feed/atom/"' in body
    assert f'href="{SITE}/comments/feed/"' in body


@pytest.mark.parametrize("kind", ["section", "tag", "author", "source"])
def test_a_subject_page_head_and_header_name_its_own_feeds(client, newsroom, kind):
    slug = {"section": "world", "tag": "ports", "author": "ada", "source": "reuters"}[
        kind
    ]
    body = client.get(f"/{kind}/{slug}/").text
    assert '<link rel="alternate" type="application/rss+xml"' in body
    assert f'href="{SITE}/{kind}/{slug}/feed/"' in body
    assert f'href="{SITE}/{kind}/{slug}/feed/atom/"' in body
    assert f'href="/{kind}/{slug}/feed/"' in body


def test_the_article_page_head_names_its_comments_feed(client, newsroom):
    url = newsroom["article"].get_absolute_url()
    assert f'href="{SITE}{url}feed/"' in client.get(url).text
