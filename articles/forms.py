"""Admin forms for articles: checks the model can't make (slug per date, markup)."""

from django import forms
from django.utils import timezone

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, START_SEL, STOP_SEL
from newsarchive.sanitize import HtmlTooComplex, check_article_markup


class ArticleAdminForm(forms.ModelForm):
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
            "featured_image_url",
            "featured_image_alt",
            "comments_open",
            "comments_close_after_days",
            "comments_premoderate",
            "import_ref",
        ]
        widgets = {
            "dek": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"}),
        }

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
