"""
{% comment_section article as section %}: everything the comment region shows.

The tag is the glue between the request (page number, reply target, the
reader's cookies) and comments.selectors.reader; templates only read what it returns,
so rendering does no query per comment.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.forms import BoundField, Form
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from articles.selectors import while_unchanged
from comments import cookies
from comments.forms import HONEYPOT_FIELD, CommentForm, sign_timestamp
from comments.models import Comment
from comments.selectors.reader import (
    CommentNode,
    CommentPage,
    comments_for_article,
    most_commented,
)
from newsarchive import cache, fragments, pagecache

register = template.Library()

PAGE_PARAM = "cpage"
REPLY_PARAM = "replytocom"


@dataclass
class CommentSection:
    article: Article
    page: CommentPage
    form: CommentForm | None
    replying_to: CommentNode | None = None
    # The rendered comment list when it comes from (or went to) the cache.
    list_html: SafeString | None = None
    # The form as everyone sharing the list gets it, from the cache (then
    # `form` is None).
    form_html: SafeString | None = None

    @property
    def takes_comments(self) -> bool:
        return self.form is not None or self.form_html is not None

    @property
    def page_query(self) -> str:
        """The query string that keeps the reader on this page of comments."""
        return f"?{PAGE_PARAM}={self.page.number}" if self.page.number > 1 else ""

    @property
    def cancel_reply_url(self) -> str:
        return f"{self.article.get_absolute_url()}{self.page_query}#respond"


def _int_param(request: HttpRequest | None, name: str) -> int | None:
    value = request.GET.get(name, "") if request is not None else ""
    return int(value) if value.isascii() and value.isdigit() else None


def _initial_details(request: HttpRequest | None) -> dict:
    """Name, email and website: from the saved-details cookie, else the account."""
    if request is None:
        return {}
    initial = {
        key: value
        for key, value in cookies.commenter_details(request).items()
        if key in ("author_name", "author_email", "author_url") and value
    }
    if initial:
        initial["save_details"] = True  # they ticked it last time
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        initial.setdefault("author_name", user.get_full_name() or user.get_username())
        if user.email:
            initial.setdefault("author_email", user.email)
    return initial


def _shares_the_list(request: HttpRequest | None, pending_ids: set[int]) -> bool:
    """
    Whether this reader sees the list everyone sees: no pending comment of
    their own, nothing they may edit, not signed in, not replying.
    """
    if request is None or pending_ids or REPLY_PARAM in request.GET:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not cookies.editable_comment_ids(request)


def _list_cache_key(article: Article, *, version: str, page: int, is_open: bool) -> str:
    """The list's cache key: the comments' version token, read from the
    database (replaced with every status change and edit), and everything
    else the list's HTML depends on."""
    return ":".join(
        str(part)
        for part in (
            "comments:list:v2",  # v2: with the blank form
            article.pk,
            version,
            page,
            int(is_open),
            int(settings.COMMENTS_NEWEST_FIRST),
            settings.COMMENTS_PER_PAGE,
            settings.COMMENTS_MAX_DEPTH,
        )
    )


# Where a kept form's timestamp goes: each reader gets one signed anew.
TIMESTAMP_STAND_IN = "form-timestamp-stand-in"


def _blank_form_html(section: CommentSection) -> str:
    """The form as a reader with no details of their own gets it, with the
    stand-in for its timestamp."""
    form = CommentForm(
        article=section.article, initial={"timestamp": TIMESTAMP_STAND_IN}
    )
    return render_to_string(
        "comments/includes/comment_form.html",
        {
            "form": form,
            "article": section.article,
            "replying_to": None,
            "cancel_url": section.cancel_reply_url,
            "user": AnonymousUser(),
        },
    )


@register.simple_tag(takes_context=True)
def comment_section(context: template.Context, article: Article) -> CommentSection:
    request = context.get("request")
    requested_page = _int_param(request, PAGE_PARAM) or 1
    pending_ids = cookies.pending_comment_ids(request) if request else set()
    # A cached whole page ends when comments close, and with the list's token.
    pagecache.valid_until(request, article.comments_close_at())
    cache_key = cached = None
    # Recorded whoever reads: a page of one reader is not stored, but one
    # everyone may get (a reply link's ?replytocom=) shows the list too.
    version = pagecache.token_for(request, fragments.comments_scope(article.pk))
    if _shares_the_list(request, pending_ids):
        cache_key = _list_cache_key(
            article,
            version=version,
            page=requested_page,
            is_open=article.comments_are_open(),
        )
        cached = cache.get(cache_key)
    if cached is not None:
        page = CommentPage(
            article=article,
            count=cached["count"],
            threads=[],
            number=cached["number"],
            num_pages=cached["num_pages"],
            is_open=article.comments_are_open(),
        )
    else:
        page = comments_for_article(
            article=article, page=requested_page, pending_ids=pending_ids
        )
    replying_to = None
    reply_pk = _int_param(request, REPLY_PARAM)
    if reply_pk is not None:
        # Only a comment shown on this page, and one that takes replies.
        node = page.find(reply_pk)
        replying_to = node if node is not None and node.can_reply else None

    form = None
    initial = _initial_details(request) if page.is_open else {}
    # The form everyone sharing the list gets (no details of their own) is
    # kept rendered with the list, with a stand-in for its timestamp.
    blank_form_html = (
        cached.get("form_html")
        if cached is not None and page.is_open and not initial
        else None
    )
    timestamp = ""
    if page.is_open and blank_form_html is None:
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        user = getattr(request, "user", None)
        form = CommentForm(
            article=article,
            user=user if user is not None and user.is_authenticated else None,
            initial=initial,
        )
        timestamp = form.initial.get("timestamp", "")
    elif blank_form_html is not None:
        timestamp = sign_timestamp(article_id=article.pk)
    # Each reader of a cached page gets a form timestamp of their own,
    # so the form-age checks mean the same as on a fresh page.
    pagecache.fill_on_serve(
        request, timestamp, "comments.forms.sign_timestamp", article_id=article.pk
    )
    section = CommentSection(
        article=article,
        page=page,
        form=form,
        replying_to=replying_to,
    )
    if blank_form_html is not None:
        section.form_html = mark_safe(  # noqa: S308 - rendered by _blank_form_html
            blank_form_html.replace(TIMESTAMP_STAND_IN, timestamp)
        )
    if cached is not None:
        # An empty list's "" leaves the template to say there are none.
        section.list_html = mark_safe(cached["html"])  # noqa: S308 - rendered here
    elif cache_key is not None:
        # An empty list is stored too (as no markup): its count and page
        # cost two queries, and most articles have no comments.
        html = (
            render_to_string(
                "comments/includes/comment_list.html",
                {"nodes": page.threads, "section": section, "request": request},
            )
            if page.threads or page.mentions
            else ""
        )
        cache.set(
            cache_key,
            {
                "count": page.count,
                "number": page.number,
                "num_pages": page.num_pages,
                "html": str(html),
                "form_html": _blank_form_html(section) if page.is_open else None,
            },
            fragments.FRAGMENT_SECONDS,
        )
        section.list_html = mark_safe(html)  # noqa: S308 - autoescaped template
    return section


@register.filter
def honeypot_field(form: Form) -> BoundField | None:
    """The form's honeypot, whose name lives in one constant."""
    try:
        return form[HONEYPOT_FIELD]
    except KeyError:
        return None


@register.simple_tag
def reply_parent(form: Form, article: Article) -> Comment | None:
    """On the re-shown form page: the visible comment being replied to, if any."""
    value = form["parent"].value() if "parent" in form.fields else None
    if isinstance(value, Comment):
        value = value.pk
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return (
        Comment.objects.public()
        .filter(article=article, pk=pk)
        .only("id", "author_name")
        .first()
    )


@register.simple_tag(takes_context=True)
def most_commented_this_week(context) -> str:
    """The week's most discussed articles, counting public comments only.
    The list changes with any article's comments, with the articles (titles,
    visibility), and at midnight (its week starts at a midnight): it is
    rendered once for each of those and kept."""
    html = while_unchanged(
        context.get("request"),
        f"most-commented:{timezone.localdate().isoformat()}",
        lambda: render_to_string(
            "comments/includes/most_commented.html",
            {"articles": most_commented(days=7, limit=5)},
        ),
        scopes=(fragments.COMMENTS, fragments.ARTICLES),
    )
    return mark_safe(html)  # noqa: S308 - an autoescaped template's output
