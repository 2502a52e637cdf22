"""
Import a (generated) WXR file into a fresh database and report items per
second and peak memory. Not a test: it measures and prints.

    .venv/bin/python bench/wxr_generate.py /tmp/bench.xml --posts 2000 --comments 20000
    DATABASE_URL=postgres://…/na_bench .venv/bin/python bench/wxr_import.py /tmp/bench.xml

The database named by DATABASE_URL is migrated and emptied of imported rows
first. Items are posts, comments, authors and terms; peak RSS is the
process's own maximum resident set (getrusage), parsing included.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article, Author, Section, Tag  # noqa: E402
from comments.models import Comment  # noqa: E402
from newsarchive.importing import import_wxr  # noqa: E402
from newsarchive.models import Redirect  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    Comment.objects.filter(import_ref__isnull=False).delete()
    Article.objects.filter(import_ref__isnull=False).delete()
    Redirect.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.filter(bylines__isnull=True).delete()
    Section.objects.filter(articles__isnull=True).delete()

    size = Path(args.file).stat().st_size
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(args.file, "rb") as stream:
        report = import_wxr(stream)
    seconds = time.perf_counter() - started
    items = sum(sum(c.values()) for c in report.counts.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.perf_counter()
    with open(args.file, "rb") as stream:
        again = import_wxr(stream)
    again_seconds = time.perf_counter() - started

    print(f"database      {connection.vendor}")
    print(f"file          {size / 1e6:,.1f} MB")
    print(f"items         {items:,} ({report.counts['post']['created']:,} posts, "
          f"{report.counts['comment']['created']:,} comments)")  # fmt: skip
    print(f"first run     {seconds:,.1f} s = {items / seconds:,.0f} items/s")
    print(f"second run    {again_seconds:,.1f} s = {items / again_seconds:,.0f} items/s "
          f"(created {again.total('created')}, unchanged {again.total('unchanged'):,})")  # fmt: skip
    print(
        f"peak RSS      {peak_mb:,.0f} MB (before import {rss_before / 1024:,.0f} MB)"
    )
    print(f"failed        {len(report.errors)}; fatal: {report.fatal or '-'}")


if __name__ == "__main__":
    main()
