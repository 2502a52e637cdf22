"""
Editors upload a featured picture with the article: alt text required,
renditions made once, bad files refused with a form error that says why.
"""

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.factories import article_admin_form

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def picture(width=2000, height=1200, fmt="JPEG", name="harbour.jpg", exif=None):
    out = io.BytesIO()
    image = PILImage.new("RGB", (width, height), (30, 90, 160))
    image.save(out, format=fmt, **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt}")


def png_claiming(width: int, height: int) -> SimpleUploadedFile:
    """
    A tiny PNG whose header claims width x height: what a decompression bomb
    looks like to the upload check, without building the pixels here.
    """
    out = io.BytesIO()
    PILImage.new("RGB", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    # IHDR follows the 8-byte signature: length, "IHDR", width, height, ...
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return SimpleUploadedFile("bomb.png", bytes(data), content_type="image/png")


def post_with(client, upload, **fields):
    data = article_admin_form(
        status="published",
        published_at_0="2026-01-05",
        published_at_1="09:00:00",
        new_image=upload,
        **fields,
    )
    return client.post(ADD_URL, data)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_an_upload_becomes_the_featured_picture_with_renditions(editor_client):
    response = post_with(
        editor_client,
        picture(),
        new_image_alt="Cranes over the harbour at dawn",
        new_image_caption="The harbour on Monday.",
        new_image_credit="Photo: A. Reporter",
    )
    assert response.status_code == 302, form_errors(response)

    image = Article.objects.get().featured_image
    assert image.alt == "Cranes over the harbour at dawn"
    assert (image.width, image.height) == (2000, 1200)
    made = sorted((r["format"], r["width"]) for r in image.renditions)
    assert made == [
        ("jpeg", 480),
        ("jpeg", 960),
        ("jpeg", 1600),
        ("jpeg", 2000),
        ("webp", 480),
        ("webp", 960),
        ("webp", 1600),
        ("webp", 2000),
    ]
    webp = next(r for r in image.renditions if r["format"] == "webp")
    with image.file.storage.open(webp["name"]) as f:
        assert PILImage.open(f).format == "WEBP"


def test_the_reader_page_serves_the_renditions_in_srcset(editor_client, client):
    post_with(editor_client, picture(), new_image_alt="Cranes over the harbour")
    article = Article.objects.get()

    html = client.get(article.get_absolute_url()).text

    img = re.search(r'<img src="[^"]+" alt="Cranes over the harbour"[^>]*>', html)
    assert img, html
    assert re.search(r'srcset="[^"]+-480w\.jpg 480w, [^"]+-960w\.jpg 960w', img[0])
    assert re.search(r'<source type="image/webp" srcset="[^"]+-480w\.webp 480w', html)
    assert 'property="og:image" content="http' in html
    assert 'property="og:image:alt" content="Cranes over the harbour"' in html


def test_a_small_picture_is_not_enlarged(editor_client):
    post_with(editor_client, picture(400, 300), new_image_alt="A small picture")

    image = Article.objects.get().featured_image
    assert {r["width"] for r in image.renditions} == {400}


def test_renditions_drop_the_cameras_metadata(editor_client):
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make; GPS would travel the same way
    post_with(editor_client, picture(exif=exif.tobytes()), new_image_alt="Alt")

    image = Article.objects.get().featured_image
    for rendition in image.renditions:
        with image.file.storage.open(rendition["name"]) as f:
            assert not PILImage.open(f).getexif()


def test_an_upload_without_alt_text_is_refused(editor_client):
    response = post_with(editor_client, picture(), new_image_alt="  ")

    assert response.status_code == 200
    assert form_errors(response)["new_image_alt"] == [
        "Describe the picture for readers who cannot see it."
    ]
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(editor_client):
    fake = SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not a picture", "image/jpeg")

    response = post_with(editor_client, fake, new_image_alt="Alt")

    assert form_errors(response)["new_image"] == [
        "This file is not a picture we can read. Upload a JPEG, PNG, WebP or GIF."
    ]
    assert not Article.objects.exists()


def test_a_file_over_the_size_limit_is_refused(editor_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1_000

    response = post_with(editor_client, picture(), new_image_alt="Alt")

    (error,) = form_errors(response)["new_image"]
    assert "pictures may be at most" in error


def test_a_decompression_bomb_is_refused(editor_client):
    # Past twice Pillow's limit: DecompressionBombError on open.
    bomb = png_claiming(40_000, 40_000)
    with pytest.raises(PILImage.DecompressionBombError):
        PILImage.open(io.BytesIO(bomb.read()))
    bomb.seek(0)

    response = post_with(editor_client, bomb, new_image_alt="Alt")

    (error,) = form_errors(response)["new_image"]
    assert error.startswith("This picture has more pixels than we can safely process")
    assert not Image.objects.exists()


def test_a_picture_just_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000

    response = post_with(editor_client, picture(1200, 1000), new_image_alt="Alt")

    (error,) = form_errors(response)["new_image"]
    assert "the limit is 1 megapixels" in error


def test_the_image_admin_refuses_a_bad_file_with_the_same_message(editor_client):
    fake = SimpleUploadedFile("x.png", b"GIF89a broken", "image/png")

    response = editor_client.post(
        reverse("admin:articles_image_add"), {"file": fake, "alt": "Alt"}
    )

    assert response.context["adminform"].form.errors["file"] == [
        "This file is not a picture we can read. Upload a JPEG, PNG, WebP or GIF."
    ]


def test_the_image_admin_makes_renditions(editor_client):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": picture(1000, 500), "alt": "A wide view", "credit": "Agency"},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert {r["width"] for r in image.renditions} == {480, 960, 1000}
