"""
Read-side queries for comments: what a reader sees under an article.

Threads are paginated by their top-level comment. One query counts, one more
fetches the page's top-level comments, all their replies (through `root`) and
the reader's own pending comments (held or spam alike), so the number of queries stays the same
however many comments an article has. The tree is built in Python.
"""

import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import FETCH_PEERS, Count, Max, Q, QuerySet
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentKind, Status

PENDING_NOTE = "Your comment is awaiting moderation."
# What its author sees as "awaiting moderation"; removed comments are gone.
PENDING_STATUSES = (Status.UNCHECKED, Status.HELD, Status.SPAM)
# The author's own pending comments come from a short-lived cookie; a bound
# keeps a forged or bloated cookie from growing the query.
MAX_PENDING_IDS = 20
AVATAR_VARIANTS = 8
# Only what the page shows: the email, IP and Akismet payload never leave the
# database on a page view.
DISPLAY_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "root_id",
    "depth",
    "author_name",
    "author_url",
    "body_html",
    "status",
    "kind",
    "created",
    "edited_at",
)


@dataclass
class CommentNode:
    """One comment as displayed: its place in the tree and what readers may do."""

    comment: Comment
    depth: int = 0
    pending: bool = False
    can_reply: bool = False
    children: list["CommentNode"] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def author_name(self) -> str:
        return self.comment.author_name

    @property
    def pending_note(self) -> str:
        return PENDING_NOTE if self.pending else ""

    @property
    def author_href(self) -> str:
        """The author's site, only when it is a plain http(s) URL."""
        return safe_http_url(self.comment.author_url)

    @property
    def initials(self) -> str:
        return author_initials(self.comment.author_name)

    @property
    def avatar_variant(self) -> int:
        # A stable colour per name, chosen by CSS class (CSP forbids style=).
        name = self.comment.author_name.strip().casefold()
        return zlib.crc32(name.encode("utf-8", "replace")) % AVATAR_VARIANTS

    def walk(self) -> Iterable["CommentNode"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class CommentPage:
    """The comments under an article for one page of threads."""

    article: Article
    count: int
    threads: list[CommentNode]
    number: int
    num_pages: int
    is_open: bool
    # Pingbacks and trackbacks, listed apart from the discussion (page 1).
    mentions: list[CommentNode] = field(default_factory=list)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def newest_first(self) -> bool:
        return settings.COMMENTS_NEWEST_FIRST

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers to link, None where a run of pages is elided."""
        near = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in sorted(n for n in near if 1 <= n <= self.num_pages):
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links

    def nodes(self) -> Iterable[CommentNode]:
        for thread in self.threads:
            yield from thread.walk()

    def find(self, pk: int) -> CommentNode | None:
        return next((node for node in self.nodes() if node.pk == pk), None)


def safe_http_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL with a host, else ""."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


def author_initials(name: str) -> str:
    words = [w for w in (name or "").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][:1] + (words[-1][:1] if len(words) > 1 else "")
    return letters.upper()


def can_reply_at(depth: int) -> bool:
    """Replies may nest COMMENTS_MAX_DEPTH levels deep, top level included."""
    return depth + 1 < settings.COMMENTS_MAX_DEPTH


def _top_level_ordering() -> tuple[str, str]:
    if settings.COMMENTS_NEWEST_FIRST:
        return ("-created", "-id")
    return ("created", "id")


def _sort_key(comment: Comment) -> tuple[datetime, int]:
    return (comment.created, comment.pk)


def _visible_threads(article: Article) -> QuerySet[Comment]:
    return (
        Comment.objects.public()
        .discussion()
        .filter(article=article, parent__isnull=True)
    )


def comments_for_article(
    *, article: Article, page: int | str = 1, pending_ids: Collection[int] = ()
) -> CommentPage:
    per_page = max(1, settings.COMMENTS_PER_PAGE)
    threads_qs = _visible_threads(article)

    # A reply shows only while its thread's top-level comment does, so the
    # count covers exactly what the pages display.
    counts = (
        Comment.objects.public()
        .discussion()
        .filter(article=article)
        .aggregate(
            threads=Count("pk", filter=Q(parent__isnull=True)),
            total=Count(
                "pk",
                filter=Q(parent__isnull=True) | Q(root__in=threads_qs.values("pk")),
            ),
        )
    )
    num_pages = max(1, -(-counts["threads"] // per_page))
    try:
        number = min(max(int(page), 1), num_pages)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    page_roots = threads_qs.order_by(*_top_level_ordering()).values("pk")[
        offset : offset + per_page
    ]

    visible = (
        Comment.objects.public()
        .discussion()
        .filter(Q(pk__in=page_roots) | Q(root__in=page_roots))
    )
    wanted = visible.filter(article=article)
    if number == 1:
        # In the same query: a page costs the same with or without them.
        wanted = wanted | Comment.objects.public().mentions().filter(article=article)
    pending_ids = sorted(
        {int(pk) for pk in pending_ids if str(pk).isdigit()}, reverse=True
    )[:MAX_PENDING_IDS]
    if pending_ids:
        # The author's own comments still being checked, held or caught as
        # spam, all alike "awaiting moderation", so that a bot cannot tell
        # which. Nobody else sees them, and a reader with pending ids never
        # gets (or fills) the list cached for everyone.
        wanted = wanted | Comment.objects.filter(
            article=article,
            pk__in=pending_ids,
            status__in=PENDING_STATUSES,
        )
    fetched = list(wanted.only(*DISPLAY_FIELDS).fetch_mode(FETCH_PEERS))
    comments = [c for c in fetched if c.kind == CommentKind.COMMENT]
    mentions = sorted(
        (c for c in fetched if c.kind != CommentKind.COMMENT), key=_sort_key
    )
    for mention in mentions:
        mention.article = article

    is_open = article.comments_are_open()
    threads = _build_tree(
        comments,
        article=article,
        is_open=is_open,
        # A pending top-level comment is the newest: it belongs at the end
        # of the last page, or the start of the first when newest come first.
        pending_page=1 if settings.COMMENTS_NEWEST_FIRST else num_pages,
        number=number,
    )
    return CommentPage(
        article=article,
        count=counts["total"],
        threads=threads,
        number=number,
        num_pages=num_pages,
        is_open=is_open,
        mentions=[CommentNode(comment=m) for m in mentions],
    )


def _build_tree(
    comments: list[Comment],
    *,
    article: Article,
    is_open: bool,
    pending_page: int,
    number: int,
) -> list[CommentNode]:
    nodes: dict[int, CommentNode] = {}
    for comment in comments:
        comment.article = article  # already loaded: no query per comment
        pending = comment.status != Status.APPROVED
        nodes[comment.pk] = CommentNode(
            comment=comment,
            pending=pending,
            can_reply=is_open and not pending and can_reply_at(comment.depth),
        )

    roots: list[CommentNode] = []
    replies: dict[int, list[CommentNode]] = {}
    for node in nodes.values():
        comment = node.comment
        if comment.parent_id is None:
            if not node.pending or number == pending_page:
                roots.append(node)
            continue
        # The parent may be hidden (held, removed): the reply then hangs from
        # its thread's top-level comment rather than vanishing with it.
        parent = nodes.get(comment.parent_id) or nodes.get(comment.root_id)
        if parent is not None and parent is not node:
            replies.setdefault(parent.pk, []).append(node)

    max_depth = max(1, settings.COMMENTS_MAX_DEPTH - 1)
    # Iterative, so that a long chain of replies cannot exhaust the stack.
    stack: list[tuple[CommentNode, CommentNode | None]] = [(r, None) for r in roots]
    seen: set[int] = set()
    while stack:
        node, holder = stack.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        for child in replies.get(node.pk, ()):
            if node.depth < max_depth or holder is None:
                child.depth, child_holder = node.depth + 1, node
            else:
                # Deeper than the page nests: shown at the deepest level, as
                # a later sibling of the comment it answers (as WordPress does).
                child.depth, child_holder = node.depth, holder
            child_holder.children.append(child)
            stack.append((child, child_holder))

    for node in nodes.values():
        node.children.sort(key=lambda n: _sort_key(n.comment))
    # Replies read as a conversation, oldest first; top-level by setting.
    roots.sort(
        key=lambda n: _sort_key(n.comment), reverse=settings.COMMENTS_NEWEST_FIRST
    )
    return roots


def comment_page_url(comment: Comment) -> str:
    """The article URL with ?cpage=N (N > 1) and #comment-<pk> for `comment`."""
    article = comment.article
    top_id = (comment.root_id or comment.pk) if comment.parent_id else comment.pk
    top_created = (
        comment.created
        if top_id == comment.pk
        else Comment.objects.filter(pk=top_id).values_list("created", flat=True).first()
    ) or comment.created
    if settings.COMMENTS_NEWEST_FIRST:
        before = Q(created__gt=top_created) | Q(created=top_created, pk__gt=top_id)
    else:
        before = Q(created__lt=top_created) | Q(created=top_created, pk__lt=top_id)
    counts = _visible_threads(article).aggregate(
        total=Count("pk"), before=Count("pk", filter=before)
    )
    per_page = max(1, settings.COMMENTS_PER_PAGE)
    num_pages = max(1, -(-counts["total"] // per_page))
    number = min(counts["before"] // per_page + 1, num_pages)
    query = f"?cpage={number}" if number > 1 else ""
    return f"{article.get_absolute_url()}{query}#comment-{comment.pk}"


def feed_comments(*, article: Article | None = None) -> QuerySet[Comment]:
    """
    The newest public comments on public articles, as feeds show them: one
    query, and only the fields a feed prints (never the email or the IP).
    """
    comments = Comment.objects.public().filter(
        article__in=Article.objects.published().values("pk")
    )
    if article is not None:
        comments = comments.filter(article=article)
    return (
        comments.select_related("article")
        .only(
            "id",
            "author_name",
            "author_url",
            "body_html",
            "created",
            "article__id",
            "article__title",
            "article__slug",
            "article__published_at",
        )
        .order_by("-created", "-id")
    )


def comments_changed(*, article: Article | None = None) -> dict:
    """
    When any comment in scope last changed, and how many there are: every
    status change sets `updated`, and a deletion lowers the count.
    """
    comments = Comment.objects.all()
    if article is not None:
        comments = comments.filter(article=article)
    return comments.aggregate(changed=Max("updated"), count=Count("id"))


def most_commented(*, days: int = 7, limit: int = 5) -> list[Article]:
    """
    Public articles with the most public comments posted since midnight
    `days` days ago, each with `recent_comments`; one query. From a midnight,
    so that the list changes only with comments and at midnight.
    """
    start = timezone.localdate() - timedelta(days=days)
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    recent = Comment.objects.public().filter(created__gte=since).values("pk")
    return list(
        Article.objects.published()
        # Filtering before annotating makes the count use the same join,
        # so only the recent public comments are counted.
        .filter(comments__in=recent)
        .annotate(recent_comments=Count("comments"))
        .only("id", "title", "slug", "published_at")
        .order_by("-recent_comments", "-published_at", "-id")[:limit]
    )
