from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from articles.importers.wordpress import OUTCOMES, Report
from newsarchive import redirects
from newsarchive.models import FailedLogin, ImportRun, Redirect
from newsarchive.tasks import run_wordpress_import

IMPORT_PERMISSION = "newsarchive.import_wordpress"


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path", "reason"]

    def clean(self):
        data = super().clean()
        if "old_path" in data and "new_path" in data:
            # Typed rows join the table as record_move() would: straight to
            # the end of any chain, and never round in a loop.
            data["new_path"] = redirects.check_redirect(
                old_path=data["old_path"], new_path=data["new_path"]
            )
            data["old_path"] = redirects.clean_path(data["old_path"])
        return data


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "new_path", "reason", "created"]
    search_fields = ["old_path", "new_path"]
    list_filter = ["reason"]
    date_hierarchy = "created"

    def save_model(self, request, obj, form, change):
        if change and "old_path" in form.changed_data:
            Redirect.objects.filter(pk=obj.pk).delete()
        added = redirects.add_redirect(
            old_path=obj.old_path, new_path=obj.new_path, reason=obj.reason
        )
        obj.pk, obj.created = added.pk, added.created


class ImportUploadForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = ["file", "site_url", "dry_run", "skip_pings"]
        labels = {"file": "WordPress export file (WXR)"}
        help_texts = {
            "file": "The .xml file from WordPress's Tools → Export.",
            "site_url": "The old site's address; empty: the one the file names.",
            "dry_run": "Read and check everything, keep nothing.",
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError("Choose the .xml file WordPress exported.")
        if not upload.size:
            raise forms.ValidationError("This file is empty.")
        return upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Upload a WordPress export; the task imports it, this page follows it."""

    form = ImportUploadForm
    list_display = ["original_name", "state", "progress", "started_by", "created"]
    list_filter = ["state"]
    readonly_fields = ["original_name", "state", "progress", "started_by", "created"]

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION) and (
            obj is None or obj.state != ImportRun.State.RUNNING
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ImportUploadForm.Meta.fields
        return self.readonly_fields

    @admin.display(description="progress")
    def progress(self, obj: ImportRun) -> str:
        return f"{obj.percent}% · {obj.items_done:,} items"

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        obj.original_name = upload.name[:255]
        obj.size = upload.size
        obj.started_by = request.user
        super().save_model(request, obj, form, change)
        run_id = obj.pk
        transaction.on_commit(lambda: run_wordpress_import.enqueue(run_id))

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(
            reverse("admin:newsarchive_importrun_change", args=[obj.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if run is not None:
            report = Report.from_dict(run.report) if run.report else None
            extra.update(
                run=run,
                report=report,
                outcomes=OUTCOMES,
                refresh=run.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING),
            )
        return super().change_view(request, object_id, form_url, extra)


@admin.register(FailedLogin)
class FailedLoginAdmin(admin.ModelAdmin):
    """Failed sign-ins: superusers see who is locked out and lift the lock."""

    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
    actions = ["unlock"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description="Unlock: forget these failed sign-ins")
    def unlock(self, request, queryset):
        removed, _ = queryset.delete()
        self.message_user(request, f"Forgot {removed} failed sign-ins.")
