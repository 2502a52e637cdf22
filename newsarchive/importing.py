"""
A WordPress export, start to finish: the one loop that the import_wordpress
command and the admin's upload page (through a task) both run. It reads the
file as a stream, in batches of items; a batch is written in bulk and, should
that fail, again item by item, each author, term and item (with its
comments) in its own savepoint, carrying on past an item that fails. A file
that cannot be read further stops the run, keeping what came before.
"""

from collections.abc import Callable
from datetime import tzinfo
from typing import BinaryIO

from django.conf import settings
from django.db import connection, reset_queries, transaction

from articles.importers import wordpress, wxr
from comments.importers import (
    Staged,
    comment_refs,
    existing_comments,
    import_comments,
    save_staged,
)

# Items per transaction (and per progress report), at most, and comments.
BATCH_ITEMS = 500
BATCH_COMMENTS = 5_000


class _Rollback(Exception):
    """Ends a dry run's transaction without keeping anything."""


class _OneByOne(Exception):
    """A batch the bulk path leaves to the item-by-item one."""


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
    Items in batches, each batch one transaction. A batch is first written
    in bulk: its posts and comments planned one by one, then saved a few
    statements for the whole batch (see _bulk). Should anything in it fail,
    the batch is undone and done again one item at a time, each item a
    savepoint: an item that fails is undone alone and reported.
    """
    report = ctx.report
    records = wxr.read(reader)
    finished = False
    while not finished:
        batch: list = []
        comments = 0
        try:
            for record in records:
                if isinstance(record, wxr.WxrChannel):
                    ctx.start(record)
                    continue
                if not ctx.site_url:
                    ctx.start(wxr.WxrChannel())
                batch.append(record)
                comments += len(getattr(record, "comments", ()))
                if len(batch) >= BATCH_ITEMS or comments >= BATCH_COMMENTS:
                    break
            else:
                finished = True
        except wxr.WxrError as exc:
            report.fatal = str(exc)
            finished = True
        with transaction.atomic():
            report.items += len(batch)
            checkpoint = ctx.checkpoint()
            try:
                with transaction.atomic():
                    _bulk(batch, ctx)
            except Exception:  # noqa: BLE001 - redone item by item, reported there
                ctx.restore(checkpoint)
                for record in batch:
                    _one(record, ctx)
            if finished:
                wordpress.finish(ctx)
            ctx.flush()
        if settings.DEBUG and not connection.force_debug_cursor:
            # DEBUG keeps the SQL of the last 9,000 queries, and a batch's
            # are large: memory would grow with the file. (A test counting
            # queries forces the log on, and keeps it.)
            reset_queries()
        if progress:
            progress(report.items, reader.bytes)


def _bulk(batch: list, ctx: wordpress.Context) -> None:
    """
    The batch's writes with as few statements as its rows allow: existing
    rows read once for the batch, new posts and their comments saved
    together at the end. Raises on any fault, for _run to fall back.
    """
    items = [r for r in batch if isinstance(r, wxr.WxrItem) and r.post_type == "post"]
    refs = [ctx.ref(item.post_id) for item in items]
    if len(set(refs)) != len(refs):
        raise _OneByOne("the same post twice in one batch")
    known = wordpress.Known.read(items, ctx)
    existing = existing_comments(
        [r for item in items for r in comment_refs(item, ctx).values()]
    )
    new: list = []
    staged = Staged()
    images: list = []
    for record in batch:
        if not (isinstance(record, wxr.WxrItem) and record.post_type == "post"):
            _one(record, ctx)
            continue
        plan = wordpress.plan_post(record, ctx, known)
        if plan is None:
            continue
        article = wordpress.save_post(plan, ctx, known, new=new)
        if plan.thumb:
            images.append((article, plan.thumb))
        if record.comments:
            import_comments(
                article=article, item=record, ctx=ctx, existing=existing, staged=staged
            )
    wordpress.save_new_posts(new)
    save_staged(staged, ctx)
    for article, thumb in images:
        ctx.pending_images[article.pk] = thumb


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
