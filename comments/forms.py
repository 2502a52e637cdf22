"""
The comment form: validation only, no side effects.

Besides the reader's fields it carries a honeypot (HONEYPOT_FIELD, rendered
visually hidden) and a signed timestamp tied to the article; the pipeline in
comments.services.submit decides what a filled honeypot or a too-fast / too-old form means.
"""

import html
import re
import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article
from comments.models import Comment, CommentReport
from newsarchive.sanitize import HtmlTooComplex, check_comment_markup

# A name browser autofill does not recognise: it may fill a field called
# "phone" or "website" even when hidden, and file a reader as spam.
HONEYPOT_FIELD = "leave_blank"
TIMESTAMP_SALT = "comments.form-timestamp"

NAME_MAX = 245
EMAIL_MAX = 100
URL_MAX = 200
BODY_MAX = 65_525

# C0 and C1 control characters except tab, newline and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029\x85]")
# Lone surrogates cannot be stored as UTF-8; U+FFFD is what Django's request
# parsing leaves of bytes that were not valid UTF-8 (e.g. an encoded surrogate).
_UNREADABLE = re.compile("[\ud800-\udfff\ufffd]")


# Characters that reorder or hide text: a name made of them, or holding an
# override that flips what follows, reads as something it is not.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# Letters that draw nothing: the Hangul fillers and the blank Braille cell.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(value: str) -> bool:
    """Whether `value` draws something: not only spaces, marks or fillers."""
    return any(
        unicodedata.category(c)[0] not in "CZM" and c not in _BLANK_LETTERS
        for c in value
    )


class HttpURLField(forms.URLField):
    """A web address: http or https only, with one error when it is not."""

    default_validators = [URLValidator(schemes=["http", "https"])]


def sign_timestamp(*, article_id: int, at: float | None = None) -> str:
    return signing.dumps(
        {"a": article_id, "t": round(at if at is not None else time.time(), 3)},
        salt=TIMESTAMP_SALT,
    )


def _check_text(value: str, *, multiline: bool) -> None:
    if _UNREADABLE.search(value):
        raise forms.ValidationError(
            "This contains characters that could not be read; please retype it.",
            code="unreadable",
        )
    if _CONTROL.search(value) or (not multiline and _LINE_BREAKS.search(value)):
        raise forms.ValidationError(
            "This contains control characters that are not allowed.",
            code="control",
        )


def _check_markup(body: str) -> None:
    # The sanitiser's cap, checked here so the reader sees it on the field.
    try:
        check_comment_markup(body)
    except HtmlTooComplex as exc:
        raise forms.ValidationError(str(exc), code="too_complex") from None


class CommentForm(forms.Form):
    author_name = forms.CharField(label="Name", max_length=NAME_MAX)
    author_email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX,
        help_text="Your email address will not be published.",
    )
    author_url = HttpURLField(
        label="Website", max_length=URL_MAX, required=False, assume_scheme="https"
    )
    body = forms.CharField(label="Comment", max_length=BODY_MAX, widget=forms.Textarea)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    save_details = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time "
        "I comment.",
        required=False,
    )
    notify_replies = forms.BooleanField(
        label="Email me when someone replies (we will ask you to confirm first).",
        required=False,
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        article: Article,
        user=None,
        initial: dict | None = None,
    ) -> None:
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        initial = dict(initial or {})
        initial.setdefault("timestamp", sign_timestamp(article_id=article.pk))
        super().__init__(data=data, initial=initial)
        # The honeypot's name is a module constant shared with the templates.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label="Leave this field empty", required=False
        )
        if self.user is not None:
            # Signed-in users comment as themselves: disabled fields ignore
            # whatever is posted and use these values.
            name = self.user.get_full_name() or self.user.get_username()
            self.fields["author_name"].initial = name
            self.fields["author_name"].disabled = True
            if self.user.email:
                self.fields["author_email"].initial = self.user.email
                self.fields["author_email"].disabled = True

    def clean_author_name(self) -> str:
        value = self.cleaned_data["author_name"]
        _check_text(value, multiline=False)
        if _BIDI_CONTROLS.search(value):
            raise forms.ValidationError(
                "Names cannot contain characters that reverse the text.",
                code="bidi",
            )
        if not _visible(value):
            raise forms.ValidationError("Please enter your name.", code="invisible")
        return value

    def clean_author_email(self) -> str:
        value = self.cleaned_data["author_email"]
        _check_text(value, multiline=False)
        return value

    def clean_author_url(self) -> str:
        value = self.cleaned_data["author_url"]
        _check_text(value, multiline=False)
        return value

    def clean_body(self) -> str:
        value = self.cleaned_data["body"]
        _check_text(value, multiline=True)
        _check_markup(value)
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        # Hidden fields' errors go to the form as a whole: readers cannot see
        # or fix the fields themselves.
        cleaned["parent"] = self._clean_parent(self.data.get("parent", ""))
        cleaned["timestamp"] = self._clean_timestamp(cleaned.get("timestamp") or "")
        honeypot = self.data.get(HONEYPOT_FIELD, "")
        cleaned[HONEYPOT_FIELD] = honeypot if isinstance(honeypot, str) else ""
        return cleaned

    def _clean_parent(self, raw: str) -> Comment | None:
        raw = (raw or "").strip()
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            self.add_error(None, "The comment you are replying to was not found.")
            return None
        parent = (
            Comment.objects.public()
            .filter(article=self.article, pk=int(raw))
            .only("pk", "depth", "root_id", "article_id")
            .first()
        )
        if parent is None:
            self.add_error(
                None, "The comment you are replying to was not found on this article."
            )
            return None
        if parent.depth + 1 >= settings.COMMENTS_MAX_DEPTH:
            self.add_error(
                None, "This conversation is nested too deeply for another reply."
            )
            return None
        return parent

    def _clean_timestamp(self, raw: str) -> float | None:
        try:
            value = signing.loads(raw, salt=TIMESTAMP_SALT)
            if value["a"] != self.article.pk:
                raise ValueError("form of another article")
            return float(value["t"])
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            self.add_error(
                None,
                "This form could not be checked; please reload the page and "
                "send your comment again.",
            )
            return None


class CommentEditForm(forms.Form):
    """The author's edit of their own comment: the body only."""

    body = forms.CharField(label="Comment", max_length=BODY_MAX, widget=forms.Textarea)

    def clean_body(self) -> str:
        value = self.cleaned_data["body"]
        _check_text(value, multiline=True)
        _check_markup(value)
        return value


class ReportForm(forms.Form):
    """A reader's report of a published comment."""

    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Anything the moderators should know? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> str:
        value = self.cleaned_data["text"]
        _check_text(value, multiline=True)
        return value


# The moderation queue's filters ------------------------------------------------

TAB_LABELS = {
    "held": "Held",
    "reported": "Reported",
    "spam": "Spam",
    "approved": "Approved",
    "removed": "Removed",
}


class OnePassSelect(forms.Select):
    """
    A flat <select> rendered in one pass. Django renders each option through
    its own template, about 1 ms per 20 options: the queue's article menu
    has hundreds. Labels and values are escaped as Django's are.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        # html.escape is what django.utils.html.escape calls, without a
        # SafeString made for each value: a tenth of the time for 300 options.
        options = []
        for key, label in self.choices:
            key = str(key)
            mark = " selected" if key in selected else ""
            options.append(
                f'<option value="{html.escape(key)}"{mark}>'
                f"{html.escape(str(label))}</option>"
            )
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            mark_safe("".join(options)),  # noqa: S308 – each part escaped above
        )


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=list(TAB_LABELS.items()), required=False)
    article = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, widget=OnePassSelect
    )
    section = forms.ChoiceField(required=False, widget=OnePassSelect)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label="Search", required=False, max_length=200)

    def __init__(self, data, *, articles, sections) -> None:
        super().__init__(data)
        self.fields["article"].choices = [("", "All articles"), *articles]
        self.fields["section"].choices = [("", "All sections"), *sections]

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "tab": data.get("tab") or "held",
            "article_id": data.get("article"),
            "section_slug": data.get("section") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "search": data.get("q") or "",
        }
