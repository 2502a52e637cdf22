"""
A result's snippet is cut from the dek and the opening of the body
(search.OPENING_CHARS of its HTML) where the words are there, and from the
whole body where they are further down: a match anywhere a reader can read
is still shown marked. The same assertions run on SQLite, whose snippet is
cut in Python from the first match.
"""

import re

import pytest
from django.urls import reverse

from articles import search
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")
# Words no query below looks for, to fill a body out to any length.
FILLER = "The tide came in over the old stones of the quay. "


def snippet(client, query: str) -> str:
    response = client.get(SEARCH_URL, {"q": query})
    [found] = re.findall(
        r'class="search-result__snippet">(.*?)</p>', response.text, re.S
    )
    return found


def filler(chars: int) -> str:
    """Exactly `chars` characters of words no test looks for."""
    return (FILLER * (chars // len(FILLER) + 1))[:chars]


def test_the_filler_leaves_the_opening_without_the_words():
    assert len(filler(2 * search.OPENING_CHARS)) == 2 * search.OPENING_CHARS
    assert "zeppelin" not in filler(2 * search.OPENING_CHARS)


def test_a_match_far_down_the_body_is_shown_marked(client, site_zone):
    make_article(
        title="Over the quay",
        body=f"<p>{filler(3 * search.OPENING_CHARS)}</p>"
        "<p>Then a zeppelin drifted over the harbour wall.</p>",
    )

    shown = snippet(client, "zeppelin")

    assert "<mark>zeppelin</mark> drifted over the harbour wall" in shown


def test_a_match_the_opening_s_end_cuts_in_two_is_shown_whole(client, site_zone):
    article = make_article(
        title="Over the quay",
        body=f"<p>{filler(search.OPENING_CHARS - 7)} zeppelin drifted over. "
        f"{filler(400)}</p>",
    )
    # The opening holds "zepp", which neither matches nor shows.
    assert article.body_html.index("zeppelin") == search.OPENING_CHARS - 3

    shown = snippet(client, "zeppelin")

    assert "<mark>zeppelin</mark> drifted over" in shown
    assert "zepp " not in shown


def test_a_word_the_opening_s_end_cuts_in_two_is_not_shown_in_part(client, site_zone):
    lead = " zeppelin drifted over the "
    article = make_article(
        title="Over the quay",
        body=f"<p>{filler(search.OPENING_CHARS - 7 - len(lead))}{lead}"
        f"harbourmaster's hut. {filler(400)}</p>",
    )
    # The opening's last characters are "harb".
    assert article.body_html.index("harbourmaster") == search.OPENING_CHARS - 4

    shown = snippet(client, "zeppelin")

    assert "<mark>zeppelin</mark> drifted over" in shown
    assert not re.search(r"harb(?!ourmaster)", shown), shown


def test_a_link_the_opening_s_end_cuts_in_two_shows_as_its_text(client, site_zone):
    title = "the zeppelin airships of the lake, " * 3
    article = make_article(
        title="Over the quay",
        body=f"<p>{filler(search.OPENING_CHARS - 80)} a zeppelin, "
        f'<a href="https://example.com/airships" title="{title}">said the '
        f"museum</a>. {filler(400)}</p>",
    )
    # The cut falls in the link's title, past a word searched for.
    html = article.body_html
    assert html.index('title="the zeppelin') + 12 < search.OPENING_CHARS
    assert html.index(">said") > search.OPENING_CHARS

    shown = snippet(client, "zeppelin")

    assert shown.count("<mark>zeppelin</mark>") == 1, shown
    assert "&lt;" not in shown and "href" not in shown, shown


def test_a_long_article_s_snippet_is_its_opening_passage(client, site_zone):
    make_article(
        title="Over the quay",
        body="<p>A zeppelin was seen at dawn by the ferry crew.</p>"
        f"<p>{filler(4 * search.OPENING_CHARS)}</p>"
        "<p>Late in the day: zeppelin, zeppelin, zeppelin, everyone shouted "
        "as the airship sank into the bay.</p>",
    )

    shown = snippet(client, "zeppelin")

    assert "<mark>zeppelin</mark> was seen at dawn" in shown
    assert "airship" not in shown


def test_a_match_in_the_dek_is_shown_marked(client, site_zone):
    make_article(
        title="Over the quay",
        dek="A zeppelin over the harbour.",
        body=f"<p>{filler(3 * search.OPENING_CHARS)}</p>",
    )

    assert "<mark>zeppelin</mark> over the harbour" in snippet(client, "zeppelin")


def test_a_title_match_shows_the_opening_words_unmarked(client, site_zone):
    make_article(
        title="Zeppelin over the quay",
        dek="An airship at dawn.",
        body=f"<p>{filler(3 * search.OPENING_CHARS)}</p>",
    )

    shown = snippet(client, "zeppelin")

    assert shown.startswith("An airship at dawn. The tide came in")
    assert "<mark>" not in shown
