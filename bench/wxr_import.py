"""
Import a (generated) WXR file into a fresh database and report items per
second and peak memory. Not a test: it measures and prints.

    .venv/bin/python bench/wxr_generate.py /tmp/bench.xml --posts 2000 --comments 20000
    DATABASE_URL=postgres://…/na_bench .venv/bin/python bench/wxr_import.py /tmp/bench.xml

The database named by DATABASE_URL is the benchmark's own: it is migrated
and emptied of articles, pages, comments, terms and authors first. Items are posts, comments, authors and terms; peak RSS is the
process's own maximum resident set (getrusage), parsing included, with
DEBUG off as in production. CPU is
this process's plus, on a local PostgreSQL, its server backend's (from
/proc), per 1,000 items: less noisy than items/s on a shared machine.
`--profile DIR` writes a cProfile file of each run there.
"""

import argparse
import cProfile
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
# As in production: with DEBUG on, Django keeps the last 9,000 queries' SQL,
# which for an import's bulk statements is hundreds of MB.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article, Author, Section, Tag  # noqa: E402
from comments.models import Comment  # noqa: E402
from newsarchive.importing import import_wxr  # noqa: E402
from newsarchive.models import Redirect  # noqa: E402


def _clean() -> None:
    """The database migrated and emptied of what an earlier run imported."""
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        # The benchmark's own database: everything an import writes goes, in
        # seconds where the ORM's cascade takes minutes for 200,000 comments.
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE articles_article, articles_page, comments_comment, "
                "newsarchive_redirect, articles_tag, articles_section, "
                "articles_author, articles_source CASCADE"
            )
        return
    Comment.objects.filter(import_ref__isnull=False).delete()
    Article.objects.filter(import_ref__isnull=False).delete()
    Redirect.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.filter(bylines__isnull=True).delete()
    Section.objects.filter(articles__isnull=True).delete()


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend, 0 if not readable."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(path: str, profile: str):
    """import_wxr(path): report, wall seconds, our CPU and the server's."""
    profiler = cProfile.Profile() if profile else None
    server = _backend_cpu()
    cpu = time.process_time()
    started = time.perf_counter()
    with open(path, "rb") as stream:
        if profiler:
            profiler.enable()
        report = import_wxr(stream)
        if profiler:
            profiler.disable()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    server = _backend_cpu() - server
    if profiler:
        profiler.dump_stats(profile)
    return report, wall, cpu, server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--profile", default="", help="a directory for .prof files")
    parser.add_argument("--clean", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clean:
        _clean()
        return
    # In a process of its own: deleting with the ORM loads the rows, which
    # would count in this one's peak RSS.
    subprocess.run(  # noqa: S603 - this same script, by its own path
        [sys.executable, __file__, args.file, "--clean"], check=True
    )

    size = Path(args.file).stat().st_size
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    prof = Path(args.profile) if args.profile else None
    report, seconds, cpu, server = _timed(
        args.file, str(prof / "first.prof") if prof else ""
    )
    items = sum(sum(c.values()) for c in report.counts.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    again, again_seconds, again_cpu, again_server = _timed(
        args.file, str(prof / "second.prof") if prof else ""
    )

    def per_k(ours: float, theirs: float) -> str:
        return (
            f"CPU {ours / items * 1000:.2f} s + server {theirs / items * 1000:.2f} s"
            " per 1,000 items"
        )

    print(f"database      {connection.vendor}")
    print(f"load average  {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"file          {size / 1e6:,.1f} MB")
    print(f"items         {items:,} ({report.counts['post']['created']:,} posts, "
          f"{report.counts['comment']['created']:,} comments)")  # fmt: skip
    print(f"first run     {seconds:,.1f} s = {items / seconds:,.0f} items/s; "
          f"{per_k(cpu, server)}")  # fmt: skip
    print(f"second run    {again_seconds:,.1f} s = {items / again_seconds:,.0f} items/s "
          f"(created {again.total('created')}, unchanged {again.total('unchanged'):,}); "
          f"{per_k(again_cpu, again_server)}")  # fmt: skip
    print(
        f"peak RSS      {peak_mb:,.0f} MB (before import {rss_before / 1024:,.0f} MB)"
    )
    print(f"failed        {len(report.errors)}; fatal: {report.fatal or '-'}")


if __name__ == "__main__":
    main()
