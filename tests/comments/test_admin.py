"""The plain comment changelist: filters, reasons in words, actions, notes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, HoldReason, ModerationEvent, Status
from tests.factories import make_comment, make_editor, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def _action(client, action: str, comments: list[Comment]):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [c.pk for c in comments],
            # As the changelist rows post it: each one's status and version.
            **{f"seen-{c.pk}": c.status for c in comments},
            **{f"version-{c.pk}": moderation.version(c) for c in comments},
        },
        follow=True,
    )


def test_the_changelist_shows_why_a_comment_is_held(moderator_client, article):
    make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.TOO_MANY_LINKS,
        hold_detail="3 links",
    )

    page = moderator_client.get(CHANGELIST).content.decode()

    assert "Too many links: 3 links" in page


def test_it_filters_by_status_and_hold_reason(moderator_client, article):
    make_comment(
        article=article, status=Status.HELD, hold_reason=HoldReason.NO_KEY, body="A"
    )
    make_comment(article=article, status=Status.APPROVED, body="Bee")

    response = moderator_client.get(CHANGELIST, {"status__exact": "held"})
    assert list(response.context["cl"].result_list) == list(Comment.objects.held())

    response = moderator_client.get(CHANGELIST, {"hold_reason__exact": "no_key"})
    assert response.context["cl"].result_count == 1


def test_it_searches_author_email_and_text(moderator_client, article):
    make_comment(article=article, author_email="zed@example.com", body="Alpha")
    make_comment(article=article, body="Beta words")

    assert (
        moderator_client.get(CHANGELIST, {"q": "zed@"}).context["cl"].result_count == 1
    )
    assert (
        moderator_client.get(CHANGELIST, {"q": "beta"}).context["cl"].result_count == 1
    )


def test_without_a_key_the_changelist_says_why_comments_are_held(
    moderator_client, settings
):
    settings.AKISMET_API_KEY = ""

    page = moderator_client.get(CHANGELIST).content.decode()

    assert "No Akismet key is set" in page


def test_with_a_key_there_is_no_such_note(moderator_client, settings):
    settings.AKISMET_API_KEY = "abc"

    assert (
        "No Akismet key is set" not in moderator_client.get(CHANGELIST).content.decode()
    )


def test_an_akismet_alert_is_shown_to_admins(moderator_client, article, settings):
    settings.AKISMET_API_KEY = "abc"
    make_comment(
        article=article,
        akismet_alert_code="10003",
        akismet_alert_msg="Your subscription has lapsed.",
        checked_at=timezone.now(),  # as the pipeline stores every answer
    )

    page = moderator_client.get(CHANGELIST).content.decode()

    assert "Akismet alert 10003: Your subscription has lapsed." in page


def test_the_approve_action_goes_through_moderation(moderator_client, article):
    held = make_comment(article=article, status=Status.HELD)
    spam = make_comment(article=article, status=Status.SPAM, body="Other")

    response = _action(moderator_client, "approve_selected", [held, spam])

    assert response.status_code == 200
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert ModerationEvent.objects.filter(to_status=Status.APPROVED).count() == 2


def test_the_spam_action_marks_spam(moderator_client, article):
    comment = make_comment(article=article, status=Status.APPROVED)

    _action(moderator_client, "spam_selected", [comment])

    assert Comment.objects.get().status == Status.SPAM


def test_the_remove_action_remembers_where_it_was(moderator_client, article):
    comment = make_comment(article=article, status=Status.APPROVED)

    _action(moderator_client, "remove_selected", [comment])

    stored = Comment.objects.get()
    assert (stored.status, stored.previous_status) == (Status.REMOVED, Status.APPROVED)


def test_a_refused_transition_is_reported_not_applied(moderator_client, article):
    comment = make_comment(article=article, status=Status.SPAM)

    response = _action(moderator_client, "spam_selected", [comment])

    assert "Not changed" in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_the_change_page_shows_the_history_read_only(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)
    ModerationEvent.objects.create(
        comment=comment,
        from_status=Status.UNCHECKED,
        to_status=Status.HELD,
        reason="Test hold",
    )

    response = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    )

    assert response.status_code == 200
    assert "Test hold" in response.content.decode()
    # Saving the change form cannot change the status.
    moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {"status": "approved"},
    )
    assert Comment.objects.get().status == Status.HELD


def test_editors_cannot_see_comments(client):
    client.force_login(make_editor())

    assert client.get(CHANGELIST).status_code == 403


def test_staff_without_the_moderate_permission_get_no_actions(client, article):
    from django.contrib.auth.models import Permission

    user = make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_comment"),
        Permission.objects.get(codename="change_comment"),
    )
    client.force_login(user)
    comment = make_comment(article=article, status=Status.HELD)

    response = client.get(CHANGELIST)
    assert "approve_selected" not in response.content.decode()
    _action(client, "approve_selected", [comment])
    assert Comment.objects.get().status == Status.HELD


def test_word_rules_are_editable(moderator_client):
    response = moderator_client.post(
        reverse("admin:comments_wordrule_add"), {"phrase": "casino", "action": "block"}
    )

    assert response.status_code == 302


def test_the_change_form_is_read_only_and_a_save_changes_nothing(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    version = moderation.version(comment)

    page = moderator_client.get(url)
    saved = moderator_client.post(url, {"_save": "Save"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert saved.status_code == 403
    assert moderation.version(Comment.objects.get(pk=comment.pk)) == version
