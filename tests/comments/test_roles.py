"""
Who may use the moderation workspace: every URL and every action, per role.
Anonymous visitors and readers (not staff) are sent to the admin login;
editors (staff without comments.moderate_comment) get 403; moderators get in.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comments import moderation
from comments.models import Comment, CommentReport, ModerationEvent, Status
from tests.factories import make_comment, make_editor, make_moderator, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")
LOGIN = reverse("admin:login")

# action -> (status the comment starts in, previous status)
ACTIONS = {
    "approve": ("held", ""),
    "spam": ("held", ""),
    "ham": ("spam", ""),
    "remove": ("held", ""),
    "restore": ("removed", "held"),
    "dismiss": ("approved", ""),
    "recheck": ("held", ""),
    "bulk": ("held", ""),
}


def login_as(client, role: str):
    if role == "anonymous":
        return None
    user = {
        "reader": lambda: make_user(username="reader"),
        "editor": lambda: make_editor(username="editor"),
        "moderator": lambda: make_moderator(username="moderator"),
        "superuser": lambda: make_user(
            username="root", is_staff=True, is_superuser=True
        ),
    }[role]()
    client.force_login(user)
    return user


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "next=" in response["Location"]


def comment_for(article, action: str) -> Comment:
    status, previous = ACTIONS[action]
    comment = make_comment(article=article, status=status, previous_status=previous)
    if action == "dismiss":
        CommentReport.objects.create(comment=comment, reason="spam", reporter_key="k")
    return comment


def post_action(client, action: str, comment: Comment):
    data = {
        f"seen-{comment.pk}": comment.status,
        f"version-{comment.pk}": moderation.version(comment),
    }
    if action == "bulk":
        data.update(do="bulk", bulk_action="approve", selected=[comment.pk])
    else:
        data["do"] = f"{action}:{comment.pk}"
    return client.post(ACT, data)


def page_urls(comment: Comment) -> list[str]:
    return [
        QUEUE,
        *(f"{QUEUE}?tab={tab}" for tab in ["reported", "spam", "approved", "removed"]),
        reverse("admin:comments_comment_moderate_history", args=[comment.pk]),
        reverse("admin:comments_comment_moderate_reply", args=[comment.pk]),
    ]


# Pages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_pages_send_visitors_and_readers_to_the_admin_login(client, article, role):
    login_as(client, role)
    comment = make_comment(article=article, status=Status.HELD)

    for url in page_urls(comment):
        assert_sent_to_login(client.get(url), url)


def test_pages_are_forbidden_to_editors(client, article):
    login_as(client, "editor")
    comment = make_comment(article=article, status=Status.HELD)

    for url in page_urls(comment):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_pages_open_for_moderators(client, article, role):
    login_as(client, role)
    comment = make_comment(article=article, status=Status.HELD)

    for url in page_urls(comment):
        assert client.get(url).status_code == 200, url


def test_an_editor_who_is_also_a_moderator_gets_in(client, article):
    editor = login_as(client, "editor")
    editor.groups.add(Group.objects.get(name="Moderators"))

    assert client.get(QUEUE).status_code == 200


def _post_reply(client, article):
    comment = make_comment(article=article, status=Status.APPROVED)
    url = reverse("admin:comments_comment_moderate_reply", args=[comment.pk])
    return comment, url, client.post(url, {"body": "Sneaky reply"})


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_posting_a_reply_sends_visitors_and_readers_to_the_login(client, article, role):
    login_as(client, role)

    comment, url, response = _post_reply(client, article)

    assert_sent_to_login(response, url)
    assert not Comment.objects.filter(parent=comment).exists()


def test_posting_a_reply_is_forbidden_to_editors(client, article):
    login_as(client, "editor")

    comment, _, response = _post_reply(client, article)

    assert response.status_code == 403
    assert not Comment.objects.filter(parent=comment).exists()


# Actions -------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_actions_send_visitors_and_readers_to_the_admin_login(
    client, article, role, action
):
    login_as(client, role)
    comment = comment_for(article, action)

    response = post_action(client, action, comment)

    assert_sent_to_login(response, ACT)
    assert Comment.objects.get(pk=comment.pk).status == comment.status
    assert not ModerationEvent.objects.exists()
    assert not CommentReport.objects.filter(dismissed_at__isnull=False).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_forbidden_to_editors(client, article, action):
    login_as(client, "editor")
    comment = comment_for(article, action)

    response = post_action(client, action, comment)

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == comment.status
    assert not ModerationEvent.objects.exists()
    assert not CommentReport.objects.filter(dismissed_at__isnull=False).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_work_for_moderators(client, article, action):
    moderator = login_as(client, "moderator")
    comment = comment_for(article, action)

    response = post_action(client, action, comment)

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
    assert ModerationEvent.objects.filter(comment=comment).exists()
    if action not in ("dismiss", "recheck"):
        assert ModerationEvent.objects.get(comment=comment).actor == moderator
        assert Comment.objects.get(pk=comment.pk).status != comment.status


def test_the_changelist_actions_are_not_available_to_editors(client, article):
    login_as(client, "editor")
    comment = make_comment(article=article, status=Status.HELD)

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve_selected", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 403
    assert Comment.objects.get().status == Status.HELD
