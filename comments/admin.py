"""
The plain comment changelist and, through CommentAdmin.get_urls, the
moderation workspace (comments/admin_views.py): the queue, a comment's history and
a moderator's reply. Every status change goes through comments.moderation
(the admin actions call approve / mark_spam / mark_ham / remove / restore),
so the change form shows comments read-only: nothing here writes `status`.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from comments import admin_privacy, admin_views, moderation
from comments.models import (
    MODERATE_PERMISSION,
    Comment,
    ModerationEvent,
    Status,
    WordRule,
)


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    fk_name = "comment"
    extra = 0
    can_delete = False
    fields = [
        "created",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "reason",
        "details",
    ]
    readonly_fields = fields
    ordering = ["created", "id"]
    verbose_name = "history event"
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author_name",
        "article",
        "status_shown",
        "why",
        "akismet_verdict",
        "created",
    ]
    # A date filter, not date_hierarchy: the hierarchy lists the years with
    # a DISTINCT over every comment's date on each view. Counts stop at
    # COUNT_CAP and facets are off: a million comments are never counted.
    list_filter = [
        "status",
        "hold_reason",
        "akismet_verdict",
        "discarded",
        ("created", admin.DateFieldListFilter),
    ]
    list_select_related = ["article"]
    search_fields = ["author_name", "author_email", "author_url", "ip", "body"]
    ordering = ["-created", "-id"]
    paginator = admin_views.CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    inlines = [ModerationEventInline]
    actions = [
        "approve_selected",
        "spam_selected",
        "ham_selected",
        "remove_selected",
        "restore_selected",
        "export_personal_data_selected",
        "erase_personal_data_selected",
    ]
    # Adds a "Moderation queue" link to the changelist's object tools.
    change_list_template = "admin/comments/comment/change_list.html"
    fieldsets = [
        (None, {"fields": ["article", "parent", "status", "why", "body", "body_html"]}),
        (
            "Author",
            {
                "fields": [
                    "author_name",
                    "author_email",
                    "author_url",
                    "user",
                    "ip",
                    "user_agent",
                    "referrer",
                ]
            },
        ),
        (
            "Akismet",
            {
                "fields": [
                    "akismet_verdict",
                    "discarded",
                    "akismet_guid",
                    "akismet_pro_tip",
                    "akismet_alert_code",
                    "akismet_alert_msg",
                    "akismet_headers",
                    "check_attempts",
                    "checked_at",
                    "next_check_at",
                    "akismet_payload",
                    "akismet_payload_expires_at",
                ]
            },
        ),
        ("Dates", {"fields": ["created", "updated", "edited_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Read-only throughout: status and content change through moderation.
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]] + [
            "previous_status",
            "hold_reason",
            "hold_detail",
        ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Comments are read here and changed only through moderation: a Save
        # would rewrite the row (and its version) outside the state machine.
        return False

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(80)

    @admin.display(description="status", ordering="status")
    def status_shown(self, obj: Comment) -> str:
        # The results table sits inside the changelist's action form, so this
        # posts the status and version the row was shown with; the actions
        # run against both.
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">'
            '<input type="hidden" name="{}" value="{}">',
            obj.get_status_display(),
            admin_views.seen_field(obj),
            obj.status,
            admin_views.version_field(obj),
            moderation.version(obj),
        )

    @admin.display(description="why here", ordering="hold_reason")
    def why(self, obj: Comment) -> str:
        if not obj.hold_reason:
            return "—"
        words = obj.get_hold_reason_display()
        if obj.hold_detail and obj.hold_detail not in words:
            words = f"{words}: {obj.hold_detail}"
        if obj.next_check_at and obj.status in moderation.CHECKABLE:
            when = timezone.localtime(obj.next_check_at)
            words = f"{words} — next try at {when:%H:%M}"
        return words

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_personal_data_permission(self, request: HttpRequest) -> bool:
        return admin_privacy.may_handle(request)

    def get_urls(self):
        # Ahead of the stock URLs, whose <path:object_id>/ would match first.
        def wrap(view):
            def wrapper(request, *args, **kwargs):
                return view(request, self, *args, **kwargs)

            return self.admin_site.admin_view(wrapper)

        return [
            path(
                "moderate/",
                wrap(admin_views.queue_view),
                name="comments_comment_moderate",
            ),
            path(
                "moderate/act/",
                wrap(admin_views.act_view),
                name="comments_comment_moderate_act",
            ),
            path(
                "moderate/<int:pk>/history/",
                wrap(admin_views.history_view),
                name="comments_comment_moderate_history",
            ),
            path(
                "personal-data/",
                wrap(admin_privacy.personal_data_view),
                name="comments_comment_personal_data",
            ),
            path(
                "moderate/<int:pk>/reply/",
                wrap(admin_views.reply_view),
                name="comments_comment_moderate_reply",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # The queue shows the same words as a banner (one definition).
        if request.method == "GET":
            for banner in admin_views.akismet_banners():
                messages.warning(request, banner)
        return super().changelist_view(request, extra_context)

    def _apply(
        self,
        request,
        queryset: QuerySet,
        action,
        done: str,
        *,
        skip_seen: frozenset[str] = frozenset(),
    ) -> None:
        """
        Run `action` on each selected comment against the status and version
        its row was shown with: if someone changed it since, the state
        machine's conditional UPDATE matches nothing and that comment is left
        as the other left it. A filtered list (`?status__exact=spam`) no
        longer holds a comment moved out of the filter, so the selected ids
        it left out are reported too.
        """
        changed, refused = 0, []
        acted_on = set()
        for comment in queryset.order_by("pk"):
            acted_on.add(comment.pk)
            current = comment.status
            seen = admin_views.row_seen(request.POST, comment)
            if seen is None:
                self.message_user(
                    request,
                    f"Comment {admin_views.describe(comment)} was not on the page you acted "
                    "from (or the page did not say its status and version); "
                    "nothing was changed. Reload the list and try again.",
                    messages.WARNING,
                )
                continue
            if seen.status in skip_seen:
                continue
            moved = not seen.is_current(comment)
            comment.status = seen.status
            try:
                action(comment, actor=request.user, seen_version=seen.version)
            except moderation.ModerationError as exc:
                if not moved:
                    refused.append(f"#{comment.pk}: {exc}")
                    continue
                self._warn_moved(request, comment, now=current)
            else:
                changed += 1
        self._warn_left_out(request, exclude=acted_on)
        if changed:
            self.message_user(
                request, f"{changed} comment(s) {done}.", messages.SUCCESS
            )
        if refused:
            self.message_user(
                request, "Not changed — " + "; ".join(refused), messages.WARNING
            )

    def _warn_moved(self, request, comment: Comment, *, now: str) -> None:
        self.message_user(
            request, admin_views.moved_message(comment, now=now), messages.WARNING
        )

    def _warn_left_out(self, request, *, exclude: set[int]) -> None:
        """Each selected comment the action's queryset did not hold."""
        posted = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        left_out = set(admin_views.posted_ids(posted)) - exclude
        found = Comment.objects.filter(pk__in=left_out).order_by("pk")
        for comment in found:
            seen = admin_views.row_seen(request.POST, comment)
            if seen is None or not seen.is_current(comment):
                self._warn_moved(request, comment, now=comment.status)
                continue
            self.message_user(
                request,
                f"Comment {admin_views.describe(comment)} is not in the list you acted on "
                f"(it is {comment.status}); nothing was changed.",
                messages.WARNING,
            )
        for pk in sorted(left_out - {c.pk for c in found}):
            self.message_user(
                request,
                f"Comment #{pk} no longer exists; nothing was changed.",
                messages.WARNING,
            )

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._apply(request, queryset, moderation.approve, "approved")

    @admin.action(
        description="Mark selected comments as spam", permissions=["moderate"]
    )
    def spam_selected(self, request, queryset):
        self._apply(request, queryset, moderation.mark_spam, "marked as spam")

    @admin.action(
        description="Mark selected comments as not spam", permissions=["moderate"]
    )
    def ham_selected(self, request, queryset):
        self._apply(request, queryset, moderation.mark_ham, "marked as not spam")

    @admin.action(description="Restore selected comments", permissions=["moderate"])
    def restore_selected(self, request, queryset):
        self._apply(request, queryset, moderation.restore, "restored")

    @admin.action(description="Remove selected comments", permissions=["moderate"])
    def remove_selected(self, request, queryset):
        # Rows already shown as removed are simply left out.
        self._apply(
            request,
            queryset,
            moderation.remove,
            "removed",
            skip_seen=frozenset({Status.REMOVED}),
        )

    def _selected_authors(self, request, queryset: QuerySet) -> list[str]:
        """The distinct addresses of the selected comments, erased ones left out."""
        emails = sorted(
            {e.lower() for e in queryset.values_list("author_email", flat=True)} - {""}
        )
        if not emails:
            self.message_user(
                request,
                "The selected comments are already anonymised.",
                messages.WARNING,
            )
        return emails

    @admin.action(
        description="Export the personal data of the selected comments' author",
        permissions=["personal_data"],
    )
    def export_personal_data_selected(self, request, queryset):
        emails = self._selected_authors(request, queryset)
        if len(emails) > 1:
            self.message_user(
                request,
                f"The selection holds comments from {len(emails)} email addresses; "
                "select comments by one author to export their data.",
                messages.WARNING,
            )
        if len(emails) != 1:
            return None
        return admin_privacy.export_response(request, emails[0])

    @admin.action(
        description="Erase the personal data of the selected comments' authors…",
        permissions=["personal_data"],
    )
    def erase_personal_data_selected(self, request, queryset):
        emails = self._selected_authors(request, queryset)
        if not emails:
            return None
        return admin_privacy.confirm_erasure(request, self, emails)


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "action", "created"]
    list_filter = ["action"]
    search_fields = ["phrase"]
    ordering = ["action", "phrase"]


# The admin index gets a "Moderation queue" box (for users who may moderate)
# through this template, which extends the stock admin/index.html.
admin.site.index_template = "admin/comments/site_index.html"
