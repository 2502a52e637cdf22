"""
Uploads in an S3-compatible bucket (MEDIA_STORAGE=s3): our storage on the
real django-storages against moto's S3 server on 127.0.0.1, with STORAGES as
settings.py builds it from the environment. Every object is written with
the type, caching and disposition newsarchive.media gives its stored name,
whatever the uploading browser claimed, over the bucket's own parameters;
an uploaded picture's renditions are made from the original read back from
the bucket and written beside it.
"""

import io

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from tests.factories import make_article, make_image
from tests.newsarchive.test_settings import _settings

BUCKET = "newsarchive-media"
FOR_GOOD = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def endpoint():
    # Dummy credentials, and no AWS configuration of the machine's is read.
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/nonexistent/aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        }.items():
            env.setenv(name, value)
        # Port 0: the system picks a free one.
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="module")
def bucket_storage_setting(endpoint) -> dict:
    """STORAGES["default"] as settings.py builds it for MEDIA_STORAGE=s3."""
    built = _settings(
        {
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": endpoint,
        },
        "STORAGES",
    )["STORAGES"]["default"]
    assert built["BACKEND"] == "newsarchive.s3.MediaStorage"
    assert built["OPTIONS"]["endpoint_url"] == endpoint
    return built


@pytest.fixture
def s3(endpoint):
    """A boto3 client of moto's server, with a fresh, empty bucket."""
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for stored in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=stored["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def bucket(settings, s3, bucket_storage_setting):
    """Uploads go to the bucket, as in production with MEDIA_STORAGE=s3."""
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage_setting}
    return s3


def jpeg(width: int = 640, height: int = 400) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 90, 150)).save(out, format="JPEG")
    return out.getvalue()


def test_the_storage_is_our_bucket_storage_on_django_storages(bucket):
    from storages.backends.s3 import S3Storage

    from newsarchive.s3 import MediaStorage

    assert isinstance(storages["default"], MediaStorage)
    assert isinstance(storages["default"], S3Storage)


def test_a_picture_is_written_with_its_type_and_cached_for_good(bucket):
    # The browser's claim is what django-storages would otherwise store.
    claimed = SimpleUploadedFile("photo.jpg", jpeg(), content_type="text/html")

    name = default_storage.save("images/2026/12/0f3a.jpg", claimed)

    stored = bucket.head_object(Bucket=BUCKET, Key=name)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == FOR_GOOD
    assert "ContentDisposition" not in stored
    body = bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert body == claimed.file.getvalue()


@pytest.mark.parametrize(
    "name", ["imports/2026/12/export.xml", "images/2026/12/page.html"]
)
def test_anything_else_is_written_as_a_download_of_no_type(bucket, name):
    claimed = SimpleUploadedFile(
        "export.xml", b"<html><script>alert(1)</script>", content_type="text/html"
    )

    saved = default_storage.save(name, claimed)

    stored = bucket.head_object(Bucket=BUCKET, Key=saved)
    assert stored["ContentType"] == "application/octet-stream"
    assert stored["ContentDisposition"] == "attachment"
    assert "CacheControl" not in stored


def test_our_parameters_win_over_the_buckets_and_the_rest_are_kept(
    settings, bucket, bucket_storage_setting
):
    configured = {
        "ServerSideEncryption": "AES256",
        "ContentType": "text/html",
        "CacheControl": "no-cache",
    }
    options = {**bucket_storage_setting["OPTIONS"], "object_parameters": configured}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**bucket_storage_setting, "OPTIONS": options},
    }

    name = default_storage.save("renditions/2026/12/a-480w.webp", ContentFile(b"RIFF"))

    stored = bucket.head_object(Bucket=BUCKET, Key=name)
    assert stored["ServerSideEncryption"] == "AES256"
    assert stored["ContentType"] == "image/webp"
    assert stored["CacheControl"] == FOR_GOOD


@pytest.mark.django_db
def test_an_uploaded_picture_and_its_renditions_are_written_to_the_bucket(
    bucket, bucket_storage_setting
):
    image = make_image(width=1000, height=600)

    keys = {
        stored["Key"]
        for stored in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }
    renditions = {r["name"]: r for r in image.renditions}
    assert keys == {image.file.name, *renditions}
    assert {(r["width"], r["format"]) for r in renditions.values()} == {
        (width, fmt) for width in (480, 960, 1000) for fmt in ("webp", "jpeg")
    }
    for name, rendition in renditions.items():
        stored = bucket.head_object(Bucket=BUCKET, Key=name)
        assert stored["ContentType"] == f"image/{rendition['format']}"
        assert stored["CacheControl"] == FOR_GOOD
        assert stored["ContentLength"] == rendition["bytes"]
    original = bucket.head_object(Bucket=BUCKET, Key=image.file.name)
    assert original["ContentType"] == "image/jpeg"
    # Its address is the bucket's, as pages and feeds name it.
    endpoint = bucket_storage_setting["OPTIONS"]["endpoint_url"]
    assert image.file.url == f"{endpoint}/{BUCKET}/{image.file.name}"


@pytest.mark.django_db
def test_a_picture_in_a_body_is_drawn_from_the_bucket_on_the_page_and_in_the_feed(
    bucket, client, settings
):
    settings.SITE_URL = "https://news.example.com"
    image = make_image(alt="Cranes over the harbour", width=1000, height=600)
    article = make_article(body=f'<p><img src="{image.file.url}" alt=""></p>')
    bucket_address = image.file.url.removesuffix(image.file.name)

    page = client.get(article.get_absolute_url())
    feed = client.get("/feed/")

    assert page.status_code == 200 and feed.status_code == 200
    assert "<picture>" in page.text
    assert f"{bucket_address}{image.renditions[0]['name']}" in page.text
    [sent] = [r for r in image.renditions if (r["width"], r["format"]) == (960, "jpeg")]
    assert f'src="{bucket_address}{sent["name"]}"' in feed.text
