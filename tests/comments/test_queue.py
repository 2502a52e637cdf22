"""The moderation queue: tabs with live counts, what each row shows, newest first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentReport, HoldReason, Status
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


def report(comment, *, reason="abusive", key="r1"):
    return CommentReport.objects.create(
        comment=comment, reason=reason, reporter_key=key
    )


def test_it_shows_held_comments_newest_first(moderator_client, article):
    now = timezone.now()
    old = make_comment(
        article=article,
        status=Status.HELD,
        body="Older",
        created=now - timedelta(hours=2),
    )
    new = make_comment(article=article, status=Status.HELD, body="Newer", created=now)
    make_comment(article=article, status=Status.APPROVED, body="Published")

    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    assert [row.comment for row in response.context["rows"]] == [new, old]


def test_tabs_show_live_counts(moderator_client, article):
    for _ in range(3):
        make_comment(article=article, status=Status.HELD)
    make_comment(article=article, status=Status.SPAM)
    reported = make_comment(article=article, status=Status.APPROVED)
    make_comment(article=article, status=Status.APPROVED)
    report(reported)
    make_comment(
        article=article, status=Status.REMOVED, previous_status=Status.APPROVED
    )

    tabs = {t["name"]: t["count"] for t in moderator_client.get(QUEUE).context["tabs"]}

    assert tabs == {"held": 3, "reported": 1, "spam": 1, "approved": 2, "removed": 1}


def test_the_reported_tab_lists_approved_comments_with_open_reports(
    moderator_client, article
):
    reported = make_comment(article=article, status=Status.APPROVED, body="Rude")
    dismissed = make_comment(article=article, status=Status.APPROVED, body="Fine")
    CommentReport.objects.create(
        comment=dismissed,
        reason="spam",
        reporter_key="x",
        dismissed_at=timezone.now(),
    )
    report(reported)

    response = moderator_client.get(QUEUE, {"tab": "reported"})

    assert [row.comment for row in response.context["rows"]] == [reported]


@pytest.mark.parametrize("tab", ["spam", "approved", "removed"])
def test_each_tab_lists_its_status(moderator_client, article, tab):
    wanted = make_comment(article=article, status=tab, previous_status=Status.HELD)
    make_comment(article=article, status=Status.HELD)

    response = moderator_client.get(QUEUE, {"tab": tab})

    assert [row.comment for row in response.context["rows"]] == [wanted]


def test_a_row_shows_the_comment_author_article_and_parent(moderator_client, article):
    parent = make_comment(
        article=article,
        status=Status.APPROVED,
        author_name="Grace Parent",
        body="The harbour was closed all winter long.",
    )
    make_comment(
        article=article,
        parent=parent,
        status=Status.HELD,
        author_name="Ada Reply",
        author_email="ada@example.com",
        author_url="https://ada.example/",
        body="<em>Not</em> all winter.",
        ip="203.0.113.9",
    )

    page = moderator_client.get(QUEUE).content.decode()

    assert "<em>Not</em> all winter." in page
    assert "Ada Reply" in page
    assert "ada@example.com" in page
    assert "203.0.113.9" in page
    assert 'href="https://ada.example/"' in page
    assert f'href="{article.get_absolute_url()}"' in page
    assert "Harbour reopens" in page
    assert "In reply to Grace Parent:" in page
    assert "The harbour was closed all winter long." in page


def test_an_author_url_that_is_not_http_is_not_linked(moderator_client, article):
    make_comment(article=article, status=Status.HELD, author_url="javascript:alert(1)")

    page = moderator_client.get(QUEUE).content.decode()

    assert "javascript:alert(1)" not in page


def test_a_row_shows_the_authors_record_by_email(moderator_client, article):
    for status in ["approved", "approved", "spam", "removed"]:
        make_comment(
            article=article,
            status=status,
            author_email="Bob@Example.com",
            previous_status=Status.APPROVED,
        )
    make_comment(article=article, status=Status.HELD, author_email="bob@example.com")

    row = moderator_client.get(QUEUE).context["rows"][0]

    assert row.record == {"approved": 2, "spam": 1, "removed": 1, "total": 5}
    assert "2 approved · 1 spam · 1 removed" in row_html(moderator_client)


def row_html(client, params=None) -> str:
    return client.get(QUEUE, params or {}).content.decode()


def test_a_first_time_author_is_marked(moderator_client, article):
    make_comment(article=article, status=Status.HELD, author_email="new@example.com")

    assert "first comment" in row_html(moderator_client)


def test_the_queue_is_linked_from_the_admin_index_and_changelist(moderator_client):
    for url in [
        reverse("admin:index"),
        reverse("admin:app_list", args=["comments"]),
        reverse("admin:comments_comment_changelist"),
    ]:
        assert f'href="{QUEUE}"' in moderator_client.get(url).content.decode(), url


def test_the_index_does_not_link_the_queue_for_an_editor(client):
    from tests.factories import make_editor

    client.force_login(make_editor())

    assert f'href="{QUEUE}"' not in client.get(reverse("admin:index")).content.decode()


def test_an_empty_queue_says_so(moderator_client):
    assert "The queue is clear" in row_html(moderator_client)


def test_the_page_has_no_inline_script_or_style(moderator_client, article):
    make_comment(article=article, status=Status.HELD)

    page = row_html(moderator_client)

    assert "moderation.js" in page
    assert "<script>" not in page
    assert " style=" not in page
    assert " onclick=" not in page


def test_every_row_has_post_buttons_that_work_without_javascript(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)

    page = row_html(moderator_client)

    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    for action in ["approve", "spam", "remove", "recheck"]:
        assert f'name="do" value="{action}:{comment.pk}"' in page
    assert f'name="seen-{comment.pk}" value="held"' in page


def test_the_next_try_is_shown_in_the_site_time_zone(
    moderator_client, article, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    next_try = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=7)
    make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        next_check_at=next_try,
    )

    page = row_html(moderator_client)

    local = timezone.localtime(next_try, timezone.get_default_timezone())
    assert f"{local:%H:%M}" in page


def test_other_tabs_keep_the_filters(moderator_client, article):
    response = moderator_client.get(QUEUE, {"q": "harbour", "tab": "held"})

    spam_tab = next(t for t in response.context["tabs"] if t["name"] == "spam")
    assert "q=harbour" in spam_tab["query"]
    assert "tab=spam" in spam_tab["query"]


def test_ids_in_the_rows_stay_plain_numbers_where_numbers_are_grouped(
    moderator_client, article, settings
):
    settings.USE_THOUSAND_SEPARATOR = True
    make_comment(article=article, status=Status.HELD, pk=12345)

    html = moderator_client.get(QUEUE).content.decode()

    assert 'name="selected" value="12345"' in html
    assert 'name="seen-12345"' in html
    assert "12,345" not in html


def test_each_row_links_to_its_own_article_history_and_reply(moderator_client, article):
    other = make_article()
    first = make_comment(article=article, status=Status.HELD)
    second = make_comment(article=other, status=Status.HELD)

    html = moderator_client.get(QUEUE).content.decode()

    for comment in (first, second):
        history = reverse("admin:comments_comment_moderate_history", args=[comment.pk])
        reply = reverse("admin:comments_comment_moderate_reply", args=[comment.pk])
        assert f'href="{history}"' in html
        assert f'href="{reply}?next=' in html
        assert f'href="{comment.article.get_absolute_url()}"' in html
