"""
A picture in the body that is one of our uploads is drawn as the featured
one is: <picture> with its WebP and JPEG renditions, its size and alt text.
Any other <img> stays as the sanitiser left it, and the page looks all of
its pictures up in one query.
"""

import re

import pytest
from django.urls import reverse

from tests.factories import make_article, make_editor, make_image

pytestmark = pytest.mark.django_db


def article_body(client, article) -> str:
    html = client.get(article.get_absolute_url()).text
    start = html.index('<div class="article__body">')
    return html[start : html.index("</div>", start)]


def test_our_picture_in_the_body_gets_its_renditions(client):
    image = make_image(alt="Cranes over the harbour", width=1800, height=1000)
    article = make_article(
        body=f'<figure><img src="{image.file.url}" alt=""><figcaption>At dawn.'
        "</figcaption></figure>"
    )

    body = article_body(client, article)

    picture = re.search(r"<picture>.*?</picture>", body, re.S)[0]
    assert 'type="image/webp"' in picture and "-960w.webp 960w" in picture
    img = re.search(r"<img [^>]*>", picture)[0]
    assert f'src="{image.file.url}"' in img
    assert 'alt="Cranes over the harbour"' in img
    assert "-480w.jpg 480w" in img and "-1800w.jpg 1800w" in img
    assert 'width="1800" height="1000"' in img
    assert "<figcaption>At dawn.</figcaption>" in body


def test_the_alt_text_written_in_the_body_is_kept(client):
    image = make_image(alt="Cranes")
    article = make_article(body=f'<p><img src="{image.file.url}" alt="The crane"></p>')

    body = article_body(client, article)

    assert 'alt="The crane"' in body and "<picture>" in body


@pytest.mark.parametrize(
    "src",
    [
        "https://elsewhere.example{url}",
        "{url}?v=2",
        "{url}#x",
        "/static/{name}",
        "https://elsewhere.example/photo.jpg",
    ],
)
def test_a_picture_that_is_not_one_of_ours_is_left_alone(client, src):
    image = make_image()
    src = src.format(url=image.file.url, name=image.file.name)
    article = make_article(body=f'<p><img src="{src}" alt="Elsewhere"></p>')

    body = article_body(client, article)

    assert "<picture>" not in body and "srcset" not in body
    assert 'alt="Elsewhere"' in body


def test_an_upload_address_with_no_picture_behind_it_is_left_alone(client):
    image = make_image()
    src = image.file.url
    image.delete()
    article = make_article(body=f'<p><img src="{src}" alt="Gone"></p>')

    assert "<picture>" not in article_body(client, article)


def test_the_body_editor_offers_our_pictures(client):
    client.force_login(make_editor())
    image = make_image(alt="Cranes over the harbour", caption="At dawn")
    make_image(alt="A ferry")

    html = client.get(reverse("admin:articles_article_add")).text
    assert reverse("admin:articles_image_picker") in html
    picker = client.get(
        reverse("admin:articles_image_picker"),
        {"CKEditorFuncNum": "-1", "q": "harbour"},
    ).text

    assert f'data-url="{image.file.url}"' in picker
    assert 'data-alt="Cranes over the harbour"' in picker
    assert 'data-caption="At dawn"' in picker
    assert "A ferry" not in picker
    assert 'data-func-num="-1"' in picker


def test_readers_cannot_open_the_picker(client):
    response = client.get(reverse("admin:articles_image_picker"))

    assert response.status_code == 302


def test_hostile_alt_text_stays_text_in_the_drawn_picture(client):
    image = make_image(alt='<script>alert(1)</script>"')
    article = make_article(
        body=f'<p><img src="{image.file.url}" alt=\'x" onerror="alert(1)\'>'
        f'<img src="{image.file.url}" alt=""></p>'
    )

    body = article_body(client, article)

    assert body.count("<picture>") == 2
    assert ' onerror="' not in body and "<script" not in body
    assert 'alt="x&quot; onerror=&quot;alert(1)"' in body
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt;&quot;"' in body
