"""
WordPress import for comments: one item's comments at a time, inside the
item's transaction (see newsarchive.importing). Threads are rebuilt in
memory first, so a reply that comes before its parent in the file still
hangs from it; a reply whose parent is missing becomes top-level. Imported
comments go through moderation.create_imported: never to Akismet, and
their history says "imported".
"""

import html
import ipaddress

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from articles.importers.wordpress import Context, parse_date
from articles.importers.wxr import WxrComment, WxrItem
from articles.models import Article
from comments import moderation
from comments.models import Comment, CommentKind, Status
from newsarchive.sanitize import HtmlTooComplex, clean_comment_html

STATUSES = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "0": Status.HELD,
    "hold": Status.HELD,
    "spam": Status.SPAM,
    "trash": Status.REMOVED,
    "post-trashed": Status.REMOVED,
}
KINDS = {
    "": CommentKind.COMMENT,
    "comment": CommentKind.COMMENT,
    "pingback": CommentKind.PINGBACK,
    "trackback": CommentKind.TRACKBACK,
}
# Fields a later export may change, compared to decide "updated".
COMPARED = (
    "author_name",
    "author_email",
    "author_url",
    "body",
    "body_html",
    "created",
    "kind",
    "parent_id",
    "root_id",
    "depth",
)


def existing_comments(refs) -> dict[str, Comment]:
    """Comments already imported, by import_ref, with what an update compares."""
    return {
        c.import_ref: c
        for c in Comment.objects.filter(import_ref__in=refs).only(
            "id",
            "article_id",
            "status",
            "previous_status",
            "updated",
            "import_ref",
            "ip",
            *COMPARED,
        )
    }


def comment_refs(item: WxrItem, ctx: Context) -> dict[str, str]:
    return {c.comment_id: ctx.ref("comment", c.comment_id) for c in item.comments}


class Staged:
    """
    New comments of a batch's items, saved together by save_staged(): level
    by level across the batch, so that a batch costs a few INSERTs whatever
    its number of items.
    """

    def __init__(self) -> None:
        self.levels: list[list[Comment]] = []
        self.details: dict[int, dict] = {}

    def add(self, levels: list[list[Comment]], details: dict[int, dict]) -> None:
        for depth, level in enumerate(levels):
            if depth == len(self.levels):
                self.levels.append([])
            self.levels[depth].extend(level)
        self.details.update(details)


def save_staged(staged: Staged, ctx: Context) -> None:
    created = moderation.create_imported(
        staged.levels, details=staged.details, scopes=ctx.scopes
    )
    if created:
        ctx.report.counts["comment"]["created"] += len(created)


def import_comments(
    *,
    article: Article,
    item: WxrItem,
    ctx: Context,
    existing: dict[str, Comment] | None = None,
    staged: Staged | None = None,
) -> None:
    """
    The item's comments. `existing` is what existing_comments() gives for
    them, when the caller read it for a whole batch; with `staged`, an item
    none of whose comments exist yet leaves its new ones there, to be saved
    with the batch's.
    """
    report = ctx.report
    line = item.line
    refs = comment_refs(item, ctx)
    if existing is None:
        existing = existing_comments(refs.values())
    else:
        existing = {r: existing[r] for r in refs.values() if r in existing}
    wanted: dict[str, tuple[WxrComment, dict]] = {}
    for record in item.comments:
        taken = existing.get(refs[record.comment_id])
        if taken is not None and taken.article_id != article.pk:
            # Never moved between articles: an export that gives two posts
            # the same comment id keeps the first post's comment.
            report.fail(
                "comment",
                record.comment_id,
                line,
                "this comment id already belongs to another post's comment; left out",
            )
            del existing[refs[record.comment_id]]
            continue
        fields = _fields(record, ctx, line)
        if fields is None:
            continue
        wanted[record.comment_id] = (record, fields)

    parents = _threads(wanted, item, ctx)
    objs: dict[str, Comment] = {
        wp_id: existing[refs[wp_id]] for wp_id in wanted if refs[wp_id] in existing
    }
    levels: list[list[Comment]] = []
    details: dict[int, dict] = {}
    statuses: dict[str, str] = {}
    for level in _levels(wanted, parents):
        new = []
        for wp_id in level:
            record, fields = wanted[wp_id]
            statuses[wp_id] = fields.pop("status")
            fields["depth"] = _depth(wp_id, parents)
            if wp_id in objs:
                continue
            parent = parents.get(wp_id)
            # Saved level by level: a reply's parent and root get their ids
            # in an earlier level (see moderation.create_imported).
            comment = Comment(
                article=article,
                import_ref=refs[wp_id],
                status=statuses[wp_id],
                parent=objs[parent] if parent else None,
                root=objs[_root(wp_id, parents)] if parent else None,
                **fields,
            )
            objs[wp_id] = comment
            details[id(comment)] = {
                "wordpress_id": wp_id,
                "wordpress_status": record.approved,
            }
            new.append(comment)
        levels.append(new)
    if staged is not None and not existing:
        staged.add(levels, details)
        return
    created = moderation.create_imported(levels, details=details, scopes=ctx.scopes)
    if created:
        report.counts["comment"]["created"] += len(created)

    # Comments from an earlier run: every id is known now.
    for wp_id, (_record, fields) in wanted.items():
        comment = existing.get(refs[wp_id])
        if comment is None:
            continue
        parent = parents.get(wp_id)
        fields["parent_id"] = objs[parent].pk if parent else None
        fields["root_id"] = objs[_root(wp_id, parents)].pk if parent else None
        changed = {k: v for k, v in fields.items() if getattr(comment, k) != v}
        status = statuses[wp_id]
        moved = moderation.update_imported(comment, fields=changed, status=status)
        if status != comment.status and not moved:
            report.note(
                "comment",
                wp_id,
                line,
                f"kept {comment.status} (set here) rather than the export's {status}",
            )
        report.count("comment", "updated" if changed or moved else "unchanged")


def _root(wp_id: str, parents: dict[str, str]) -> str:
    while wp_id in parents:
        wp_id = parents[wp_id]
    return wp_id


def _fields(record: WxrComment, ctx: Context, line: int) -> dict | None:
    report = ctx.report
    wp_id = record.comment_id
    kind = KINDS.get(record.comment_type)
    if kind is None:
        report.skip("comment", wp_id, line, f"comment type {record.comment_type!r}")
        return None
    if kind != CommentKind.COMMENT and ctx.skip_pings:
        report.skip("comment", wp_id, line, f"{kind}s skipped by option")
        return None
    status = STATUSES.get(record.approved)
    if status is None:
        report.note("comment", wp_id, line, f"unknown status {record.approved!r}; held")
        status = Status.HELD
    created = parse_date(record.date_gmt, record.date, ctx.time_zone)
    if created is None:
        report.fail("comment", wp_id, line, "the comment has no valid date")
        return None
    try:
        body_html = clean_comment_html(record.content)
    except HtmlTooComplex as exc:
        report.fail("comment", wp_id, line, str(exc))
        return None
    email = record.author_email.strip()
    try:
        if email:
            validate_email(email)
    except ValidationError:
        report.note("comment", wp_id, line, "author email is not valid; left out")
        email = ""
    url = record.author_url.strip()
    if len(url) > 200 or (url and not url.startswith(("http://", "https://"))):
        report.note("comment", wp_id, line, "author URL is not usable; left out")
        url = ""
    return {
        "kind": kind,
        "status": status,
        "author_name": html.unescape(record.author).strip()[:245] or "Anonymous",
        "author_email": email[:100],
        "author_url": url,
        "ip": _ip(record.author_ip),
        "body": record.content,
        "body_html": body_html,
        "created": created,
    }


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _threads(wanted: dict, item: WxrItem, ctx: Context) -> dict[str, str]:
    """Each reply's parent among the item's comments (cycles broken)."""
    parents: dict[str, str] = {}
    for wp_id, (record, _fields) in wanted.items():
        parent = record.parent_id.strip()
        if not parent or parent == "0":
            continue
        if parent not in wanted:
            ctx.report.note(
                "comment",
                wp_id,
                item.line,
                f"its parent {parent} is not in the export; shown as a top-level comment",
            )
            continue
        parents[wp_id] = parent
    for wp_id in list(parents):
        seen = {wp_id}
        node = parents.get(wp_id)
        while node is not None:
            if node in seen:
                ctx.report.note(
                    "comment", wp_id, item.line, "replies form a loop; made top-level"
                )
                parents.pop(wp_id, None)
                break
            seen.add(node)
            node = parents.get(node)
    return parents


def _depth(wp_id: str, parents: dict[str, str]) -> int:
    depth, node = 0, wp_id
    while node in parents:
        depth, node = depth + 1, parents[node]
    return depth


def _levels(wanted: dict, parents: dict[str, str]) -> list[list[str]]:
    by_depth: dict[int, list[str]] = {}
    for wp_id in wanted:
        by_depth.setdefault(_depth(wp_id, parents), []).append(wp_id)
    return [by_depth[d] for d in sorted(by_depth)]
