"""Comment endpoints: thin views over services.comment_submit()."""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from comments import cookies, services
from comments.forms import CommentForm, sign_timestamp
from comments.models import Comment, Status
from comments.selectors import comment_page_url

AWAITING = "Your comment is awaiting moderation."
PUBLISHED = "Thanks — your comment is published."


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """
    The reader's address: REMOTE_ADDR, or, behind COMMENTS_TRUSTED_PROXIES
    proxies that each append to X-Forwarded-For, the address the outermost
    trusted proxy saw. Entries further left are client-supplied and ignored.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.COMMENTS_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        part
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-min(proxies, len(forwarded))]) or remote


def request_meta(request: HttpRequest) -> services.RequestMeta:
    return services.RequestMeta(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        referrer=request.META.get("HTTP_REFERER", ""),
    )


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
            message=services.CommentsClosed.message,
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
        comment = services.comment_submit(
            article=article,
            form_data=form.cleaned_data,
            meta=request_meta(request),
            user=user,
        )
    except services.StaleForm as exc:
        # Re-show with a fresh timestamp so the reader can simply send again.
        data = request.POST.copy()
        data["timestamp"] = sign_timestamp(article_id=article.pk)
        fresh = CommentForm(data=data, article=article, user=user)
        return _form_page(
            request, article=article, form=fresh, message=str(exc), status=400
        )
    except services.CommentsClosed as exc:
        return _form_page(
            request, article=article, form=form, message=str(exc), status=403
        )
    except services.DuplicateComment as exc:
        return _form_page(
            request, article=article, form=form, message=str(exc), status=409
        )
    except services.FloodControlled as exc:
        response = _form_page(
            request, article=article, form=form, message=str(exc), status=429
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    if comment.status == Status.APPROVED:
        messages.success(request, PUBLISHED)
        response = redirect(comment_page_url(comment))
    else:
        # Spam reads exactly like held, and is never shown, not even to its author.
        messages.info(request, AWAITING)
        if comment.status in (Status.HELD, Status.UNCHECKED):
            # The page where its author will find it (held threads sort last).
            response = redirect(comment_page_url(comment))
            cookies.remember_pending(response, comment, request=request)
        else:
            response = redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")
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
        Comment.objects.visible()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    return redirect(comment_page_url(comment))
