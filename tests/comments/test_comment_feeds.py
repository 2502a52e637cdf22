"""
Comment feeds at WordPress's addresses, public comments only: a held, spam,
removed or unchecked comment never appears, nor one on a hidden article.
"""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from comments import moderation
from comments.models import Status
from tests.factories import make_article, make_comment, make_moderator

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def article():
    return make_article(title="Harbour reopens", slug="harbour-reopens")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def bodies(feed) -> list[str]:
    return [entry.content[0].value for entry in feed.entries]


def test_the_site_comments_feed_shows_only_public_comments(client, article):
    make_comment(article=article, body="Approved words.", author_name="Ann")
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        make_comment(article=article, status=status, body=f"{status} words.")
    draft = make_article(status="draft")
    make_comment(article=draft, body="On a draft.")
    future = make_article(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    make_comment(article=future, body="On a future story.")

    feed = parse(client.get("/comments/feed/"))

    assert bodies(feed) == ["<p>Approved words.</p>"]
    [entry] = feed.entries
    assert entry.title == "Comment on Harbour reopens by Ann"
    assert entry.author == "Ann"
    assert entry.link.startswith(SITE + "/comment/")
    assert feed.feed.link == SITE + "/"


def test_an_articles_comments_feed_lives_under_its_permalink(client, article):
    make_comment(article=article, body="Mine.", author_name="Ann")
    make_comment(article=make_article(), body="Elsewhere.")

    feed = parse(client.get(article.get_absolute_url() + "feed/"))

    assert bodies(feed) == ["<p>Mine.</p>"]
    assert feed.entries[0].title == "By: Ann"
    assert feed.feed.title == "Comments on: Harbour reopens"
    [self_link] = [link for link in feed.feed.links if link.rel == "self"]
    assert self_link.href == SITE + article.get_absolute_url() + "feed/"


def test_a_hidden_or_unknown_articles_comments_feed_is_a_404(client, article):
    draft = make_article(status="draft", published_at=article.published_at)
    day = article.get_absolute_url().rsplit("/", 2)[0]
    assert client.get(f"{day}/{draft.slug}/feed/").status_code == 404
    assert client.get(f"{day}/no-such-story/feed/").status_code == 404
    assert client.get("/2024/02/31/harbour-reopens/feed/").status_code == 404


def test_a_comment_a_moderator_removes_leaves_the_feed_at_once(client, article):
    comment = make_comment(article=article, body="Soon gone.")
    first = client.get("/comments/feed/")
    assert bodies(parse(first)) == ["<p>Soon gone.</p>"]

    moderation.remove(comment=comment, actor=make_moderator())
    again = client.get("/comments/feed/", headers={"if-none-match": first["ETag"]})

    assert bodies(parse(again)) == []


def test_an_unchanged_comments_feed_answers_304(client, article):
    make_comment(article=article)
    first = client.get("/comments/feed/")
    again = client.get("/comments/feed/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_hostile_commenter_names_and_bodies_are_escaped(client, article):
    hostile = "</title><script>alert(1)</script>"
    make_comment(article=article, author_name=hostile, body=hostile + " text")

    response = client.get("/comments/feed/")

    assert b"<script>" not in response.content
    feed = parse(response)
    assert feed.entries[0].author == hostile
    assert "<script>" not in feed.entries[0].content[0].value


def test_the_feed_never_carries_an_email_or_an_address(client, article):
    make_comment(article=article, author_email="secret@example.com", ip="203.0.113.9")
    content = client.get("/comments/feed/").content
    assert b"secret@example.com" not in content and b"203.0.113.9" not in content


def test_the_comments_feed_costs_the_same_for_3_or_30_comments(
    client, article, django_assert_num_queries
):
    for n in (3, 30):
        for _ in range(n):
            make_comment(article=make_article())
        # State: the comments' aggregate and the articles' token; then items.
        with django_assert_num_queries(3):
            assert client.get("/comments/feed/").status_code == 200


def test_a_relative_link_in_a_comment_reaches_the_feed_absolute(client, article):
    comment = make_comment(
        article=article,
        body='See <a href="/2024/03/05/earlier-story/">the earlier story</a> and '
        "https://elsewhere.org/report",
    )
    assert 'href="/2024/03/05/earlier-story/"' in comment.body_html

    response = client.get("/comments/feed/")
    feed = feedparser.parse(response.content, resolve_relative_uris=False)

    [body] = bodies(feed)
    assert f'href="{SITE}/2024/03/05/earlier-story/"' in body
    assert 'href="https://elsewhere.org/report"' in body
