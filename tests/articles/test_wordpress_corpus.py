"""
WordPress's own theme test export imports whole: every count here comes from
a plain pass over the file in the test, not from the importer.
"""

import io
import re
from collections import Counter

import pytest
from defusedxml import ElementTree as ET

from articles.models import Article, Author, Page, Section, Tag
from comments.models import Comment, ModerationEvent
from newsarchive.importing import import_wxr
from tests.wxr import CORPUS

pytestmark = pytest.mark.django_db

WP = "{https://wordpress.org/export/1.2/}"
KEPT_STATUSES = {"publish", "future", "draft", "pending", "private"}


def _file_facts() -> dict:
    """What the export holds, read whole by a plain (defused) ElementTree parse."""
    channel = ET.parse(CORPUS).getroot().find("channel")
    items = channel.findall("item")
    by_type_status = Counter(
        (i.findtext(f"{WP}post_type"), i.findtext(f"{WP}status")) for i in items
    )
    posts = [
        i
        for i in items
        if i.findtext(f"{WP}post_type") == "post"
        and i.findtext(f"{WP}status") in KEPT_STATUSES
    ]
    depth = 0
    for post in posts:
        parents = {
            c.findtext(f"{WP}comment_id"): c.findtext(f"{WP}comment_parent")
            for c in post.findall(f"{WP}comment")
        }
        for comment_id in parents:
            d, node = 0, comment_id
            while (
                parents.get(node, "0") not in ("0", "", None)
                and parents[node] in parents
            ):
                d, node = d + 1, parents[node]
            depth = max(depth, d)
    return {
        "by_type_status": by_type_status,
        "post_comments": sum(len(p.findall(f"{WP}comment")) for p in posts),
        "authors": len(channel.findall(f"{WP}author")),
        "categories": {
            c.findtext(f"{WP}category_nicename")
            for c in channel.findall(f"{WP}category")
        },
        "tags": {t.findtext(f"{WP}tag_slug") for t in channel.findall(f"{WP}tag")},
        "max_depth": depth,
        # Password-protected posts are imported as drafts.
        "protected": Counter(
            p.findtext(f"{WP}status") for p in posts if p.findtext(f"{WP}post_password")
        ),
    }


@pytest.fixture
def facts():
    return _file_facts()


@pytest.fixture
def imported():
    with CORPUS.open("rb") as stream:
        return import_wxr(stream)


def test_the_facts_are_read_from_the_file(facts):
    # Guards the assertions below against counting an empty set.
    assert facts["by_type_status"][("post", "publish")] > 10
    assert facts["post_comments"] > 10
    assert facts["max_depth"] >= 2


def test_every_post_page_author_and_comment_is_imported(imported, facts):
    kinds = facts["by_type_status"]
    posts = sum(n for (t, s), n in kinds.items() if t == "post" and s in KEPT_STATUSES)
    pages = sum(n for (t, s), n in kinds.items() if t == "page" and s in KEPT_STATUSES)

    assert not imported.failed, imported.errors
    assert Article.objects.count() == posts
    assert Page.objects.count() == pages
    assert Comment.objects.count() == facts["post_comments"]
    assert Author.objects.count() == facts["authors"]
    assert set(Section.objects.values_list("slug", flat=True)) >= facts["categories"]
    assert set(Tag.objects.values_list("slug", flat=True)) >= facts["tags"]


def test_statuses_follow_the_export(imported, facts):
    kinds = facts["by_type_status"]

    protected = facts["protected"]
    assert sum(protected.values()) == 1
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == (
        kinds[("post", "publish")] - protected["publish"]
    )
    assert Article.objects.filter(status=Article.Status.SCHEDULED).count() == (
        kinds[("post", "future")] - protected["future"]
    )
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == (
        kinds[("post", "draft")] + sum(protected.values())
    )
    # The report names the post it made a draft for its password.
    assert [n.message for n in imported.notes if "password" in n.message] == [
        "password-protected on WordPress; imported as a draft"
    ]


def test_threads_keep_their_depth(imported, facts):
    assert max(Comment.objects.values_list("depth", flat=True)) == facts["max_depth"]
    reply = Comment.objects.filter(depth=facts["max_depth"]).first()
    assert reply.root is not None and reply.root.parent is None


def test_titles_slugs_and_unicode_terms_are_kept(imported):
    markup = Article.objects.get(slug="markup-html-tags-and-formatting")
    assert markup.title == "Markup: HTML Tags and Formatting"
    special = Article.objects.get(slug="title-with-special-characters")
    assert (
        special.title
        == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    )
    assert Tag.objects.filter(name="content περιεχόμενο").exists()
    assert Page.objects.filter(path="/greek/επίπεδο-2/επίπεδο-3/").exists()


def test_imported_comments_say_imported_in_their_history(imported, facts):
    events = ModerationEvent.objects.filter(kind=ModerationEvent.Kind.IMPORT)
    assert events.count() == facts["post_comments"]
    assert set(events.values_list("reason", flat=True)) == {"Imported from WordPress"}


def test_rendered_articles_and_pages_carry_no_script(imported, client):
    urls = [a.get_absolute_url() for a in Article.objects.published()]
    urls += [p.path for p in Page.objects.published()]
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        # The only scripts are the site's own files.
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
            assert 'src="/static/' in tag or "application/ld+json" in tag, (url, tag)
        assert not re.search(r"\son\w+\s*=", html.split("<main", 1)[-1]), url
        assert "javascript:" not in html, url


def test_a_second_import_changes_nothing(imported):
    articles = list(Article.objects.values_list("pk", "updated"))
    comments = Comment.objects.count()

    with CORPUS.open("rb") as stream:
        again = import_wxr(stream)

    assert again.total("created") == 0
    assert again.total("updated") == 0
    for kind in ("post", "page", "comment", "author"):
        assert again.counts[kind]["unchanged"] == imported.counts[kind]["created"]
    facts = _file_facts()
    assert again.counts["tag"]["unchanged"] == len(facts["tags"])
    assert again.counts["section"]["unchanged"] >= len(facts["categories"])
    assert list(Article.objects.values_list("pk", "updated")) == articles
    assert Comment.objects.count() == comments


def test_the_file_is_read_as_a_stream():
    # A chunk at a time: a reader that refuses big reads still works.
    class Small(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def read(self, size=-1):
            assert 0 < size <= 64 * 1024
            return self.data.read(size)

    report = import_wxr(Small(CORPUS.read_bytes()))
    assert report.counts["post"]["created"] > 0
