"""
The editors' admin. Writes go through articles.services: the body is
sanitised by article_set_body and the publish/unpublish actions call
article_publish/article_unpublish.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.utils.html import format_html

from articles import search, services
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
    # The box searches through articles.search (see get_search_results);
    # search_fields only has to be non-empty for the admin to show it.
    search_fields = ["title"]
    search_help_text = (
        'As on the site: words, "phrases", -words to leave out, or between '
        "alternatives; titles, standfirsts, bodies and the names of tags, "
        "authors and sources, drafts included. Best match first."
    )
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

    def get_queryset(self, request):
        # Every row has a rank (0 unless a search sets it), so the relevance
        # ordering below is valid before and after get_search_results.
        queryset = Article.objects.annotate(search_rank=Value(0.0))
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search.match_articles(queryset, search_term), False

    def get_ordering(self, request):
        # Relevance first when searching, unless the editor sorts by a column.
        if request.GET.get(SEARCH_VAR, "").strip():
            return ["-search_rank", "-published_at"]
        return super().get_ordering(request)

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


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
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


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
