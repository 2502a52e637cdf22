"""
Read-side queries for moderators: the queue's tabs, counts and filters, a
comment's history, authors' records, and what the digest mail lists.
"""

from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    FETCH_PEERS,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Article, Section
from comments import tally
from comments.models import (
    AKISMET_ANSWERED,
    MODERATE_PERMISSION,
    Comment,
    CommentReport,
    Status,
)

QUEUE_TABS = ("held", "reported", "spam", "approved", "removed")

# A new comment is decided within seconds of being saved. One still unchecked
# after this was missed (an error after saving, a worker that never ran), so
# moderators see it with the held ones until its check runs.
UNCHECKED_OVERDUE = timedelta(minutes=1)
# The queue counts blatant spam Akismet discarded over this long.
DISCARDED_WINDOW = timedelta(hours=24)


def _has_open_reports():
    return Exists(CommentReport.objects.open().filter(comment=OuterRef("pk")))


def _tab_parts(tab: str, *, now: datetime | None = None) -> list[Q]:
    """A tab's rows as disjoint parts, each one range of the status index."""
    if tab == "held":
        overdue = (now or timezone.now()) - UNCHECKED_OVERDUE
        return [Q(status=Status.HELD), Q(status=Status.UNCHECKED, created__lt=overdue)]
    return [_tab_filter(tab, now=now)]


def _tab_filter(tab: str, *, now: datetime | None = None) -> Q:
    if tab == "held":
        held, overdue = _tab_parts(tab, now=now)
        return held | overdue
    if tab == "reported":
        return Q(status=Status.APPROVED) & Q(_has_open_reports())
    if tab == "spam":
        # Discarded spam is blatant (Akismet's "discard" pro tip): nobody
        # needs to review it, so it is only counted, then purged.
        return Q(status=Status.SPAM, discarded=False)
    return Q(status=Status(tab))


# What a queue row shows (comments.queue_html, admin_views.why_here), and no
# more: not the article's body nor the comment's Akismet payload, which
# made up most of the bytes fifty rows read.
QUEUE_ROW_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "author_email",
    "author_url",
    "ip",
    "body_html",
    "status",
    "previous_status",
    "hold_reason",
    "hold_detail",
    "akismet_verdict",
    "akismet_headers",
    "next_check_at",
    "created",
    "updated",
    "article__id",
    "article__title",
    "article__slug",
    "article__published_at",
    "article__section__id",
    "article__section__name",
)


def moderation_queue(*, tab: str = "held", **filters) -> QuerySet[Comment]:
    """
    One tab of the moderation queue, newest first, with everything a row
    shows loaded up front: the article and its section (joined), the parent's
    author and excerpt (annotated), and the open reports (one prefetch query).
    Filters: article_id, section_slug, date_from, date_to, search. Only the
    fields a row shows are read; should a row come to need another, it is
    fetched for the whole page at once (FETCH_PEERS), not once per row.
    """
    return (
        _with_row_data(queue_rows(tab=tab, **filters))
        .only(*QUEUE_ROW_FIELDS)
        .fetch_mode(FETCH_PEERS)
        .order_by("-created", "-id")
    )


def queue_count(*, tab: str = "held", **filters) -> int:
    """
    How many comments moderation_queue() lists, capped as capped_count():
    each part of the tab counted on its own, because an OR of two statuses
    reads the whole status index instead of two short ranges of it.
    """
    total = sum(
        capped_count(_filtered(Comment.objects.filter(part), **filters))
        for part in _tab_parts(_known_tab(tab))
    )
    return min(total, COUNT_CAP + 1)


def queue_rows(*, tab: str = "held", **filters) -> QuerySet[Comment]:
    """The comments of one queue tab and its filters, bare of row data."""
    return _filtered(Comment.objects.filter(_tab_filter(_known_tab(tab))), **filters)


def _known_tab(tab: str) -> str:
    return tab if tab in QUEUE_TABS else "held"


def _filtered(
    qs: QuerySet[Comment],
    *,
    article_id: int | None = None,
    section_slug: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
) -> QuerySet[Comment]:
    if article_id:
        qs = qs.filter(article_id=article_id)
    if section_slug:
        qs = qs.filter(article__section__slug=section_slug)
    # Dates are the site's calendar days (__date converts to TIME_ZONE).
    if date_from:
        qs = qs.filter(created__date__gte=date_from)
    if date_to:
        qs = qs.filter(created__date__lte=date_to)
    if search := search.strip():
        qs = qs.filter(
            Q(author_name__icontains=search)
            | Q(author_email__icontains=search)
            | Q(ip__icontains=search)
            | Q(body__icontains=search)
        )
    return qs


def moderation_comment(*, pk: int) -> QuerySet[Comment]:
    """One comment with what a queue row shows (for its history page)."""
    return _with_row_data(Comment.objects.filter(pk=pk))


def _with_row_data(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    return (
        qs.select_related("article__section")
        .annotate(
            parent_author=F("parent__author_name"),
            parent_body=F("parent__body"),
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.open().order_by("created", "id"),
                to_attr="open_reports",
            )
        )
    )


# Counts stop here: beyond it a moderator needs filters, not a number, and
# counting the approved comments of a large archive on every queue view
# would read most of the table.
COUNT_CAP = 10_000


def capped_count(qs: QuerySet, cap: int | None = None) -> int:
    """min(rows, cap + 1): cap + 1 means "more than cap" (COUNT_CAP)."""
    cap = COUNT_CAP if cap is None else cap
    return qs.order_by().values("pk")[: cap + 1].count()


class TabCounts(NamedTuple):
    """The queue's counts: every tab's (see tab_counts) and discarded spam's."""

    tabs: dict[str, int]
    # Tabs whose count stopped at a live part's cap: "more than" it.
    capped: frozenset[str]
    discarded: int


def tab_counts() -> TabCounts:
    """
    Every queue tab's count and the spam discarded in the last
    DISCARDED_WINDOW, in two small queries whatever the archive's size:
    statuses from the tally the database keeps (comments.tally), exact; and
    live, what depends on the clock or on reports: the last minute's
    unchecked comments (the rest are overdue, so held), open reports and the
    discard window, the last two up to COUNT_CAP + 1.
    """
    counted = tally.counts()
    live = _live_counts()
    # Unchecked comments are overdue but for those of the last minute,
    # which are few however long the worker has been down.
    overdue = tally.by_status(counted, Status.UNCHECKED) - live["unchecked_lately"]
    tabs = {
        "held": tally.by_status(counted, Status.HELD) + overdue,
        "reported": live["reported"],
        "spam": counted.get((Status.SPAM, False), 0),
        "approved": tally.by_status(counted, Status.APPROVED),
        "removed": tally.by_status(counted, Status.REMOVED),
    }
    capped = frozenset({"reported"} if live["reported"] > COUNT_CAP else ())
    return TabCounts(tabs, capped, live["discarded"])


def _live_counts() -> dict[str, int]:
    sql, params, names = _live_counts_query(COUNT_CAP, connection.vendor)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    values = [
        adapt(now - value.ago) if isinstance(value, _Ago) else value for value in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return dict(zip(names, cursor.fetchone(), strict=True))


class _Ago:
    """A parameter of the counts' SQL that stands for "now less `ago`"."""

    def __init__(self, ago: timedelta) -> None:
        self.ago = ago


# Compiled with this for "now", so that the times it leaves in the
# parameters tell which offsets from now they stand for.
_COMPILED_AT = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


@cache
def _live_counts_query(cap: int, vendor: str) -> tuple[str, tuple, tuple[str, ...]]:
    """
    _live_counts()'s SQL, compiled by Django once per process (building and
    compiling the querysets cost more than running them): the SQL, its
    parameters with an _Ago for each time, and the counts' names.
    """
    offsets = (UNCHECKED_OVERDUE, DISCARDED_WINDOW)
    adapt = connection.ops.adapt_datetimefield_value
    times = {adapt(_COMPILED_AT - ago): _Ago(ago) for ago in offsets}
    counted = {
        "unchecked_lately": Comment.objects.filter(
            status=Status.UNCHECKED, created__gte=_COMPILED_AT - UNCHECKED_OVERDUE
        ).values("pk"),
        # From the open reports, which are few, to their comments: the other
        # way round walks every approved comment looking for a report.
        "reported": CommentReport.objects.open()
        .filter(comment__status=Status.APPROVED)
        .values("comment_id")
        .distinct(),
        "discarded": Comment.objects.filter(
            status=Status.SPAM,
            discarded=True,
            checked_at__gte=_COMPILED_AT - DISCARDED_WINDOW,
        ).values("pk"),
    }
    parts, params = [], []
    for name, rows in counted.items():
        # Not capped: a minute's comments (see tab_counts).
        rows = rows.order_by()
        limited = rows if name == "unchecked_lately" else rows[: cap + 1]
        sql, sql_params = limited.query.sql_with_params()
        # Django's own compiled SQL, its values passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name}_rows)")  # noqa: S608
        params.extend(sql_params)
    params = [times.get(value, value) for value in params]
    if sum(isinstance(value, _Ago) for value in params) != len(offsets):
        raise AssertionError("the counts' times were not found in their SQL")
    return "SELECT " + ", ".join(parts), tuple(params), tuple(counted)


def author_records(emails: Collection[str]) -> dict[str, dict[str, int]]:
    """
    Each author's record by email (case-insensitive): how many of their
    comments are approved, spam and removed. One grouped query for a page.
    """
    # lower(), like SQL LOWER(), not casefold(): the keys must match.
    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    rows = (
        Comment.objects.annotate(email_key=Lower("author_email"))
        .filter(email_key__in=wanted)
        .values("email_key")
        # Counted by status, not by key: the index (comment_author_record)
        # holds all that is read.
        .annotate(
            approved=Count("status", filter=Q(status=Status.APPROVED)),
            spam=Count("status", filter=Q(status=Status.SPAM)),
            removed=Count("status", filter=Q(status=Status.REMOVED)),
            total=Count("status"),
        )
        .order_by()
    )
    return {row.pop("email_key"): row for row in rows}


def queue_filter_choices(*, limit: int = 300) -> tuple[list, list]:
    """(article id, title) for articles with comments, newest first, and
    (slug, name) for every section: the queue's filter menus, two queries."""
    articles = list(
        Article.objects.filter(Exists(Comment.objects.filter(article=OuterRef("pk"))))
        .order_by("-published_at", "-id")
        .values_list("pk", "title")[:limit]
    )
    sections = list(Section.objects.order_by("name").values_list("slug", "name"))
    return articles, sections


def moderation_history(*, comment: Comment) -> QuerySet:
    """Every ModerationEvent of `comment`, oldest first, with its actor."""
    return comment.events.select_related("actor").order_by("created", "id")


def attention_counts() -> dict[str, int]:
    """What needs a moderator: held comments, and published ones with reports."""
    counts = tab_counts()
    return {"held": counts.tabs["held"], "reported": counts.tabs["reported"]}


def digest_comments(*, limit: int) -> tuple[list[Comment], list[Comment]]:
    """The newest held and the newest reported comments, for the digest mail."""
    held, reported = (
        list(
            Comment.objects.filter(_tab_filter(tab))
            .select_related("article")
            .order_by("-created", "-id")[:limit]
        )
        for tab in ("held", "reported")
    )
    return held, reported


def akismet_alert() -> dict | None:
    """
    The alert (code, message, when) Akismet sent with its latest answer, or
    None. An alert is about the account, not a comment, and lasts until an
    answer comes without it, as Akismet's own WordPress plugin keeps it.
    """
    latest = (
        Comment.objects.filter(AKISMET_ANSWERED)
        .order_by("-checked_at", "-pk")
        .values("akismet_alert_code", "akismet_alert_msg", "checked_at")
        .first()
    )
    if latest is None or not latest["akismet_alert_code"]:
        return None
    return {
        "code": latest["akismet_alert_code"],
        "message": latest["akismet_alert_msg"],
        "seen": latest["checked_at"],
    }


def moderators():
    """Active users allowed to moderate, with an email address."""
    return (
        get_user_model()
        .objects.with_perm(MODERATE_PERMISSION, include_superusers=True)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
