"""The admin's upload page: a permitted editor uploads an export, a task imports it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from newsarchive.models import ImportRun
from tests.factories import make_user
from tests.wxr import document, item

pytestmark = pytest.mark.django_db

ADD = "/admin/newsarchive/importrun/add/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def importer(client):
    user = make_user(username="importer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_wordpress"))
    client.force_login(user)
    return client


def _upload(client, data: bytes, name: str = "export.xml", **fields):
    return client.post(
        ADD,
        {"file": SimpleUploadedFile(name, data, "text/xml"), "site_url": "", **fields},
    )


def test_an_upload_runs_as_a_task_and_the_page_shows_the_report(
    importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            importer, document(item("1"), item("2", post_type="product"))
        )

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/newsarchive/importrun/{run.pk}/change/"
    assert run.state == ImportRun.State.DONE
    assert Article.objects.count() == 1
    page = importer.get(response["Location"]).content.decode()
    assert "<td>post</td><td>1</td>" in page
    assert "unknown post type &#x27;product&#x27;" in page
    assert 'http-equiv="refresh"' not in page
    # The export (commenters' addresses) is not kept once read.
    assert not run.file


def test_a_waiting_import_page_refreshes_itself(importer):
    response = _upload(importer, document(item("1")))  # its task has not run

    page = importer.get(response["Location"]).content.decode()
    assert "Waiting for the task worker" in page
    assert 'http-equiv="refresh"' in page


def test_a_dry_run_from_the_page_keeps_nothing(
    importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(importer, document(item("1")), dry_run="on")

    assert Article.objects.count() == 0
    assert ImportRun.objects.get().report["counts"]["post"] == {"created": 1}


def test_only_an_xml_file_is_taken(importer):
    response = _upload(importer, b"hello", name="notes.txt")

    assert response.status_code == 200
    assert "Choose the .xml file WordPress exported." in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_staff_without_the_permission_cannot_import(client):
    client.force_login(make_user(username="editor2", is_staff=True))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {}).status_code == 403
