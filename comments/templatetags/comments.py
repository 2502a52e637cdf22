"""
{% comment_section article as section %}: everything the comment region shows.

The tag is the glue between the request (page number, reply target, the
reader's cookies) and comments.selectors; templates only read what it returns,
so rendering does no query per comment.
"""

from dataclasses import dataclass

from django import template
from django.forms import BoundField, Form
from django.http import HttpRequest

from articles.models import Article
from comments import cookies
from comments.forms import HONEYPOT_FIELD, CommentForm
from comments.models import Comment
from comments.selectors import CommentNode, CommentPage, comments_for_article

register = template.Library()

PAGE_PARAM = "cpage"
REPLY_PARAM = "replytocom"


@dataclass
class CommentSection:
    article: Article
    page: CommentPage
    form: CommentForm | None
    replying_to: CommentNode | None = None

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


@register.simple_tag(takes_context=True)
def comment_section(context: template.Context, article: Article) -> CommentSection:
    request = context.get("request")
    page = comments_for_article(
        article=article,
        page=_int_param(request, PAGE_PARAM) or 1,
        pending_ids=cookies.pending_comment_ids(request) if request else (),
    )
    replying_to = None
    reply_pk = _int_param(request, REPLY_PARAM)
    if reply_pk is not None:
        # Only a comment shown on this page, and one that takes replies.
        node = page.find(reply_pk)
        replying_to = node if node is not None and node.can_reply else None

    form = None
    if page.is_open:
        initial = _initial_details(request)
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        user = getattr(request, "user", None)
        form = CommentForm(
            article=article,
            user=user if user is not None and user.is_authenticated else None,
            initial=initial,
        )
    return CommentSection(
        article=article,
        page=page,
        form=form,
        replying_to=replying_to,
    )


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
        Comment.objects.visible()
        .filter(article=article, pk=pk)
        .only("id", "author_name")
        .first()
    )
