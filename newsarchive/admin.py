from django import forms
from django.contrib import admin

from newsarchive import redirects
from newsarchive.models import FailedLogin, Redirect


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
