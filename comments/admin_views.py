"""
The admin views of the moderation workspace: the queue (tabs with live counts,
filters, search, row and bulk actions), one comment's history, and a
moderator's reply.

CommentAdmin.get_urls wraps every view in admin.site.admin_view (staff login)
and these views require comments.moderate_comment (403 otherwise). Every
status change goes through comments.moderation. Each row posts the status it
was shown in and the comment's version then, and the action runs against
both, so when someone else changed the comment meanwhile (even moving it away
and back) the state machine's conditional UPDATE matches nothing and the
moderator is told instead of overwriting the other decision.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from comments import moderation
from comments.forms import TAB_LABELS, CommentForm, QueueFilterForm
from comments.models import (
    MODERATE_PERMISSION,
    AkismetVerdict,
    Comment,
    CommentReport,
    HoldReason,
    ModerationEvent,
    Status,
)
from comments.queue_html import rows_html
from comments.selectors import moderator as selectors
from comments.selectors.reader import safe_http_url
from comments.services.checking import comment_recheck
from comments.services.submit import SubmitError, comment_submit
from comments.visitors import request_meta

PER_PAGE = 50
QUEUE_URL = "admin:comments_comment_moderate"

MODERATOR_WORDS = {
    Status.HELD: "Held by a moderator",
    Status.SPAM: "Marked spam by a moderator",
}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    key: str = ""  # keyboard shortcut in moderation.js
    tone: str = ""  # CSS modifier: good / bad / quiet


APPROVE = Action("approve", "Approve", "a", "good")
SPAM = Action("spam", "Spam", "s", "bad")
HAM = Action("ham", "Not spam", "a", "good")
REMOVE = Action("remove", "Remove", "d", "bad")
RESTORE = Action("restore", "Restore", "", "good")
DISMISS = Action("dismiss", "Dismiss reports", "", "quiet")
RECHECK = Action("recheck", "Recheck with Akismet", "", "quiet")

ROW_ACTIONS: dict[str, tuple[Action, ...]] = {
    Status.UNCHECKED: (APPROVE, SPAM, RECHECK),
    Status.HELD: (APPROVE, SPAM, REMOVE, RECHECK),
    Status.APPROVED: (SPAM, REMOVE),
    Status.SPAM: (HAM, REMOVE),
    Status.REMOVED: (RESTORE,),
}
BULK_ACTIONS = (APPROVE, SPAM, HAM, REMOVE, RESTORE, DISMISS, RECHECK)
ACTIONS = {action.name: action for action in BULK_ACTIONS}

MOVES = {
    "approve": (moderation.approve, "approved"),
    "spam": (moderation.mark_spam, "marked as spam"),
    "ham": (moderation.mark_ham, "marked as not spam"),
    "remove": (moderation.remove, "removed"),
    "restore": (moderation.restore, "restored"),
}

# Words ------------------------------------------------------------------------


def _local_time(value: datetime, *, now: datetime) -> str:
    """14:20 today, else 27 Nov 14:20 — in the site's time zone."""
    local = timezone.localtime(value)
    if local.date() == timezone.localtime(now).date():
        return f"{local:%H:%M}"
    return f"{local:%d %b %H:%M}"


def report_words(open_reports: list[CommentReport]) -> str:
    """“Reported 3× — abusive, spam”: the count and reasons, commonest first."""
    if not open_reports:
        return ""
    labels = dict(CommentReport.Reason.choices)
    reasons = Counter(r.reason for r in open_reports).most_common()
    words = ", ".join(labels.get(reason, reason).lower() for reason, _ in reasons)
    return f"Reported {len(open_reports)}× — {words}"


def why_here(comment: Comment, *, now: datetime | None = None) -> list[str]:
    """Why this comment is in its tab, as short phrases a moderator reads."""
    now = now or timezone.now()
    words: list[str] = []
    reason = comment.hold_reason
    if reason:
        phrase = comment.get_hold_reason_display()
        if reason == HoldReason.MODERATOR:
            phrase = MODERATOR_WORDS.get(comment.status, phrase)
        detail = comment.hold_detail.strip()
        if detail and detail.casefold() in phrase.casefold():
            detail = ""
        if reason in HoldReason.DETAIL_FIRST and detail:
            phrase, detail = detail, ""
        if (
            reason in HoldReason.RETRYING
            and comment.next_check_at
            and comment.status in moderation.CHECKABLE
        ):
            phrase += f" — next try at {_local_time(comment.next_check_at, now=now)}"
            if detail:
                phrase += f" ({detail})"
        elif detail:
            phrase = f"{phrase}: {detail}"
        words.append(phrase)
    elif comment.status == Status.UNCHECKED:
        # Shown only once overdue: its check has not run or could not run.
        if comment.hold_detail:
            state = comment.hold_detail
        elif comment.next_check_at and comment.next_check_at > now:
            state = f"next try at {_local_time(comment.next_check_at, now=now)}"
        elif comment.next_check_at:
            due = _local_time(comment.next_check_at, now=now)
            state = f"its check due at {due} has not run yet"
        else:
            state = "no check is scheduled"
        words.append(f"Not checked yet — {state}")
    elif (
        comment.status == Status.APPROVED
        and comment.akismet_verdict == AkismetVerdict.HAM
    ):
        words.append("Akismet said ham")
    if comment.akismet_headers:
        tip = _header(comment.akismet_headers, "X-akismet-pro-tip")
        if tip and reason != HoldReason.AKISMET_DISCARD:
            words.append(f"Akismet pro tip: {tip}")
    if comment.akismet_verdict in AkismetVerdict.SPAMMY and not reason.startswith(
        "akismet_"
    ):
        words.append("Akismet said spam")
    if comment.status == Status.REMOVED and comment.previous_status:
        words.append(f"Removed while {comment.previous_status}")
    if text := report_words(getattr(comment, "open_reports", [])):
        words.append(text)
    return words


def _header(headers: dict, name: str) -> str:
    wanted = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == wanted), "")


def akismet_banners() -> list[SafeString]:
    """
    Site-wide words about Akismet for moderators, one definition for the
    queue (a banner) and the changelist (messages): no key, or the alert
    Akismet sent with its latest answer.
    """
    banners = []
    if not settings.AKISMET_API_KEY:
        banners.append(
            format_html(
                "No Akismet key is set (AKISMET_API_KEY), so comments are not "
                "checked for spam and are held for moderation. Once a key is "
                "set, check them with the queue's Recheck or {}.",
                "manage.py recheck_comments --all-no-key",
            )
        )
    if alert := selectors.akismet_alert():
        seen = (
            format_html(
                " (last seen {})", _local_time(alert["seen"], now=timezone.now())
            )
            if alert["seen"]
            else ""
        )
        # Each alert code has a page saying what Akismet asks the site owner
        # to do, e.g. https://akismet.com/developers/errors/akismet-error-10005/.
        help_link = (
            format_html(
                ' <a href="https://akismet.com/developers/errors/akismet-error-{}/">'
                "What Akismet asks you to do</a>",
                alert["code"],
            )
            if alert["code"].isdigit()
            else ""
        )
        banners.append(
            format_html(
                "Akismet alert {}: {}{}{}",
                alert["code"],
                alert["message"],
                seen,
                help_link,
            )
        )
    return banners


# The queue --------------------------------------------------------------------


@dataclass
class QueueRow:
    comment: Comment
    reasons: list[str]
    record: dict[str, int]
    actions: tuple[Action, ...]
    open_reports: int = 0
    parent_excerpt: str = ""
    site: str = ""
    article_url: str = ""
    history_url: str = ""
    reply_url: str = ""

    @property
    def first_time(self) -> bool:
        return self.record.get("total", 0) <= 1

    @property
    def version(self) -> str:
        return moderation.version(self.comment)


def _require_moderator(request: HttpRequest) -> None:
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


# Stands for a comment's id in a URL reversed once per page (_for_each_pk).
_PK_MARK = "987654321"


def _for_each_pk(name: str):
    """`reverse(name, args=[pk])` for many pks, with one reverse per page."""
    pattern = reverse(name, args=[int(_PK_MARK)])
    return lambda pk: pattern.replace(_PK_MARK, str(pk))


def _rows(comments: list[Comment]) -> list[QueueRow]:
    records = selectors.author_records([c.author_email for c in comments])
    now = timezone.now()
    history = _for_each_pk("admin:comments_comment_moderate_history")
    reply = _for_each_pk("admin:comments_comment_moderate_reply")
    article_urls = {}
    rows = []
    for comment in comments:
        if comment.article_id not in article_urls:
            article_urls[comment.article_id] = comment.article.get_absolute_url()
        open_count = len(comment.open_reports)
        actions = ROW_ACTIONS.get(comment.status, ())
        if open_count:
            actions = (*actions, DISMISS)
        parent_excerpt = ""
        if comment.parent_id and comment.parent_body is not None:
            parent_excerpt = Truncator(comment.parent_body).chars(120)
        rows.append(
            QueueRow(
                comment=comment,
                reasons=why_here(comment, now=now),
                record=records.get(
                    comment.author_email.lower(),
                    {"approved": 0, "spam": 0, "removed": 0, "total": 0},
                ),
                actions=actions,
                open_reports=open_count,
                parent_excerpt=parent_excerpt,
                # Only plain http(s) links: never a javascript: URL.
                site=safe_http_url(comment.author_url),
                article_url=article_urls[comment.article_id],
                history_url=history(comment.pk),
                reply_url=reply(comment.pk),
            )
        )
    return rows


class CappedPaginator(Paginator):
    """
    Counts no further than COUNT_CAP: the pages past it are for filters.
    `counter`, when given, counts the same rows more cheaply than the page's
    queryset with its joins and annotations (selectors.queue_count).
    """

    def __init__(self, object_list, per_page, *args, counter=None, **kwargs) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counter = counter

    @cached_property
    def count(self) -> int:
        if self.counter is not None:
            return self.counter()
        return selectors.capped_count(self.object_list)

    @property
    def cap(self) -> int:
        return selectors.COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > selectors.COUNT_CAP


def queue_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    _require_moderator(request)
    articles, sections = selectors.queue_filter_choices()
    form = QueueFilterForm(request.GET or None, articles=articles, sections=sections)
    params = form.params()
    tab = params["tab"]
    filtered = any(v for k, v in params.items() if k != "tab" and v not in (None, ""))
    counts = selectors.tab_counts()
    paginator = CappedPaginator(
        selectors.moderation_queue(**params),
        PER_PAGE,
        # Unfiltered, the tab's own count is the pager's (not counted twice),
        # stopped at the cap as well: the pages further on are for filters.
        counter=(lambda: selectors.queue_count(**params))
        if filtered
        else (lambda: min(counts.tabs[tab], selectors.COUNT_CAP + 1)),
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(list(page.object_list))
    here = request.get_full_path()
    filters = request.GET.copy()
    filters.pop("page", None)
    tabs = []
    for name, label in TAB_LABELS.items():
        query = filters.copy()
        query["tab"] = name
        tabs.append(
            {
                "name": name,
                "label": label,
                # "More than": the count a capped tab stopped at, less one.
                "count": counts.tabs[name] - (name in counts.capped),
                "more": name in counts.capped,
                "query": query.urlencode(),
                "current": name == tab,
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Moderation queue",
        "subtitle": TAB_LABELS[tab],
        "form": form,
        "tab": tab,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "rows_html": rows_html(rows, tab=tab, next_url=here),
        "banners": akismet_banners(),
        "discarded": counts.discarded,
        "count_cap": selectors.COUNT_CAP,
        "bulk_actions": BULK_ACTIONS,
        "filters_query": filters.urlencode(),
        "filtered": filtered,
        "next": here,
    }
    return TemplateResponse(request, "admin/comments/moderation/queue.html", context)


# Actions ----------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    queue = reverse(QUEUE_URL)
    if not (
        target.startswith(queue)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=False
        )
    ):
        target = queue
    return HttpResponseRedirect(target)


def describe(comment: Comment) -> str:
    return f"#{comment.pk} by {comment.author_name}"


def moved_message(comment: Comment, *, now: str) -> str:
    return (
        f"Comment {describe(comment)} was already moved by someone else (it is "
        f"now {now}); nothing was changed."
    )


def posted_ids(values: list[str]) -> list[int]:
    """The comment ids a form posted, sorted; anything else is dropped."""
    # A primary key fits a signed 64-bit integer; longer digits match nothing.
    return sorted(
        {int(i) for i in values if i.isascii() and i.isdigit() and len(i) < 19}
    )


def seen_field(comment: Comment) -> str:
    """The form field a queue or changelist row posts its shown status in."""
    return f"seen-{comment.pk}"


def version_field(comment: Comment) -> str:
    """The form field a queue or changelist row posts the comment's version in."""
    return f"version-{comment.pk}"


@dataclass(frozen=True)
class Seen:
    """A comment as the page a moderator acted from showed it."""

    status: str
    version: datetime

    def is_current(self, comment: Comment) -> bool:
        return (self.status, self.version) == (comment.status, comment.updated)


def posted_seen(
    data: QueryDict, *, status_field: str, version_field: str
) -> Seen | None:
    """
    The status and version a page posted for one comment, or None when it
    posted no valid pair (an old page, a forged one): such a decision has
    nothing to be checked against, so callers refuse it.
    """
    status = data.get(status_field, "")
    version = moderation.read_version(data.get(version_field, ""))
    if status not in Status.values or version is None:
        return None
    return Seen(status=status, version=version)


def row_seen(data: QueryDict, comment: Comment) -> Seen | None:
    """What a queue or changelist row posted for `comment`."""
    return posted_seen(
        data, status_field=seen_field(comment), version_field=version_field(comment)
    )


def _apply(name: str, comment: Comment, *, seen: Seen, request: HttpRequest) -> str:
    """Run one action on one comment; return what happened, or raise."""
    user = request.user
    if name in MOVES:
        function, done = MOVES[name]
        # Act on the comment as the moderator saw it: if it changed
        # meanwhile, the conditional UPDATE finds no row and nothing is
        # overwritten.
        comment.status = seen.status
        function(comment, actor=user, seen_version=seen.version)
        return done
    if not seen.is_current(comment):
        raise moderation.ConcurrentModification(comment)
    if name == "dismiss":
        count = moderation.dismiss_reports(
            comment=comment, actor=user, seen_version=seen.version
        )
        if not count:
            return "left as it was: it had no open reports"
        return f"cleared of {count} report{'s' if count != 1 else ''}"
    if name == "recheck":
        if comment.status not in moderation.CHECKABLE:
            raise moderation.TransitionNotAllowed(comment, Status.HELD)
        result = comment_recheck(
            comment_id=comment.pk,
            reason="moderator",
            force=True,
            seen_version=seen.version,
        )
        if result is None:
            raise moderation.ConcurrentModification(comment)
        return f"rechecked with Akismet: now {result.get_status_display().lower()}"
    raise ValueError(name)


@require_POST
def act_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    _require_moderator(request)
    do = request.POST.get("do", "")
    if do == "bulk":
        name = request.POST.get("bulk_action", "")
        ids = request.POST.getlist("selected")
    else:
        name, _, one = do.partition(":")
        ids = [one]
    ids = posted_ids(ids)
    if name not in ACTIONS:
        messages.error(request, "Choose an action.")
        return _back(request)
    if not ids:
        messages.warning(request, "Select at least one comment first.")
        return _back(request)
    done: Counter[str] = Counter()
    comments = list(Comment.objects.filter(pk__in=ids).order_by("pk"))
    if missing := sorted(set(ids) - {c.pk for c in comments}):
        messages.warning(
            request,
            "Comment "
            + ", ".join(f"#{pk}" for pk in missing)
            + f" no longer exist{'s' if len(missing) == 1 else ''}; nothing was changed.",
        )
    for comment in comments:
        current = comment.status
        seen = row_seen(request.POST, comment)
        if seen is None:
            # Nothing to check the decision against: refused, not guessed.
            messages.warning(
                request,
                f"Comment {describe(comment)} was not on the page you acted "
                "from (or the page did not say its status and version); "
                "nothing was changed. Reload the queue and try again.",
            )
            continue
        moved = not seen.is_current(comment)
        try:
            done[_apply(name, comment, seen=seen, request=request)] += 1
        except (
            moderation.ConcurrentModification,
            moderation.TransitionNotAllowed,
        ) as refusal:
            # Moved between this page's load and the action's own UPDATE too.
            if moved or isinstance(refusal, moderation.ConcurrentModification):
                messages.warning(request, moved_message(comment, now=current))
            elif name == "recheck":
                messages.warning(
                    request,
                    f"Comment {describe(comment)} is {current}: only held "
                    "and unchecked comments can be rechecked; nothing was "
                    "changed.",
                )
            else:
                messages.warning(
                    request,
                    f"Comment {describe(comment)} is {current}, so it cannot be "
                    f"{MOVES[name][1] if name in MOVES else ACTIONS[name].label.lower()}"
                    "; nothing was changed.",
                )
    for what, count in done.items():
        noun = "comment" if count == 1 else "comments"
        messages.success(request, f"{count} {noun} {what}.")
    return _back(request)


# History ----------------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: ModerationEvent
    headers: list[tuple[str, str]]
    details: list[tuple[str, str]]


def _split_details(
    details: dict,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    headers = details.get("headers") or {}
    rest = [
        (key.replace("_", " "), str(value))
        for key, value in details.items()
        if key != "headers" and value not in ("", None, {}, [])
    ]
    return sorted((str(k), str(v)) for k, v in headers.items()), rest


def history_view(request: HttpRequest, model_admin: ModelAdmin, pk: int):
    _require_moderator(request)
    comment = get_object_or_404(selectors.moderation_comment(pk=pk))
    entries = []
    for event in selectors.moderation_history(comment=comment):
        headers, details = _split_details(event.details or {})
        entries.append(HistoryEntry(event=event, headers=headers, details=details))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"History of comment #{comment.pk}",
        "comment": comment,
        "reasons": why_here(comment),
        "entries": entries,
        "akismet_headers": sorted(
            (str(k), str(v)) for k, v in (comment.akismet_headers or {}).items()
        ),
    }
    return TemplateResponse(request, "admin/comments/moderation/history.html", context)


# Reply ------------------------------------------------------------------------


def _approve_for_reply(request: HttpRequest, comment: Comment) -> bool:
    """Approve `comment` as the moderator saw it; tell them when it moved."""
    seen = posted_seen(request.POST, status_field="seen", version_field="version")
    try:
        if seen is None:
            # Nothing to check the decision against: refused.
            raise moderation.ConcurrentModification(comment)
        comment.status = seen.status
        approve = (
            moderation.mark_ham if comment.status == Status.SPAM else moderation.approve
        )
        approve(comment, actor=request.user, seen_version=seen.version)
    except (moderation.ConcurrentModification, moderation.TransitionNotAllowed):
        messages.warning(
            request,
            "This comment was already moved by someone else, or the page did not "
            "say which status and version you saw; nothing was changed and your "
            "reply was not sent. Check it below and try again.",
        )
        return False
    return True


def reply_view(request: HttpRequest, model_admin: ModelAdmin, pk: int):
    """
    A moderator answers a comment as staff, through the same pipeline as
    every comment. A held or spam comment can be approved in the same step,
    since a reply can only hang under a published comment.
    """
    _require_moderator(request)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    article = comment.article
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data["parent"] = str(comment.pk)
    form = CommentForm(
        data,
        article=article,
        user=request.user,
        initial={"parent": comment.pk},
    )
    if request.method == "POST":
        # The reply's own fields first: nothing is approved for a reply that
        # cannot be sent. (Its parent is checked once the comment is public.)
        probe = CommentForm(
            {**data.dict(), "parent": ""}, article=article, user=request.user
        )
        approving = request.POST.get("approve") and comment.status != Status.APPROVED
        if not probe.is_valid():
            form = probe
        elif approving and not _approve_for_reply(request, comment):
            # Show the comment as it is now, so a second try is an informed one.
            comment.refresh_from_db()
            form = probe
        elif form.is_valid():
            try:
                reply = comment_submit(
                    article=article,
                    form_data=form.cleaned_data,
                    meta=request_meta(request),
                    user=request.user,
                )
            except SubmitError as exc:
                form.add_error(None, str(exc))
            else:
                if reply.status == Status.APPROVED:
                    messages.success(
                        request, f"Your reply to {describe(comment)} is published."
                    )
                else:
                    messages.warning(
                        request,
                        f"Your reply to {describe(comment)} was saved but is "
                        f"{reply.get_status_display().lower()}: "
                        + "; ".join(why_here(reply)),
                    )
                return _back(request)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Reply to comment #{comment.pk}",
        "comment": comment,
        "form": form,
        "needs_approval": comment.status != Status.APPROVED,
        "version": moderation.version(comment),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return TemplateResponse(request, "admin/comments/moderation/reply.html", context)
