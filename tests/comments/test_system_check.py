"""A missing Akismet key is a system-check warning, not a silent pass."""

from comments.checks import akismet_key_check


def test_it_warns_when_no_key_is_set(settings):
    settings.AKISMET_API_KEY = ""

    [warning] = akismet_key_check(None)

    assert warning.id == "comments.W001"
    assert "comments will be held for moderation" in warning.msg


def test_it_is_quiet_with_a_key(settings):
    settings.AKISMET_API_KEY = "abc123"

    assert akismet_key_check(None) == []


def test_it_is_registered_with_django(settings):
    from django.core import checks

    settings.AKISMET_API_KEY = ""

    ids = [message.id for message in checks.run_checks(tags=["comments"])]

    assert "comments.W001" in ids
