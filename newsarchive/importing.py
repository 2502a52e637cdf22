"""
A WordPress export, start to finish: the one loop that the import_wordpress
command and the admin's upload page (through a task) both run. It reads the
file as a stream, gives each author, term and item (with its comments) its
own transaction, and carries on past an item that fails. A file that cannot
be read further stops the run, keeping what came before.
"""

import time
from collections.abc import Callable
from datetime import tzinfo
from typing import BinaryIO

from django.db import transaction

from articles.importers import wordpress, wxr
from comments.importers import import_comments

# Items per transaction (and per progress report), at most.
BATCH_ITEMS = 500


class _Rollback(Exception):
    """Ends a dry run's transaction without keeping anything."""


class _CountingReader:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.bytes = 0

    def read(self, size: int) -> bytes:
        chunk = self.stream.read(size)
        self.bytes += len(chunk)
        return chunk


Progress = Callable[[int, int], None]


def import_wxr(
    stream: BinaryIO,
    *,
    site_url: str = "",
    dry_run: bool = False,
    skip_pings: bool = False,
    time_zone: tzinfo | None = None,
    progress: Progress | None = None,
) -> wordpress.Report:
    """
    Import one WXR file; `progress(items, bytes_read)` is called as it goes.
    A dry run does all the work and counts it, then keeps nothing.
    """
    report = wordpress.Report(dry_run=dry_run)
    ctx = wordpress.Context(
        report=report, site_url=site_url, skip_pings=skip_pings, time_zone=time_zone
    )
    reader = _CountingReader(stream)
    if not dry_run:
        _run(reader, ctx, progress)
        return report
    try:
        with transaction.atomic():
            _run(reader, ctx, progress)
            raise _Rollback
    except _Rollback:
        pass
    return report


def _run(reader: _CountingReader, ctx: wordpress.Context, progress) -> None:
    """
    Items in batches, each batch one transaction and each item a savepoint
    in it: an item that fails is undone alone, and committing once per
    batch rather than once per item is what makes a large import fast.
    """
    report = ctx.report
    records = wxr.read(reader)
    finished = False
    while not finished:
        with transaction.atomic():
            started = time.monotonic()
            count = 0
            try:
                for record in records:
                    if isinstance(record, wxr.WxrChannel):
                        ctx.start(record)
                        continue
                    if not ctx.site_url:
                        ctx.start(wxr.WxrChannel())
                    report.items += 1
                    _one(record, ctx)
                    count += 1
                    if count >= BATCH_ITEMS or time.monotonic() - started > 2:
                        break
                else:
                    finished = True
            except wxr.WxrError as exc:
                report.fatal = str(exc)
                finished = True
            if finished:
                wordpress.finish(ctx)
            ctx.flush()
        if progress:
            progress(report.items, reader.bytes)


def _one(record, ctx: wordpress.Context) -> None:
    kind, wp_id = _describe(record)
    line = getattr(record, "line", 0)
    moves = len(ctx.moves)
    try:
        with transaction.atomic():
            if isinstance(record, wxr.WxrAuthor):
                wordpress.import_author(record, ctx)
            elif isinstance(record, wxr.WxrTerm):
                wordpress.import_term(record, ctx)
            else:
                article = wordpress.import_item(record, ctx)
                if article is not None and record.comments:
                    import_comments(article=article, item=record, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - any fault fails this item only
        # The item's writes are undone; what the run learnt from it must be too.
        ctx.sections.clear()
        ctx.tags.clear()
        ctx.authors.clear()
        ctx.sources.clear()
        del ctx.moves[moves:]
        ctx.report.fail(kind, wp_id, line, _message(exc))


def _describe(record) -> tuple[str, str]:
    if isinstance(record, wxr.WxrAuthor):
        return "author", record.login
    if isinstance(record, wxr.WxrTerm):
        return "term", record.term_id
    return record.post_type or "item", record.post_id


def _message(exc: Exception) -> str:
    text = getattr(exc, "messages", None)
    if text:
        return "; ".join(str(m) for m in text)
    return f"{type(exc).__name__}: {exc}"[:500]
