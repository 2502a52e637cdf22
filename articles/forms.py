"""Admin forms for articles: checks the model can't make (slug per date, markup)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import images, services
from articles.models import Article, Image
from articles.search import MAX_QUERY_LENGTH, START_SEL, STOP_SEL
from newsarchive.sanitize import HtmlTooComplex, check_article_markup

# What the body's toolbar offers. Everything it can produce is inside the
# sanitiser's article allowlist (tests/articles/test_editor_html.py), which
# still cleans whatever is posted, toolbar or not.
BODY_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        # Ours: a source line ("said TASS") and cite address for a quote.
        "QuoteSource": True,
        "HardBreak": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        # "Browse…" in the figure dialog picks one of our uploaded pictures;
        # the article page then draws it with its renditions (articles.body).
        "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
        "Caption": True,
        "Image": True,
        "HTML": True,
        "SpecialCharacters": True,
    }
}


class ArticleAdminForm(forms.ModelForm):
    # The version the editor opened; a save against an older one is refused.
    edit_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )
    new_image = forms.FileField(
        label="Upload a featured picture",
        required=False,
        help_text="JPEG, PNG, WebP or GIF. Replaces the picture chosen above.",
    )
    new_image_alt = forms.CharField(
        label="Alt text",
        required=False,
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. "
        "Required with an upload.",
    )
    new_image_caption = forms.CharField(label="Caption", required=False, max_length=500)
    new_image_credit = forms.CharField(label="Credit", required=False, max_length=200)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "dek",
            "section",
            "tags",
            "body",
            "status",
            "published_at",
            "featured_image",
            "featured_image_url",
            "featured_image_alt",
            "comments_open",
            "comments_close_after_days",
            "comments_premoderate",
            "import_ref",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField headline-field"}),
            "dek": forms.Textarea(attrs={"rows": 3}),
            "body": AdminProseEditorWidget(
                config=BODY_EDITOR_CONFIG, preset="configurable"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored row's version, not the instance's: a revision being
            # restored carries the version it had back then.
            self.fields["edit_version"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean_new_image(self):
        upload = self.cleaned_data.get("new_image")
        if upload:
            images.check_image_file(upload)
        return upload

    def clean_body(self) -> str:
        # The sanitiser refuses past its cap when the admin saves; say so here.
        body = self.cleaned_data["body"]
        try:
            check_article_markup(body)
        except HtmlTooComplex as exc:
            raise forms.ValidationError(str(exc), code="too_complex") from None
        return body

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_image") and not cleaned.get("new_image_alt", "").strip():
            self.add_error(
                "new_image_alt",
                "Describe the picture for readers who cannot see it.",
            )
        if (
            cleaned.get("featured_image_url")
            and not cleaned.get("featured_image_alt", "").strip()
        ):
            self.add_error(
                "featured_image_alt",
                "Describe the picture for readers who cannot see it.",
            )
        if self.instance.pk is not None and not self.errors:
            self._claim_version(cleaned.get("edit_version"))
        slug = cleaned.get("slug")
        published_at = cleaned.get("published_at")
        # pub_date is derived in Article.save() and is not a form field, so
        # model validation skips the (pub_date, slug) constraint; check it
        # here to give a form error instead of an IntegrityError.
        pub_date = timezone.localdate(published_at) if published_at else None
        self.instance.pub_date = pub_date
        if slug and pub_date:
            clash = Article.objects.filter(pub_date=pub_date, slug=slug).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "slug",
                    "Another article already uses this slug on "
                    f"{pub_date:%B %-d, %Y}. Choose a different slug.",
                )
        return cleaned

    def _claim_version(self, seen: int | None) -> None:
        # Runs inside the admin's transaction: the row stays locked until
        # this save commits, so two saves cannot both pass.
        try:
            services.article_claim_version(
                article=self.instance, seen_version=seen if seen is not None else -1
            )
        except services.StaleEdit as stale:
            when = date_format(
                timezone.localtime(stale.current.updated), "DATETIME_FORMAT"
            )
            who = stale.by or "Someone else"
            raise ValidationError(
                "%(who)s saved this article (at %(when)s) after you opened "
                "it, so your changes were not saved. Your text is still in the "
                "form below: copy what you need, open the article again in a new "
                "tab to see their version, and make your changes there.",
                code="stale",
                params={"who": who, "when": when},
            ) from None


class ImageAdminForm(forms.ModelForm):
    # A plain file field: our own check gives the reason a file is refused.
    file = forms.FileField(
        label="Picture", help_text="JPEG, PNG, WebP or GIF.", required=True
    )

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            images.check_image_file(upload)
        return upload


class SearchForm(forms.Form):
    """The reader search: words, optionally narrowed by section, tag, author
    and year. Filters come as slugs so that links and the query string carry
    them; an unknown slug simply finds nothing."""

    q = forms.CharField(
        label="Search the archive",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "Searches can be up to %(limit_value)d characters long; "
            "this one has %(show_value)d. Shorten it and try again."
        },
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    section = forms.SlugField(required=False)
    tag = forms.SlugField(required=False)
    author = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1, max_value=9999)

    def __init__(self, data=None, **kwargs):
        if data is not None and "q" in data:
            # The highlight sentinels mean something to the snippet code only:
            # dropped before the query is searched or shown back.
            data = data.copy()
            data["q"] = data["q"].replace(START_SEL, " ").replace(STOP_SEL, " ")
        super().__init__(data, **kwargs)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())
