"""
`manage.py cleanup_media` lists the picture files no Image references
(originals and renditions), older than a grace period; only --delete
removes them, and nothing outside the pictures' folders is touched.
"""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import make_image

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def media(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


def stored(settings, name: str, *, age: int = 2 * DAY) -> Path:
    path = media(settings) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * 1000)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def age_everything(settings) -> None:
    then = time.time() - 2 * DAY
    for path in media(settings).rglob("*"):
        os.utime(path, (then, then))


def cleanup(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_media", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kept_and_gone(settings):
    """One picture still in use; one deleted, its files left in the storage."""
    kept = make_image(width=600, height=400)
    gone = make_image(width=600, height=400)
    gone_files = [gone.file.name, *(r["name"] for r in gone.renditions)]
    gone.delete()
    age_everything(settings)
    return kept, gone_files


def test_it_lists_the_files_of_deleted_pictures_and_deletes_nothing(
    settings, kept_and_gone
):
    kept, gone_files = kept_and_gone

    output = cleanup()

    listed = output.splitlines()[:-1]
    assert listed == sorted(gone_files)
    assert len(gone_files) == 5  # the original, and WebP + JPEG at 480 and 600
    assert "Would delete 5 file(s)" in output and "--delete" in output
    assert all((media(settings) / name).exists() for name in gone_files)


def test_with_delete_it_removes_only_what_no_picture_references(
    settings, kept_and_gone
):
    kept, gone_files = kept_and_gone
    stray = stored(settings, "renditions/2020/01/stray-480w.webp")

    output = cleanup("--delete")

    assert "Deleted 6 file(s)" in output
    assert not any((media(settings) / name).exists() for name in gone_files)
    assert not stray.exists()
    assert (media(settings) / kept.file.name).exists()
    assert all((media(settings) / r["name"]).exists() for r in kept.renditions)


def test_a_file_younger_than_the_grace_period_is_left_alone(settings):
    young = stored(settings, "images/2026/12/uploading.jpg", age=60)

    assert "Deleted 0 file(s)" in cleanup("--delete")
    assert young.exists()
    assert "images/2026/12/uploading.jpg" in cleanup("--older-than-hours", "0")


def test_files_outside_the_picture_folders_are_never_touched(settings):
    export = stored(settings, "imports/2026/12/export.xml")

    output = cleanup("--delete")

    assert "Deleted 0 file(s)" in output
    assert export.exists()


def test_an_empty_storage_has_nothing_to_clean(settings):
    assert "Would delete 0 file(s), 0.0 MB." in cleanup()


def test_links_are_never_followed_or_deleted(settings, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "important.jpg").write_bytes(b"keep me")
    (outside / "notes.txt").write_bytes(b"keep me")
    (media(settings) / "images").mkdir(parents=True, exist_ok=True)
    (media(settings) / "renditions").mkdir(parents=True, exist_ok=True)
    (media(settings) / "images" / "linkdir").symlink_to(outside)
    (media(settings) / "renditions" / "link.jpg").symlink_to(outside / "important.jpg")
    age_everything(settings)

    output = cleanup("--delete")

    assert "linkdir" not in output and "link.jpg" not in output
    assert (outside / "important.jpg").read_bytes() == b"keep me"
    assert (media(settings) / "renditions" / "link.jpg").is_symlink()


def test_only_files_named_as_pictures_are_candidates(settings):
    note = stored(settings, "images/readme.txt")
    odd = stored(settings, "images/..weird/a.jpg")

    output = cleanup("--delete")

    assert "readme.txt" not in output
    assert note.exists()
    assert "images/..weird/a.jpg" in output
    assert not odd.exists()
