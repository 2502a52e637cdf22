"""manage.py import_wordpress: a thin command with a summary and an honest exit status."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.processes import site_env
from tests.wxr import item, write

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _call(*args) -> str:
    out = io.StringIO()
    call_command("import_wordpress", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_and_prints_a_summary_table(tmp_path):
    path = write(tmp_path, item("1"), item("2", post_type="product"))

    output = _call(str(path))

    assert Article.objects.count() == 1
    lines = output.splitlines()
    assert lines[0].split() == [
        "kind",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
    ]
    assert "post" in output and "product" in output
    assert "unknown post type 'product'" in output


def test_a_failed_item_makes_the_exit_status_non_zero(tmp_path):
    path = write(tmp_path, item("1"), item("2", date="bad", date_gmt="bad"))

    with pytest.raises(CommandError) as caught:
        _call(str(path))

    assert caught.value.returncode == 1
    assert Article.objects.count() == 1


def test_a_truncated_file_fails_after_keeping_what_came_before(tmp_path):
    path = write(tmp_path, item("1"), item("2"))
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"<item>") + 20])

    with pytest.raises(CommandError):
        _call(str(path))

    assert list(Article.objects.values_list("slug", flat=True)) == ["story-1"]


def test_a_dry_run_keeps_nothing(tmp_path):
    path = write(tmp_path, item("1"))

    output = _call(str(path), "--dry-run")

    assert output.startswith("Dry run: nothing was kept.")
    assert Article.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        _call(str(tmp_path / "nope.xml"))


def test_the_process_exits_non_zero_on_failure(tmp_path):
    env = site_env(tmp_path)
    python = sys.executable

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [python, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )

    assert manage("migrate", "-v0").returncode == 0
    good = write(tmp_path, item("1"), name="good.xml")
    bad = write(tmp_path, item("2", date="x", date_gmt="x"), name="bad.xml")

    ok = manage("import_wordpress", str(good))
    failed = manage("import_wordpress", str(bad))

    assert ok.returncode == 0, ok.stderr
    assert failed.returncode == 1
    assert "the post has no valid date" in failed.stdout
