"""
The editors' admin. Writes go through articles.services: the body is
sanitised by article_set_body and the publish/unpublish actions call
article_publish/article_unpublish.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles import services
from articles.forms import ArticleAdminForm
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Quote,
    Section,
    Source,
    Tag,
)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    ordering = ["position", "id"]
    verbose_name = "byline"
    verbose_name_plural = "byline (in order)"


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["position", "text", "source", "source_url", "speaker"]
    ordering = ["position", "id"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "section", "published_at", "preview_link"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["title", "dek", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags", "section"]
    readonly_fields = ["preview_link", "created", "updated"]
    inlines = [ArticleAuthorInline, QuoteInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "section", "tags", "body"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "published_at",
                    "preview_link",
                    "created",
                    "updated",
                ]
            },
        ),
        ("Featured image", {"fields": ["featured_image_url", "featured_image_alt"]}),
        (
            "Comments",
            {
                "fields": [
                    "comments_open",
                    "comments_close_after_days",
                    "comments_premoderate",
                ]
            },
        ),
        ("Import", {"fields": ["import_ref"], "classes": ["collapse"]}),
    ]

    def view_on_site(self, obj: Article) -> str | None:
        # Only public articles have a page readers can open; the rest preview.
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save the article to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview</a>',
            obj.get_preview_url(),
        )

    def save_model(self, request, obj, form, change):
        services.article_set_body(article=obj, body=form.cleaned_data.get("body", ""))
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        done = 0
        for article in queryset:
            try:
                services.article_publish(article=article)
            except ValidationError as exc:
                self.message_user(
                    request, f"“{article}” was not published: {exc}", messages.ERROR
                )
            else:
                done += 1
        self.message_user(request, f"Published {done} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish(self, request, queryset):
        done = 0
        for article in queryset:
            services.article_unpublish(article=article)
            done += 1
        self.message_user(request, f"Unpublished {done} article(s).", messages.SUCCESS)


class _SubjectAdmin(admin.ModelAdmin):
    """A changed slug leaves a 301 from the old page and feeds."""

    def save_model(self, request, obj, form, change):
        old_slug = form.initial.get("slug", "") if change else ""
        services.subject_save(subject=obj, old_slug=old_slug)


@admin.register(Section)
class SectionAdmin(_SubjectAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(_SubjectAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(_SubjectAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.user_id != request.user.pk:
            # The mails go to the author's own address, so only the author
            # turns them on again (here, or through a link mailed to them).
            readonly.append("notify_on_comments")
        return readonly


class QuotesOfSourceInline(admin.TabularInline):
    """The source's quotes, read-only: they are edited on their article."""

    model = Quote
    fk_name = "source"
    fields = ["text", "speaker", "article_link"]
    readonly_fields = ["text", "speaker", "article_link"]
    extra = 0
    can_delete = False
    verbose_name_plural = "quotes from this source"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .order_by("-article__published_at", "position", "id")
        )

    @admin.display(description="Article")
    def article_link(self, quote: Quote) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[quote.article_id]),
            quote.article.title,
        )


class MergeSourcesForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        label="Keep",
        help_text="The others' quotes move to this source; their addresses "
        "answer with its page.",
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = sources


@admin.register(Source)
class SourceAdmin(_SubjectAdmin):
    list_display = ["name", "slug", "url", "quote_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [QuotesOfSourceInline]
    actions = ["merge_sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_quotes=Count("quotes"))

    @admin.display(description="Quotes", ordering="n_quotes")
    def quote_count(self, source: Source) -> int:
        return source.n_quotes

    @admin.action(description="Merge selected sources…", permissions=["delete"])
    def merge_sources(self, request, queryset):
        sources = Source.objects.filter(pk__in=queryset.values("pk")).order_by("name")
        if sources.count() < 2:
            self.message_user(
                request, "Select two or more sources to merge.", messages.WARNING
            )
            return None
        form = MergeSourcesForm(
            request.POST if "apply" in request.POST else None, sources=sources
        )
        if form.is_valid():
            into = form.cleaned_data["into"]
            moved = 0
            for source in sources.exclude(pk=into.pk):
                moved += services.source_merge(source=source, into=into)
            self.message_user(
                request,
                f"Merged into “{into}”: {moved} quote(s) moved; the old "
                "addresses now lead to its page.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/source/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge sources",
                "opts": self.model._meta,
                "form": form,
                "sources": sources,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
