"""Threads: replies nest under what they answer, pages hold whole threads."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from comments.models import Status
from comments.selectors.reader import comment_page_url, comments_for_article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=1)


def at(minutes: int):
    return T0 + timedelta(minutes=minutes)


class _Tree(HTMLParser):
    """Reads the nesting of <article id="comment-N"> inside <li> and <ol>."""

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = [{"pk": None, "children": []}]
        self.open_li: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and (attrs.get("id") or "").startswith("li-comment-"):
            node = {"pk": int(attrs["id"].removeprefix("li-comment-")), "children": []}
            self.stack[-1]["children"].append(node)
            self.stack.append(node)
            self.open_li.append(True)
        elif tag == "li":
            self.open_li.append(False)

    def handle_endtag(self, tag):
        if tag == "li" and self.open_li.pop():
            self.stack.pop()


def comment_tree(html: str) -> list:
    """[(pk, [(pk, [...]), ...]), ...] as the page nests them."""
    parser = _Tree()
    parser.feed(html)

    def shape(node):
        return (node["pk"], [shape(child) for child in node["children"]])

    return [shape(node) for node in parser.stack[0]["children"]]


def get_page(client, article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_replies_nest_under_the_comment_they_answer(client):
    article = make_article()
    a = make_comment(article=article, created=at(1))
    b = make_comment(article=article, created=at(2))
    a1 = make_comment(article=article, parent=a, created=at(3))
    a1x = make_comment(article=article, parent=a1, created=at(4))
    a2 = make_comment(article=article, parent=a, created=at(5))

    tree = comment_tree(get_page(client, article))

    assert tree == [
        (a.pk, [(a1.pk, [(a1x.pk, [])]), (a2.pk, [])]),
        (b.pk, []),
    ]


def test_replies_read_oldest_first_even_when_threads_are_newest_first(client, settings):
    settings.COMMENTS_NEWEST_FIRST = True
    article = make_article()
    a = make_comment(article=article, created=at(1))
    b = make_comment(article=article, created=at(2))
    a1 = make_comment(article=article, parent=a, created=at(3))
    a2 = make_comment(article=article, parent=a, created=at(4))

    tree = comment_tree(get_page(client, article))

    assert tree == [(b.pk, []), (a.pk, [(a1.pk, []), (a2.pk, [])])]


def test_threads_are_oldest_first_by_default(client, settings):
    settings.COMMENTS_NEWEST_FIRST = False
    article = make_article()
    older = make_comment(article=article, created=at(1))
    newer = make_comment(article=article, created=at(2))

    assert [pk for pk, _ in comment_tree(get_page(client, article))] == [
        older.pk,
        newer.pk,
    ]


def test_nesting_stops_at_the_maximum_depth(client, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    article = make_article()
    chain = [make_comment(article=article, created=at(0))]
    for minute in range(1, 6):
        chain.append(
            make_comment(article=article, parent=chain[-1], created=at(minute))
        )

    tree = comment_tree(get_page(client, article))

    # Three levels; deeper replies stay at the third, in order, as siblings.
    c0, c1, c2, c3, c4, c5 = (c.pk for c in chain)
    assert tree == [(c0, [(c1, [(c2, []), (c3, []), (c4, []), (c5, [])])])]


def test_the_depth_class_says_how_deep_a_comment_is_shown(client, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    article = make_article()
    top = make_comment(article=article, created=at(0))
    reply = make_comment(article=article, parent=top, created=at(1))
    deeper = make_comment(article=article, parent=reply, created=at(2))

    html = get_page(client, article)

    assert f'id="li-comment-{top.pk}" class="comment depth-0' in html
    assert f'id="li-comment-{reply.pk}" class="comment depth-1' in html
    assert f'id="li-comment-{deeper.pk}" class="comment depth-1' in html


def test_there_is_no_reply_link_where_a_reply_would_be_too_deep(client, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    article = make_article()
    top = make_comment(article=article)
    reply = make_comment(article=article, parent=top)

    html = get_page(client, article)

    assert f"replytocom={top.pk}#respond" in html
    assert f"replytocom={reply.pk}" not in html


def test_a_reply_whose_parent_is_hidden_hangs_from_the_top_comment(client):
    article = make_article()
    top = make_comment(article=article, created=at(1))
    removed = make_comment(
        article=article, parent=top, status=Status.REMOVED, created=at(2)
    )
    orphan = make_comment(article=article, parent=removed, created=at(3))

    tree = comment_tree(get_page(client, article))

    assert tree == [(top.pk, [(orphan.pk, [])])]


def test_a_thread_goes_with_its_hidden_top_comment_and_out_of_the_count(client):
    article = make_article()
    hidden = make_comment(article=article, status=Status.SPAM, body="Spam top")
    make_comment(article=article, parent=hidden, body="Reply to spam")
    shown = make_comment(article=article)

    html = get_page(client, article)

    assert comment_tree(html) == [(shown.pk, [])]
    assert "Reply to spam" not in html
    assert re.search(r'id="comments-heading"[^>]*>\s*1 Comment\s*<', html)


def _three_threads(article):
    threads = []
    for minute in (1, 2, 3):
        top = make_comment(article=article, created=at(minute))
        reply = make_comment(article=article, parent=top, created=at(10 + minute))
        threads.append((top.pk, [(reply.pk, [])]))
    return threads


def test_pages_hold_whole_threads(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    first, second, third = _three_threads(article)

    page1 = get_page(client, article)
    page2 = get_page(client, article, "?cpage=2")

    assert comment_tree(page1) == [first, second]
    assert comment_tree(page2) == [third]
    assert re.search(r'id="comments-heading"[^>]*>\s*6 Comments\s*<', page2)


def test_newest_threads_come_first_when_set(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    settings.COMMENTS_NEWEST_FIRST = True
    article = make_article()
    first, second, third = _three_threads(article)

    assert comment_tree(get_page(client, article)) == [third, second]
    assert comment_tree(get_page(client, article, "?cpage=2")) == [first]


def test_comment_pages_are_linked(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    _three_threads(article)
    url = article.get_absolute_url()

    html = get_page(client, article, "?cpage=2")

    assert '<nav class="comment-pages" aria-label="Comment pages">' in html
    assert f'href="{url}#comments">1</a>' in html
    assert '<span class="comment-pages__current" aria-current="page">2</span>' in html
    assert f'href="{url}?cpage=3#comments">3</a>' in html
    assert f'rel="prev" href="{url}#comments"' in html
    assert f'rel="next" href="{url}?cpage=3#comments"' in html


def test_one_page_of_comments_has_no_page_links(client):
    article = make_article()
    make_comment(article=article)

    assert "comment-pages" not in get_page(client, article)


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [("?cpage=99", 3), ("?cpage=0", 1), ("?cpage=abc", 1), ("?cpage=-2", 1)],
)
def test_an_odd_page_number_shows_the_nearest_page(
    client, settings, query, expected_page
):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    threads = _three_threads(article)

    assert comment_tree(get_page(client, article, query)) == [
        threads[expected_page - 1]
    ]


def test_a_reply_link_works_without_javascript(client):
    article = make_article()
    top = make_comment(article=article, author_name="Noor")

    html = get_page(client, article)
    match = re.search(r'<a class="comment-reply-link"[^>]*href="([^"]+)"', html)
    assert match is not None and match.group(1) == f"?replytocom={top.pk}#respond"

    reply_html = get_page(client, article, f"?replytocom={top.pk}")

    assert "Reply to Noor" in reply_html
    assert f'<input type="hidden" name="parent" value="{top.pk}"' in reply_html
    cancel = re.search(r'<a id="cancel-comment-reply-link"[^>]*>', reply_html).group(0)
    assert f'href="{article.get_absolute_url()}#respond"' in cancel
    assert "hidden" not in cancel


def test_a_reply_link_keeps_the_comment_page(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    make_comment(article=article, created=at(1))
    second = make_comment(article=article, created=at(2), author_name="Sam")

    html = get_page(client, article, "?cpage=2")
    assert f'href="?cpage=2&amp;replytocom={second.pk}#respond"' in html

    reply_html = get_page(client, article, f"?cpage=2&replytocom={second.pk}")
    assert "Reply to Sam" in reply_html
    assert f'href="{article.get_absolute_url()}?cpage=2#respond"' in reply_html


@pytest.mark.parametrize("target", ["held", "other-article", "missing", "junk"])
def test_replytocom_for_a_comment_not_on_the_page_leaves_a_plain_form(client, target):
    article = make_article()
    held = make_comment(article=article, status=Status.HELD)
    elsewhere = make_comment(article=make_article())
    value = {
        "held": held.pk,
        "other-article": elsewhere.pk,
        "missing": 999999,
        "junk": "1%27%22",
    }[target]

    html = get_page(client, article, f"?replytocom={value}")

    assert "Leave a Comment" in html
    assert "Reply to " not in html
    assert re.search(r'<input type="hidden" name="parent" id="id_parent">', html)


def test_the_permalink_url_points_at_the_page_and_anchor(settings):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    tops = [make_comment(article=article, created=at(m)) for m in (1, 2, 3)]
    reply = make_comment(article=article, parent=tops[2], created=at(9))
    url = article.get_absolute_url()

    assert comment_page_url(tops[0]) == f"{url}#comment-{tops[0].pk}"
    assert comment_page_url(tops[1]) == f"{url}#comment-{tops[1].pk}"
    assert comment_page_url(tops[2]) == f"{url}?cpage=2#comment-{tops[2].pk}"
    assert comment_page_url(reply) == f"{url}?cpage=2#comment-{reply.pk}"


def test_the_permalink_url_follows_newest_first(settings):
    settings.COMMENTS_PER_PAGE = 2
    settings.COMMENTS_NEWEST_FIRST = True
    article = make_article()
    tops = [make_comment(article=article, created=at(m)) for m in (1, 2, 3)]
    url = article.get_absolute_url()

    assert comment_page_url(tops[2]) == f"{url}#comment-{tops[2].pk}"
    assert comment_page_url(tops[0]) == f"{url}?cpage=2#comment-{tops[0].pk}"


def test_the_permalink_view_redirects_to_the_comment(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    make_comment(article=article, created=at(1))
    second = make_comment(article=article, created=at(2))

    response = client.get(second.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == (
        f"{article.get_absolute_url()}?cpage=2#comment-{second.pk}"
    )


def test_a_pending_top_comment_shows_on_the_page_where_new_threads_land(settings):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    make_comment(article=article, created=at(1))
    make_comment(article=article, created=at(2))
    held = make_comment(article=article, status=Status.HELD, created=at(3))

    first = comments_for_article(article=article, page=1, pending_ids={held.pk})
    last = comments_for_article(article=article, page=2, pending_ids={held.pk})

    assert held.pk not in [n.pk for n in first.nodes()]
    assert held.pk in [n.pk for n in last.nodes()]
    assert last.count == 2  # pending comments are not counted
    # …which is where its URL sends the author after posting.
    assert comment_page_url(held).endswith(f"?cpage=2#comment-{held.pk}")


def test_the_selector_needs_two_queries_however_many_comments(
    django_assert_num_queries,
):
    article = make_article()
    for _ in range(30):
        top = make_comment(article=article)
        reply = make_comment(article=article, parent=top)
        make_comment(article=article, parent=reply)
    held = make_comment(article=article, status=Status.HELD)

    with django_assert_num_queries(2):
        page = comments_for_article(article=article, pending_ids={held.pk})
        shown = [(n.comment.author_name, n.comment.body_html) for n in page.nodes()]

    assert len(shown) == 91
