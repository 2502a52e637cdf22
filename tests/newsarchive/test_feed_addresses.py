"""
Feed items' addresses made absolute (newsarchive.syndication): only the
href and src attributes themselves are rewritten, never text inside another
attribute's value, so a hostile body cannot break out of an attribute.
"""

from html.parser import HTMLParser

import pytest

from newsarchive.syndication import absolute_addresses

BASE = "https://news.example/2026/01/02/story/"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def tags_of(html: str):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize(
    ("written", "attribute"),
    [
        ('<img alt="a src=\'/x onerror=alert(1) y\'" src="/media/a.jpg">', "alt"),
        ('<a href="/y" title="a href=\'/x onclick=alert(1) y\'">z</a>', "title"),
    ],
)
def test_an_address_written_inside_another_attribute_stays_its_text(written, attribute):
    ((_, before),) = tags_of(written)
    ((_, after),) = tags_of(absolute_addresses(written, base=BASE))

    assert dict(after)[attribute] == dict(before)[attribute]
    assert sorted(dict(after)) == sorted(dict(before))


def test_the_real_address_beside_it_is_still_made_absolute():
    written = '<a href="/y" title="a href=\'/x\'">z</a>'

    ((_, attrs),) = tags_of(absolute_addresses(written, base=BASE))

    assert dict(attrs)["href"] == "https://news.example/y"


def test_an_address_with_a_scheme_is_left_as_written():
    written = '<a href="mailto:desk@news.example">desk</a>'

    assert absolute_addresses(written, base=BASE) == written
