"""
Every stored upload is served as what its stored name says: a picture with
its picture type and long caching, anything else as a download. The same
rules are written onto each object in the S3-compatible bucket
(test_s3_media_storage.py, against the bucket itself).
"""

import pytest

from newsarchive import media


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("images/2026/12/0f3a.jpg", "image/jpeg"),
        ("images/2026/12/0f3a.JPG", "image/jpeg"),
        ("images/2026/12/0f3a.png", "image/png"),
        ("images/2026/12/0f3a.gif", "image/gif"),
        ("renditions/2026/12/0f3a-480w.webp", "image/webp"),
        ("renditions/2026/12/0f3a-480w.jpg", "image/jpeg"),
    ],
)
def test_a_picture_is_stored_with_its_type_and_cached_for_good(name, content_type):
    assert media.object_parameters(name) == {
        "ContentType": content_type,
        "CacheControl": "public, max-age=31536000, immutable",
    }


@pytest.mark.parametrize(
    "name",
    [
        "imports/2026/12/export.xml",
        "images/2026/12/page.html",
        "images/2026/12/drawing.svg",
        "images/2026/12/script.js",
        "images/2026/12/no-extension",
        "images/2026/12/photo.jpg.html",
    ],
)
def test_anything_else_is_stored_as_a_download_of_no_type(name):
    assert media.object_parameters(name) == {
        "ContentType": "application/octet-stream",
        "ContentDisposition": "attachment",
    }
