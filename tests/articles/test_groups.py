"""The Editors and Moderators groups get least privilege from the data migration."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

EDITOR_MODELS = {
    "article",
    "articleauthor",
    "author",
    "correction",
    "image",
    "quote",
    "section",
    "source",
    "tag",
}


def _perms(group_name: str) -> set[tuple[str, str]]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_editors_may_add_change_delete_and_view_every_article_model_and_redirects_only():
    actions = ("add", "change", "delete", "view")
    expected = {
        ("articles", f"{action}_{model}")
        for model in EDITOR_MODELS
        for action in actions
    } | {("newsarchive", f"{action}_redirect") for action in actions}
    assert _perms("Editors") == expected


def test_moderators_may_moderate_comments_and_only_read_articles():
    assert _perms("Moderators") == {
        ("articles", "view_article"),
        ("comments", "add_wordrule"),
        ("comments", "change_comment"),
        ("comments", "change_commentreport"),
        ("comments", "change_wordrule"),
        ("comments", "delete_wordrule"),
        ("comments", "moderate_comment"),
        ("comments", "view_comment"),
        ("comments", "view_commentreport"),
        ("comments", "view_moderationevent"),
        ("comments", "view_wordrule"),
    }
