"""
A picture in an article's body reaches a feed reader as one plain <img> it
can load and lay out: an absolute address (a reader cannot resolve our
/media/… paths), the alt text, and for one of our uploads its JPEG rendition
of at most FEED_PICTURE_WIDTH pixels with that rendition's width and
height, not the full-size original. Other relative addresses in the body
(links, pictures that are not ours) are made absolute too.
"""

import re

import feedparser
import pytest
from django.core.files.storage import default_storage

from articles.body import FEED_PICTURE_WIDTH
from tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def feed_body(client, url: str = "/feed/") -> str:
    """The item's full text exactly as sent: no resolving, no cleaning."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(
        response.content, resolve_relative_uris=False, sanitize_html=False
    )
    assert not feed.bozo, feed.get("bozo_exception")
    [entry] = feed.entries
    return entry.content[0].value


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def rendition(image, width: int) -> dict:
    [found] = [
        r for r in image.renditions if r["format"] == "jpeg" and r["width"] == width
    ]
    return found


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_our_picture_is_sent_as_an_absolute_rendition_with_its_size(client, url):
    image = make_image(alt="Cranes over the harbour", width=1800, height=1000)
    make_article(
        body=f'<figure><img src="{image.file.url}" alt=""><figcaption>At dawn.'
        "</figcaption></figure>"
    )

    body = feed_body(client, url)

    [img] = img_tags(body)
    sent = rendition(image, FEED_PICTURE_WIDTH)
    assert f'src="{SITE}{default_storage.url(sent["name"])}"' in img
    assert 'alt="Cranes over the harbour"' in img
    assert f'width="{FEED_PICTURE_WIDTH}" height="{sent["height"]}"' in img
    assert image.file.url not in body
    assert "srcset" not in body and "<picture>" not in body
    assert "<figcaption>At dawn.</figcaption>" in body


def test_the_alt_text_written_in_the_body_is_kept(client):
    image = make_image(alt="Cranes")
    make_article(body=f'<p><img src="{image.file.url}" alt="The crane at dawn"></p>')

    [img] = img_tags(feed_body(client))

    assert 'alt="The crane at dawn"' in img


def test_a_picture_narrower_than_the_feed_width_is_sent_at_its_own_width(client):
    image = make_image(width=600, height=400)
    make_article(body=f'<p><img src="{image.file.url}" alt=""></p>')

    [img] = img_tags(feed_body(client))

    sent = rendition(image, 600)
    assert f'src="{SITE}{default_storage.url(sent["name"])}"' in img
    assert 'width="600" height="400"' in img


def test_other_relative_addresses_become_absolute_and_absolute_ones_stay(client):
    article = make_article(
        body='<p><img src="/static/img/chart.png" alt="Chart">'
        '<img src="https://elsewhere.example/photo.jpg" alt="Elsewhere">'
        '<a href="/2024/03/05/earlier-story/">earlier</a> '
        '<a href="https://elsewhere.example/report?a=1&amp;b=2">report</a> '
        '<a href="#notes">notes</a> <a href="mailto:desk@example.com">desk</a></p>'
    )
    page = SITE + article.get_absolute_url()

    body = feed_body(client)

    assert f'src="{SITE}/static/img/chart.png"' in body
    assert 'src="https://elsewhere.example/photo.jpg"' in body
    assert f'href="{SITE}/2024/03/05/earlier-story/"' in body
    assert 'href="https://elsewhere.example/report?a=1&amp;b=2"' in body
    assert f'href="{page}#notes"' in body
    assert 'href="mailto:desk@example.com"' in body


def test_hostile_alt_text_stays_text(client):
    image = make_image(alt='<script>alert(1)</script>"')
    make_article(
        body=f'<p><img src="{image.file.url}" alt=\'x" onerror="alert(1)\'>'
        f'<img src="{image.file.url}" alt=""></p>'
    )

    body = feed_body(client)

    assert len(img_tags(body)) == 2
    assert ' onerror="' not in body and "<script" not in body
    assert 'alt="x&quot; onerror=&quot;alert(1)"' in body
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt;&quot;"' in body


# A feed is kept whole by the page cache and its bytes under its ETag: the
# picture's own change must reach both, not only the article's.
@pytest.mark.parametrize("page_cache", [True, False])
def test_a_changed_alt_text_shows_on_the_next_poll(client, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    image = make_image(alt="Cranes over the harbour")
    make_article(body=f'<p><img src="{image.file.url}" alt=""></p>')
    assert 'alt="Cranes over the harbour"' in feed_body(client)

    image.alt = "Two cranes over the harbour"
    image.save()

    assert 'alt="Two cranes over the harbour"' in feed_body(client)


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_deleted_picture_is_sent_as_the_address_written(client, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    image = make_image()
    src = image.file.url
    make_article(body=f'<p><img src="{src}" alt="Gone"></p>')
    assert src not in feed_body(client)

    image.delete()

    [img] = img_tags(feed_body(client))
    assert f'src="{SITE}{src}"' in img and 'alt="Gone"' in img
