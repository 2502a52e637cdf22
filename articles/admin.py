"""
The editors' admin. Writes go through articles.services: the body is
sanitised by article_set_body and the publish/unpublish actions call
article_publish/article_unpublish.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from articles import revisions, search, selectors, services
from articles.forms import ArticleAdminForm, ImageAdminForm
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Image,
    Quote,
    Section,
    Source,
    Tag,
)


def _lines(text: str | None) -> str:
    """One quote or correction a line in a History cell; "—" for none."""
    if not text:
        return "—"
    return format_html_join(
        mark_safe("<br>"), "{}", ((line,) for line in text.splitlines())
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


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "noted_at", "note"]
    verbose_name = "correction or update note"
    verbose_name_plural = "corrections and update notes (shown with the article)"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "section", "published_at", "preview_link"]
    list_filter = ["status", "section", "authors", "published_at"]
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
    autocomplete_fields = ["tags", "section", "featured_image"]
    readonly_fields = ["preview_link", "created", "updated", "featured_preview"]
    inlines = [ArticleAuthorInline, QuoteInline, CorrectionInline]
    actions = ["publish", "unpublish"]
    history_list_display = [
        "status",
        "published_at",
        "tags",
        "bylines",
        "quotes",
        "corrections",
    ]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "dek",
                    "section",
                    "tags",
                    "body",
                    "edit_version",
                ]
            },
        ),
        (
            "Publication",
            {
                "description": "A future date and time with status Scheduled "
                "publishes the article then, with no one acting.",
                "fields": [
                    "status",
                    "published_at",
                    "preview_link",
                    "created",
                    "updated",
                ],
            },
        ),
        (
            "Featured picture",
            {
                "fields": [
                    "featured_preview",
                    "featured_image",
                    "new_image",
                    "new_image_alt",
                    "new_image_caption",
                    "new_image_credit",
                ]
            },
        ),
        (
            "External picture (imported stories)",
            {
                "fields": ["featured_image_url", "featured_image_alt"],
                "classes": ["collapse"],
            },
        ),
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

    class Media:
        css = {"all": ["css/newsroom-admin.css"]}

    @admin.display(description="Current picture")
    def featured_preview(self, obj: Article) -> str:
        image = obj.featured_image if obj.pk else None
        if image is None:
            return "None yet."
        return format_html(
            '<img src="{}" alt="{}" class="featured-preview"><br>{}',
            image.file.url,
            image.alt,
            image.alt,
        )

    def save_model(self, request, obj, form, change):
        old_url = services.public_url_before_save(obj) if change else None
        services.article_set_body(article=obj, body=form.cleaned_data.get("body", ""))
        upload = form.cleaned_data.get("new_image")
        if upload:
            obj.featured_image = services.image_create(
                file=upload,
                alt=form.cleaned_data["new_image_alt"].strip(),
                caption=form.cleaned_data.get("new_image_caption", ""),
                credit=form.cleaned_data.get("new_image_credit", ""),
                user=request.user,
            )
        super().save_model(request, obj, form, change)
        services.article_record_move(old_url=old_url, article=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_keep_related_in_revision(article=form.instance)

    # A revision's tags and bylines: the History columns read the snapshot.
    @admin.display(description="tags")
    def tags(self, revision) -> str:
        return revisions.related_names(revision, "tags") or "—"

    @admin.display(description="bylines")
    def bylines(self, revision) -> str:
        return revisions.related_names(revision, "bylines") or "—"

    @admin.display(description="quotes")
    def quotes(self, revision) -> str:
        return _lines(revisions.related_names(revision, "quotes"))

    @admin.display(description="corrections")
    def corrections(self, revision) -> str:
        return _lines(revisions.related_names(revision, "corrections"))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._article_id(object_id)
        if not str(version_id).isdigit():
            raise Http404("No such revision")
        # Remembered for get_form and log_change, which simple-history's
        # revert calls without the revision.
        request.article_revision = get_object_or_404(
            Article.history.model, id=object_id, history_id=version_id
        )
        extra_context = {
            **(extra_context or {}),
            "revision_bylines": revisions.related_names(
                request.article_revision, "bylines"
            ),
            "revision_quotes": (request.article_revision.related or {}).get("quotes"),
            "revision_corrections": (request.article_revision.related or {}).get(
                "corrections"
            ),
        }
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        revision = getattr(request, "article_revision", None)
        kept = (revision.related or {}).get("tags") if revision else None
        if kept is None:
            return form_class

        class RevisionForm(form_class):
            """Offers the revision's tags (still existing) instead of today's."""

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.initial["tags"] = list(
                    Tag.objects.filter(pk__in=[t["id"] for t in kept]).values_list(
                        "pk", flat=True
                    )
                )

        return RevisionForm

    def log_change(self, request, obj, message):
        # On a revert this is the first hook after the tags are saved; the
        # revert form has no inlines, so the bylines come from the revision.
        revision = getattr(request, "article_revision", None)
        if revision is not None:
            services.article_restore_related(article=obj, revision=revision)
            services.article_keep_related_in_revision(article=obj)
        return super().log_change(request, obj, message)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _article_id(object_id: str) -> int:
        # The history pages take the id from the path as typed; anything but
        # a number is no article (simple-history would pass it to the query).
        if not str(object_id).isdigit():
            raise Http404("No such article")
        return int(object_id)

    def history_view(self, request, object_id, extra_context=None):
        self._article_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id):
        """Two revisions side by side: which fields changed, the body as a diff."""
        article = get_object_or_404(Article, pk=self._article_id(object_id))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        comparison = revisions.compare(
            article=article,
            older_id=request.GET.get("older"),
            newer_id=request.GET.get("newer"),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare revisions: {article}",
            "object": article,
            "comparison": comparison,
            "history_url": reverse("admin:articles_article_history", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

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


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["alt", "credit", "width", "height", "created"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["width", "height", "created"]

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="articles_image_picker",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """
        The body editor's "Browse…" window: choosing a picture hands its
        address, alt text and caption back to the editor's figure dialog.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose a picture",
            "is_popup": True,
            "images": selectors.images_for_picker(query=query),
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    def get_readonly_fields(self, request, obj=None):
        # Renditions are made from the file once; a new picture is a new Image.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "file"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        image = services.image_create(
            file=form.cleaned_data["file"],
            alt=obj.alt,
            caption=obj.caption,
            credit=obj.credit,
            user=request.user,
        )
        obj.pk = image.pk
        obj.refresh_from_db()


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
    # The quote count's GROUP BY drops Meta.ordering; autocomplete pages need one.
    ordering = ["name"]
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
