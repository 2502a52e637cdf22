"""Comments from a WordPress export: threads, statuses, dates, pings, history."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from comments.models import Comment, CommentKind, ModerationEvent, Status
from tests.wxr import comment, item, run

pytestmark = pytest.mark.django_db


def _by_wp_id() -> dict[str, Comment]:
    return {c.import_ref.rsplit(":", 1)[1]: c for c in Comment.objects.all()}


def test_a_reply_before_its_parent_in_the_file_still_hangs_from_it():
    run(
        item(
            "1",
            comments=comment("12", parent="11", content="Grandchild")
            + comment("11", parent="10", content="Child")
            + comment("10", content="Top"),
        )
    )

    rows = _by_wp_id()
    assert rows["10"].parent is None and rows["10"].depth == 0
    assert rows["11"].parent == rows["10"] and rows["11"].depth == 1
    assert rows["12"].parent == rows["11"] and rows["12"].depth == 2
    assert rows["12"].root == rows["10"]


def test_a_reply_whose_parent_is_missing_becomes_top_level_and_is_reported():
    report = run(item("1", comments=comment("20", parent="999")))

    orphan = Comment.objects.get()
    assert orphan.parent is None and orphan.depth == 0
    notes = [(n.wp_id, n.message) for n in report.notes if n.kind == "comment"]
    assert notes == [
        ("20", "its parent 999 is not in the export; shown as a top-level comment")
    ]


def test_statuses_map_to_moderation_states():
    run(
        item(
            "1",
            comments=comment("1", approved="1")
            + comment("2", approved="0")
            + comment("3", approved="spam")
            + comment("4", approved="trash"),
        )
    )

    rows = _by_wp_id()
    assert [rows[n].status for n in "1234"] == [
        Status.APPROVED,
        Status.HELD,
        Status.SPAM,
        Status.REMOVED,
    ]
    # A trashed comment can be restored, to the held queue.
    assert rows["4"].previous_status == Status.HELD


def test_dates_use_gmt_and_fall_back_to_the_exports_zone():
    run(
        item(
            "1",
            comments=comment(
                "1", date="2020-03-04 12:00:00", date_gmt="2020-03-04 10:00:00"
            )
            + comment("2", date="2020-03-04 12:00:00", date_gmt="0000-00-00 00:00:00"),
        ),
        offset="+0200",
    )

    rows = _by_wp_id()
    assert rows["1"].created == datetime(2020, 3, 4, 10, 0, tzinfo=UTC)
    # Local 12:00 in the export's +02:00 is 10:00 UTC.
    assert rows["2"].created == datetime(2020, 3, 4, 10, 0, tzinfo=UTC)


def test_pingbacks_and_trackbacks_keep_their_type_and_show_apart(client):
    run(
        item(
            "1",
            comments=comment("1", content="A reader's view.")
            + comment(
                "2",
                comment_type="pingback",
                author_name="Other blog &laquo; Post",
                url="https://other.example/post/",
                email="",
                content="[...] linked [...]",
            )
            + comment("3", comment_type="trackback", email=""),
        )
    )

    rows = _by_wp_id()
    assert rows["2"].kind == CommentKind.PINGBACK
    assert rows["2"].author_name == "Other blog « Post"
    assert rows["3"].kind == CommentKind.TRACKBACK
    html = client.get(rows["1"].article.get_absolute_url()).content.decode()
    assert "1 Comment" in html
    mentions = html.split('class="mentions"', 1)[1]
    assert 'href="https://other.example/post/"' in mentions
    assert "Other blog « Post" in mentions
    assert "A reader&#x27;s view." not in mentions


def test_pingbacks_can_be_left_out():
    report = run(
        item("1", comments=comment("1") + comment("2", comment_type="pingback")),
        skip_pings=True,
    )

    assert list(Comment.objects.values_list("kind", flat=True)) == [CommentKind.COMMENT]
    assert [(p.wp_id, p.message) for p in report.skipped] == [
        ("2", "pingbacks skipped by option")
    ]


def test_imported_comments_are_never_sent_to_akismet_nor_mailed(
    akismet_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(item("1", comments=comment("1") + comment("2", approved="0")))

    assert akismet_server.requests == []
    assert mail.outbox == []
    assert not Comment.objects.filter(next_check_at__isnull=False).exists()


def test_the_history_says_imported():
    run(item("1", comments=comment("1", approved="spam")))

    event = ModerationEvent.objects.get()
    assert event.kind == ModerationEvent.Kind.IMPORT
    assert event.get_kind_display() == "Imported"
    assert (event.from_status, event.to_status) == ("", Status.SPAM)
    assert event.reason == "Imported from WordPress"
    assert event.details == {"wordpress_id": "1", "wordpress_status": "spam"}


def test_a_second_import_leaves_comments_unchanged_and_an_edit_updates_them():
    run(item("1", comments=comment("1", content="First") + comment("2", parent="1")))
    again = run(
        item("1", comments=comment("1", content="First") + comment("2", parent="1"))
    )
    assert again.counts["comment"] == {"unchanged": 2}

    edited = run(
        item("1", comments=comment("1", content="Corrected") + comment("2", parent="1"))
    )

    assert edited.counts["comment"] == {"updated": 1, "unchanged": 1}
    assert _by_wp_id()["1"].body == "Corrected"
    assert Comment.objects.count() == 2


def test_hostile_comment_markup_is_sanitised():
    run(
        item(
            "1",
            comments=comment(
                "1", content='<script>alert(1)</script><a href="javascript:x">l</a>'
            ),
        )
    )

    html = Comment.objects.get().body_html
    assert "<script" not in html and "javascript:" not in html


def test_a_comment_id_two_posts_share_stays_with_the_first_and_is_reported():
    report = run(
        item("12", comments=comment("13001", content="On twelve")),
        item(
            "13",
            comments=comment("13001", content="On thirteen")
            + comment("13002", parent="13001", content="Reply on thirteen"),
        ),
    )

    rows = _by_wp_id()
    first, reply = rows["13001"], rows["13002"]
    assert "On twelve" in first.body and first.article.import_ref.endswith(":12")
    assert reply.article.import_ref.endswith(":13")
    assert reply.parent is None  # never hung from the other post's comment
    failed = [(e.wp_id, e.message) for e in report.errors if e.kind == "comment"]
    assert failed and failed[0][0] == "13001"
    assert "another post" in failed[0][1]
