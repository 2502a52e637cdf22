from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from comments.visitors import client_ip
from newsarchive import login_throttle


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, refusing locked usernames and addresses."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        locked = login_throttle.lockout(username=username, ip=ip)
        if locked is not None:
            # Checked before the password, so a locked account cannot be
            # guessed at meanwhile.
            raise forms.ValidationError(locked.message, code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_throttle.record_failure(username=username, ip=ip)
            raise
        login_throttle.record_success(username=username)
        return cleaned
