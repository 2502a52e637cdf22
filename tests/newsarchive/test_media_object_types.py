"""
Every stored upload is served as what its stored name says: a picture with
its picture type and long caching, anything else as a download. The same
rules are written onto each object in the S3-compatible bucket.
"""

import importlib
import sys
import types

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


class _S3Storage:
    """django-storages' hook as documented: AWS_S3_OBJECT_PARAMETERS, copied."""

    object_parameters = {
        "ServerSideEncryption": "AES256",
        "ContentType": "text/html",
        "CacheControl": "no-cache",
    }

    def get_object_parameters(self, name):
        return self.object_parameters.copy()


@pytest.fixture
def media_storage(monkeypatch):
    # django-storages is installed only where MEDIA_STORAGE=s3 is used; its
    # S3Storage is stood in for here, so no bucket or network is needed.
    backends = types.ModuleType("storages.backends")
    s3 = types.ModuleType("storages.backends.s3")
    s3.S3Storage = _S3Storage
    monkeypatch.setitem(sys.modules, "storages", types.ModuleType("storages"))
    monkeypatch.setitem(sys.modules, "storages.backends", backends)
    monkeypatch.setitem(sys.modules, "storages.backends.s3", s3)
    monkeypatch.delitem(sys.modules, "newsarchive.s3", raising=False)
    module = importlib.import_module("newsarchive.s3")
    yield module.MediaStorage()
    sys.modules.pop("newsarchive.s3", None)


def test_the_bucket_storage_writes_our_type_over_the_configured_one(media_storage):
    assert media_storage.get_object_parameters("renditions/a-480w.webp") == {
        "ServerSideEncryption": "AES256",
        "ContentType": "image/webp",
        "CacheControl": "public, max-age=31536000, immutable",
    }


def test_the_bucket_storage_never_stores_a_page(media_storage):
    params = media_storage.get_object_parameters("imports/2026/12/export.html")

    assert params["ContentType"] == "application/octet-stream"
    assert params["ContentDisposition"] == "attachment"
