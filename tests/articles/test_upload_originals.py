"""
The uploaded original is stored under a name we choose, with the extension
of the format Pillow found, re-encoded without camera metadata, and served
only as the picture it is: a GIF that is also HTML or JavaScript, named
page.html or evil.js by the editor's browser, never runs as a document or
script on the site's origin.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles import services

pytestmark = pytest.mark.django_db

PICTURE_TYPES = {"image/gif", "image/jpeg", "image/png", "image/webp"}


def gif_with_html(name):
    out = io.BytesIO()
    PILImage.new("RGB", (20, 20), (1, 2, 3)).save(out, format="GIF")
    data = out.getvalue() + b"<html><body><script>alert(document.domain)</script>"
    return SimpleUploadedFile(name, data, content_type="image/gif")


def jpeg_with_gps(name="IMG_0001.jpg", **size):
    exif = PILImage.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "CameraMaker"  # Make
    out = io.BytesIO()
    PILImage.new("RGB", (600, 400)).save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def served(client, url) -> tuple:
    response = client.get(url)
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["page.html", "page.svg", "page.xhtml", "evil.js"])
def test_a_gif_named_as_a_document_is_stored_and_served_as_a_gif(
    client, settings, name
):
    settings.SERVE_MEDIA = True
    image = services.image_create(file=gif_with_html(name), alt="x")

    assert image.file.name.endswith(".gif"), image.file.name
    response, body = served(client, image.file.url)
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in body


def test_the_browsers_file_name_does_not_name_the_stored_file(settings):
    image = services.image_create(file=jpeg_with_gps("IMG_0001.jpg"), alt="x")

    assert "IMG_0001" not in image.file.name
    assert image.file.name.endswith(".jpg")
    assert all("IMG_0001" not in r["name"] for r in image.renditions)


def test_the_original_with_gps_reaches_no_reader(client, settings):
    settings.SERVE_MEDIA = True
    image = services.image_create(file=jpeg_with_gps(), alt="x")

    _, body = served(client, image.file.url)
    with PILImage.open(io.BytesIO(body)) as original:
        assert original.size == (600, 400)
        assert not original.getexif()


def test_an_animated_gif_keeps_its_frames(settings):
    frames = [PILImage.new("RGB", (30, 20), (i * 80, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    upload = SimpleUploadedFile("loop.gif", out.getvalue())

    image = services.image_create(file=upload, alt="x")

    with image.file.open("rb") as f, PILImage.open(f) as stored:
        assert stored.n_frames == 3


def test_media_with_an_unknown_extension_is_not_served_as_a_document(
    client, settings, tmp_path
):
    settings.SERVE_MEDIA = True
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "old.html").write_bytes(b"<script>x</script>")

    response = client.get("/media/images/old.html")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", ".png"), ("WEBP", ".webp"), ("GIF", ".gif")]
)
def test_every_accepted_format_is_stored_without_its_metadata(fmt, extension):
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (9, 9, 9)).save(out, format=fmt, exif=exif.tobytes())
    upload = SimpleUploadedFile("upload.bin", out.getvalue())

    image = services.image_create(file=upload, alt="x")

    assert image.file.name.endswith(extension)
    with image.file.open("rb") as f, PILImage.open(f) as stored:
        assert stored.format == fmt
        assert not stored.getexif()


def test_a_sideways_camera_picture_is_stored_upright():
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show
    out = io.BytesIO()
    PILImage.new("RGB", (600, 400)).save(out, format="JPEG", exif=exif.tobytes())

    image = services.image_create(
        file=SimpleUploadedFile("side.jpg", out.getvalue()), alt="x"
    )

    assert (image.width, image.height) == (400, 600)
    with image.file.open("rb") as f, PILImage.open(f) as stored:
        assert not stored.getexif()
