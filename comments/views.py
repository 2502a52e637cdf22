"""
Comment endpoints, thin views over services, reports and notifications:
posting, the author's edit, reader reports, and the signed links in mails
(moderators' one-click actions, reply-notification confirm / unsubscribe,
authors' opt-out). Signed links never act on GET: the page asks to confirm.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.decorators import decorator_from_middleware
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from comments import cookies, moderation, notifications, tokens
from comments.forms import CommentEditForm, CommentForm, ReportForm, sign_timestamp
from comments.models import MODERATE_PERMISSION, Comment, Status
from comments.selectors.reader import comment_page_url
from comments.services import editing, reporting, submit
from comments.visitors import client_ip, request_meta

AWAITING = "Your comment is awaiting moderation."
PUBLISHED = "Thanks — your comment is published."
POSTED_TAG = "comment-posted"


def _form_page(
    request: HttpRequest,
    *,
    article: Article,
    form: CommentForm,
    message: str,
    status: int,
) -> HttpResponse:
    context = {"article": article, "form": form, "message": message}
    try:
        template = select_template(["comments/form_page.html"])
    except TemplateDoesNotExist:
        # A bare page if the template is missing, rather than a server error.
        errors = format_html_join(
            "", "<li>{}</li>", ((e,) for errs in form.errors.values() for e in errs)
        )
        return HttpResponse(
            format_html("<p>{}</p><ul>{}</ul>", message, errors), status=status
        )
    return HttpResponse(template.render(context, request), status=status)


class _CommentCsrfMiddleware(CsrfViewMiddleware):
    """
    The comment form sits on pages served whole from the cache, the same
    bytes to every anonymous reader, so it carries no CSRF token for them.
    An anonymous post is checked by origin instead: Django has already
    refused an Origin header naming another site (and, over HTTPS, a
    foreign Referer); with no Origin over plain HTTP the token is still
    required. Signed-in readers, whose pages are never cached, keep the token.
    """

    def _check_token(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if not signed_in and ("HTTP_ORIGIN" in request.META or request.is_secure()):
            return
        super()._check_token(request)


comment_csrf = decorator_from_middleware(_CommentCsrfMiddleware)


@csrf_exempt
@comment_csrf
@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    user = request.user if request.user.is_authenticated else None
    form = CommentForm(data=request.POST, article=article, user=user)
    if not article.comments_are_open():
        return _form_page(
            request,
            article=article,
            form=form,
            message=submit.CommentsClosed.message,
            status=403,
        )
    if not form.is_valid():
        return _form_page(
            request,
            article=article,
            form=form,
            message="Your comment was not sent: please correct the errors below.",
            status=400,
        )
    try:
        comment = submit.comment_submit(
            article=article,
            form_data=form.cleaned_data,
            meta=request_meta(request),
            user=user,
        )
    except submit.StaleForm as exc:
        # Re-show with a fresh timestamp so the reader can simply send again.
        data = request.POST.copy()
        data["timestamp"] = sign_timestamp(article_id=article.pk)
        fresh = CommentForm(data=data, article=article, user=user)
        return _form_page(
            request, article=article, form=fresh, message=str(exc), status=400
        )
    except submit.CommentsClosed as exc:
        return _form_page(
            request, article=article, form=form, message=str(exc), status=403
        )
    except submit.DuplicateComment as exc:
        return _form_page(
            request, article=article, form=form, message=str(exc), status=409
        )
    except submit.FloodControlled as exc:
        response = _form_page(
            request, article=article, form=form, message=str(exc), status=429
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    if comment.status == Status.APPROVED:
        # The tag tells the form's script the comment arrived: its draft goes.
        messages.success(request, PUBLISHED, extra_tags=POSTED_TAG)
        response = redirect(comment_page_url(comment))
        # A signed cookie lets its author edit it for ten minutes.
        cookies.remember_editable(response, comment, request=request)
    else:
        # Held or spam, its poster is told the same, lands on the same page
        # and sees their comment awaiting moderation (nobody else sees it):
        # a bot must not learn what caught it.
        messages.info(request, AWAITING, extra_tags=POSTED_TAG)
        response = redirect(comment_page_url(comment))
        cookies.remember_pending(response, comment, request=request)
    if form.cleaned_data.get("save_details"):
        cookies.remember_commenter(
            response,
            name=comment.author_name,
            email=comment.author_email,
            url=comment.author_url,
        )
    else:
        cookies.forget_commenter(response)
    return response


@require_GET
def comment_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.public()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    return redirect(comment_page_url(comment))


# Reader reports ------------------------------------------------------------------

REPORTED = "Thank you. The moderators will take a look at this comment."
ALREADY_REPORTED = "You have already reported this comment; thank you."


def _visible_comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.public()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(pk)
    form = ReportForm(data=request.POST if request.method == "POST" else None)
    context = {"comment": comment, "article": comment.article, "form": form}
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "comments/report.html", context, status=status)
    try:
        result = reporting.report_comment(
            comment=comment,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            ip=client_ip(request),
            user=request.user,
        )
    except reporting.ReportRateLimited as exc:
        response = render(
            request,
            "comments/report.html",
            {**context, "message": str(exc)},
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    except reporting.NotReportable as exc:
        return render(
            request,
            "comments/report.html",
            {**context, "message": str(exc)},
            status=409,
        )
    messages.success(request, REPORTED if result.created else ALREADY_REPORTED)
    if result.held:
        return redirect(f"{comment.article.get_absolute_url()}#comments")
    return redirect(comment_page_url(comment))


# The author's edit ---------------------------------------------------------------

EDITED = "Your comment was updated."
EDIT_CLOSED = (
    "This comment can no longer be edited: comments can be edited for ten "
    "minutes after posting, from the browser they were posted from."
)


@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.filter(article__in=Article.objects.published()).select_related(
            "article", "user"
        ),
        pk=pk,
    )
    context = {
        "comment": comment,
        "article": comment.article,
        "edits_allowed": editing.EDITS_PER_COMMENT,
    }
    if pk not in cookies.editable_comment_ids(request) or not editing.can_edit(comment):
        return render(
            request,
            "comments/edit.html",
            {**context, "message": EDIT_CLOSED},
            status=403,
        )
    if request.method == "GET":
        form = CommentEditForm(initial={"body": comment.body})
        return render(request, "comments/edit.html", {**context, "form": form})
    form = CommentEditForm(data=request.POST)
    if not form.is_valid():
        return render(
            request, "comments/edit.html", {**context, "form": form}, status=400
        )
    try:
        comment = editing.comment_edit(
            comment=comment, body=form.cleaned_data["body"], ip=client_ip(request)
        )
    except editing.EditNotAllowed:
        return render(
            request,
            "comments/edit.html",
            {**context, "message": EDIT_CLOSED},
            status=403,
        )
    except editing.EditThrottled as exc:
        # The form keeps their words, so that nothing typed is lost.
        response = render(
            request,
            "comments/edit.html",
            {**context, "form": form, "message": str(exc)},
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    if comment.status == Status.APPROVED:
        messages.success(request, EDITED)
        return redirect(comment_page_url(comment))
    # Held or spam, as after posting: the same message and page, and its
    # author goes on seeing it awaiting moderation.
    messages.info(request, f"{EDITED} {AWAITING}")
    response = redirect(comment_page_url(comment))
    cookies.remember_pending(response, comment, request=request)
    return response


# Moderators' signed one-click links ------------------------------------------------

_LINK_ACTIONS = {
    "approve": moderation.approve,
    "spam": moderation.mark_spam,
    "remove": moderation.remove,
}


def _bad_link(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "comments/moderate_link.html", {"error": message}, status=status
    )


_CHANGED = (
    "This link has been used, or the comment has changed since the mail was "
    "sent (it is now {status}); nothing was done."
)


# The signed-link pages (moderators' mail links, reply notifications, the
# authors' opt-out) show a comment or an email address, or act for one: every
# answer, errors included, is no-store, and the link in the URL must not be
# served again from a cache. The CSRF check, where there is one, runs inside
# never_cache (csrf_exempt only keeps the middleware from running it first),
# so that even its refusal goes out no-store.
def signed_link_view(*, methods: tuple[str, ...] = ("GET", "POST"), csrf: bool = True):
    def decorate(view):
        if csrf:
            view = csrf_protect(view)
        return never_cache(csrf_exempt(require_http_methods(list(methods))(view)))

    return decorate


@signed_link_view()
def moderate_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the comment and a confirm button; POST does the action."""
    try:
        link = tokens.read_moderate_token(token)
    except (signing.BadSignature, ValueError):
        return _bad_link(
            request, "This link is invalid or has expired (links last 7 days).", 400
        )
    user = get_user_model().objects.filter(pk=link.user_id, is_active=True).first()
    if user is None or not user.has_perm(MODERATE_PERMISSION):
        return _bad_link(request, "You are not allowed to moderate comments.", 403)
    comment = (
        Comment.objects.select_related("article").filter(pk=link.comment_id).first()
    )
    if comment is None:
        return _bad_link(request, "This comment no longer exists.", 404)
    context = {
        "comment": comment,
        "article": comment.article,
        "action": link.action,
        "action_label": tokens.MODERATE_ACTIONS[link.action],
        "moderator": user,
    }

    def changed() -> HttpResponse:
        status = comment.get_status_display().lower()
        context["error"] = _CHANGED.format(status=status)
        return render(request, "comments/moderate_link.html", context, status=409)

    if tokens.latest_event_id(comment.pk) != link.event_id:
        return changed()
    if request.method == "GET":
        return render(request, "comments/moderate_link.html", context)
    with transaction.atomic():
        # The row lock keeps any other change (each writes the comment row)
        # from slipping in between this check and the action.
        comment = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if comment is None:
            return _bad_link(request, "This comment no longer exists.", 404)
        context["comment"] = comment
        if tokens.latest_event_id(comment.pk) != link.event_id:
            return changed()
        try:
            _LINK_ACTIONS[link.action](
                comment, actor=user, reason=f"{context['action_label']} (from the mail)"
            )
        except moderation.ModerationError as exc:
            context["error"] = str(exc)
            return render(request, "comments/moderate_link.html", context, status=409)
    context["done"] = True
    return render(request, "comments/moderate_link.html", context)


# Reply notifications: double opt-in and unsubscribe -------------------------------


def _signed_link_page(
    request: HttpRequest,
    *,
    template: str,
    read_token: Callable[[], Any],
    perform: Callable[[Any], object],
    context: Callable[[Any], dict] = lambda value: {},
) -> HttpResponse:
    """GET shows what a signed link will do; POST does it; a bad signature is 400."""
    template = f"comments/{template}"
    try:
        value = read_token()
    except signing.BadSignature:
        return render(request, template, {"invalid": True}, status=400)
    page = context(value)
    if request.method == "POST":
        perform(value)
        page["done"] = True
    return render(request, template, page)


@signed_link_view()
def replies_confirm(request: HttpRequest, token: str) -> HttpResponse:
    def page(link: tokens.ConfirmLink) -> dict:
        optout_at = notifications.reply_optout(email=link.email)
        return {
            "email": link.email,
            "lifting": link.optout_at is not None,
            # The address opted out after this link was mailed: it cannot
            # undo that, but its owner can ask for a link that does.
            "stale": optout_at is not None and optout_at != link.optout_at,
            "lift_url": tokens.reply_optout_lift_path(link.email),
        }

    return _signed_link_page(
        request,
        template="subscription_confirm.html",
        read_token=lambda: tokens.read_confirm_token(token),
        perform=lambda link: notifications.confirm_reply_notifications(
            email=link.email, optout_at=link.optout_at
        ),
        context=page,
    )


def _unsubscribe_page(email: str) -> dict:
    return {
        "email": email,
        "opted_out": notifications.reply_optout(email=email) is not None,
        "lift_url": tokens.reply_optout_lift_path(email),
    }


# Mail clients send RFC 8058 one-click POSTs without a CSRF token; the signed
# token in the URL is what authorises the request.
@signed_link_view(csrf=False)
def replies_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _signed_link_page(
        request,
        template="subscription_unsubscribe.html",
        read_token=lambda: tokens.read_email_token(token, salt=tokens.UNSUBSCRIBE_SALT),
        perform=lambda email: notifications.unsubscribe_reply_notifications(
            email=email
        ),
        context=_unsubscribe_page,
    )


@signed_link_view(methods=("POST",))
def replies_optout_lift(request: HttpRequest, token: str) -> HttpResponse:
    """
    From a page only the address's own mail leads to: mail the address a link
    that lifts "never email this address" (the link, not this, lifts it).
    """
    return _signed_link_page(
        request,
        template="subscription_unsubscribe.html",
        read_token=lambda: tokens.read_email_token(token, salt=tokens.UNSUBSCRIBE_SALT),
        perform=lambda email: notifications.request_reply_optout_lift(email=email),
        context=lambda email: {
            "email": email,
            "lift_requested": True,
            "days": tokens.CONFIRM_MAX_AGE // 86400,
        },
    )


@signed_link_view(csrf=False)
def author_optout(request: HttpRequest, token: str) -> HttpResponse:
    return _signed_link_page(
        request,
        template="subscription_author_optout.html",
        read_token=lambda: tokens.read_author_optout_token(token),
        perform=lambda author_id: notifications.author_opt_out(author_id=author_id),
        context=lambda author_id: {
            "opted_out": notifications.author_opted_out(author_id=author_id),
            "lift_url": tokens.author_optout_lift_path(author_id),
        },
    )


@signed_link_view(methods=("POST",))
def author_optout_lift(request: HttpRequest, token: str) -> HttpResponse:
    """From the opt-out page: mail the author a link that turns the mails back on."""
    return _signed_link_page(
        request,
        template="subscription_author_optout.html",
        read_token=lambda: tokens.read_author_optout_token(token),
        perform=lambda author_id: notifications.request_author_optout_lift(
            author_id=author_id
        ),
        context=lambda author_id: {
            "lift_requested": True,
            "days": tokens.CONFIRM_MAX_AGE // 86400,
        },
    )


@signed_link_view()
def author_optin(request: HttpRequest, token: str) -> HttpResponse:
    return _signed_link_page(
        request,
        template="subscription_author_optin.html",
        read_token=lambda: tokens.read_author_optin_token(token),
        perform=lambda author_id: notifications.author_opt_in(author_id=author_id),
    )
