"""
The admin's personal-data tools: export an email address's data as a JSON
download, and erase it after a confirmation step. Reached from the comment
changelist's actions and from the Personal data page
(CommentAdmin.get_urls, inside admin.site.admin_view), and only for users
with the personal-data permission (superusers have every permission).
"""

import json
import logging

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from comments.models import PERSONAL_DATA_PERMISSION
from comments.selectors.personal_data import (
    normalise_email,
    personal_data,
    stored_counts,
)
from comments.services.personal_data import erase_personal_data

logger = logging.getLogger(__name__)

PAGE_URL = "admin:comments_comment_personal_data"


class PersonalDataForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address the reader commented with. Check that the "
        "request comes from it (reply to it) before you export or erase.",
    )


def may_handle(request: HttpRequest) -> bool:
    return request.user.has_perm(PERSONAL_DATA_PERMISSION)


def _require(request: HttpRequest) -> None:
    if not may_handle(request):
        raise PermissionDenied


def export_response(request: HttpRequest, email: str) -> HttpResponse:
    """The export as a file to save, never kept by a browser or proxy."""
    data = personal_data(email=email)
    # Who took a copy of someone's data, for the record; not whose.
    logger.info(
        "%s exported the personal data of one address (%d comments)",
        request.user.get_username(),
        len(data["comments"]),
    )
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    # Only [a-z0-9-] reach the header, whatever the address holds.
    name = slugify(data["email"].replace("@", " at "))[:80] or "export"
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{name}.json"'
    )
    add_never_cache_headers(response)
    return response


def confirm_erasure(
    request: HttpRequest, model_admin: ModelAdmin, emails: list[str]
) -> TemplateResponse:
    """The page that says what erasing `emails` changes and asks to go on."""
    _require(request)
    rows = [{"email": email, **stored_counts(email=email)} for email in emails]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Erase personal data?",
        "rows": rows,
    }
    response = TemplateResponse(
        request, "admin/comments/personal_data_confirm.html", context
    )
    add_never_cache_headers(response)
    return response


def _erase(request: HttpRequest, emails: list[str]) -> HttpResponseRedirect:
    for posted in dict.fromkeys(emails):
        try:
            email = normalise_email(posted)
        except ValidationError:
            messages.error(request, "That is not an email address; nothing was erased.")
            continue
        report = erase_personal_data(email=email, actor=request.user)
        # The address itself stays out of the message, which the messages
        # cookie would otherwise carry on.
        messages.success(
            request,
            f"Personal data erased. Anonymised {report.comments} "
            f"comment(s), cleared {report.reports} report(s), deleted "
            f"{report.subscriptions} reply-notification record(s).",
        )
    return HttpResponseRedirect(reverse(PAGE_URL))


@never_cache
def personal_data_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Type an address, then export it or (after confirming) erase it."""
    _require(request)
    if request.method == "POST" and request.POST.get("do") == "confirm":
        return _erase(request, request.POST.getlist("emails"))
    form = PersonalDataForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = form.cleaned_data["email"]
        if request.POST.get("do") == "erase":
            return confirm_erasure(request, model_admin, [email.lower()])
        return export_response(request, email)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Personal data",
        "form": form,
    }
    return TemplateResponse(request, "admin/comments/personal_data.html", context)
