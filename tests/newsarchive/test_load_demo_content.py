"""manage.py load_demo_content: a realistic, idempotent demo site."""

import shutil
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Quote, Section, Source, Tag
from comments.models import (
    Comment,
    HoldReason,
    ModerationEvent,
    Status,
    WordAction,
    WordRule,
)
from newsarchive.demo import DATA_DIR, DemoDataError, read_demo_content
from newsarchive.sanitize import clean_article_html, clean_comment_html, strip_tags

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [
        Article,
        ArticleAuthor,
        Author,
        Comment,
        ModerationEvent,
        Quote,
        Section,
        Source,
        Tag,
        User,
    ]
    return {model.__name__: model.objects.count() for model in models}


def _snapshot() -> list:
    """Every demo row's content and timestamps, to prove a rerun changes nothing."""
    return [
        list(Article.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values()),
        list(ModerationEvent.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
    ]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    return settings


def test_running_it_twice_creates_no_duplicates_and_changes_nothing(debug):
    _load()
    counts, snapshot = _counts(), _snapshot()
    output = _load()

    assert _counts() == counts
    assert _snapshot() == snapshot
    assert "created 0 sections, 0 tags, 0 authors, 0 sources, 0 articles" in output
    assert "password" not in output


def test_it_creates_about_thirty_articles_over_five_months():
    _load()
    now = timezone.now()
    articles = Article.objects.filter(import_ref__startswith="demo:")

    assert 28 <= articles.count() <= 32
    published = Article.objects.published()
    assert published.count() == articles.count() - 3
    oldest = published.order_by("published_at").first().published_at
    assert now - oldest > timedelta(days=120)
    assert now - oldest < timedelta(days=160)
    scheduled = articles.filter(status=Article.Status.SCHEDULED)
    assert scheduled.count() == 2
    assert all(a.published_at > now for a in scheduled)
    drafts = articles.filter(status=Article.Status.DRAFT)
    assert drafts.count() == 1
    assert drafts.get().published_at is None


def test_published_demo_articles_were_last_changed_when_published():
    # Otherwise every demo page would say "Updated" with the loading time.
    _load()
    published = Article.objects.published().filter(import_ref__startswith="demo:")
    assert published.exists()
    for article in published:
        assert article.updated == article.published_at, article.title
        assert article.created == article.published_at, article.title


def test_articles_have_sections_tags_bylines_and_sanitised_bodies():
    _load()
    assert Section.objects.count() >= 5
    assert 8 <= Tag.objects.count() <= 14
    assert Author.objects.count() == 3
    assert all(author.bio for author in Author.objects.all())
    for article in Article.objects.prefetch_related("bylines"):
        assert article.section_id is not None
        assert article.title and article.dek
        assert article.bylines.all(), article.title
        assert article.body_html == clean_article_html(article.body)
        assert 300 <= len(strip_tags(article.body_html).split()) <= 700
    assert Article.objects.filter(tags__isnull=False).distinct().count() >= 20


def test_many_articles_carry_one_to_three_attributed_quotes():
    _load()
    names = set(Source.objects.values_list("name", flat=True))
    assert {"Reuters", "TASS", "AP", "AFP", "BBC"} <= names
    quoted = 0
    for article in Article.objects.prefetch_related("quotes"):
        quotes = list(article.quotes.all())
        assert len(quotes) <= 3
        if quotes:
            quoted += 1
            assert all(q.source_id and q.speaker and q.text for q in quotes)
    assert quoted >= 20


def test_each_demo_article_revision_keeps_its_tags_bylines_and_quotes():
    _load()
    for article in Article.objects.prefetch_related("tags", "bylines", "quotes"):
        kept = article.history.get().related
        assert [t["name"] for t in kept["tags"]] == sorted(
            t.name for t in article.tags.all()
        )
        assert [b["id"] for b in kept["bylines"]] == [
            b.author_id for b in article.bylines.all()
        ]
        assert [q["text"] for q in kept["quotes"]] == [
            q.text for q in article.quotes.all()
        ]


def test_comments_exist_in_every_status_with_threads_and_reasons():
    _load()
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == set(Status)

    held_reasons = set(
        Comment.objects.filter(status=Status.HELD).values_list("hold_reason", flat=True)
    )
    assert len(held_reasons) >= 5
    assert "" not in held_reasons
    assert Comment.objects.filter(status=Status.SPAM, discarded=True).exists()
    assert Comment.objects.filter(
        status=Status.REMOVED, previous_status=Status.APPROVED
    )

    deep_reply = Comment.objects.filter(status=Status.APPROVED, depth__gte=2).first()
    assert deep_reply is not None
    assert deep_reply.parent.article_id == deep_reply.article_id
    assert deep_reply.root.parent_id is None
    assert deep_reply.root.depth == 0


def test_the_word_rules_that_caught_demo_comments_are_in_the_word_list():
    _load()

    assert set(WordRule.objects.values_list("phrase", "action")) == {
        ("free tickets", WordAction.HOLD),
        ("without prescription", WordAction.BLOCK),
    }
    for rule in WordRule.objects.all():
        reason = (
            HoldReason.BLOCK_WORD
            if rule.action == WordAction.BLOCK
            else HoldReason.HOLD_WORD
        )
        caught = Comment.objects.get(hold_reason=reason)
        assert rule.phrase in caught.body.casefold()


def test_each_comment_is_sanitised_public_and_has_one_event_matching_its_status():
    _load()
    now = timezone.now()
    for comment in Comment.objects.select_related("article").prefetch_related("events"):
        assert comment.body_html == clean_comment_html(comment.body)
        assert comment.article.is_public
        assert comment.created <= now
        events = list(comment.events.all())
        assert len(events) == 1
        assert events[0].to_status == comment.status
        assert events[0].reason


def test_in_debug_it_creates_editor_and_moderator_and_prints_each_password_once(
    debug,
):
    output = _load()

    editor = User.objects.get(username="editor")
    moderator = User.objects.get(username="moderator")
    assert editor.is_staff and not editor.is_superuser
    assert moderator.is_staff and not moderator.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]
    for user in (editor, moderator):
        line = next(line for line in output.splitlines() if repr(user.username) in line)
        password = line.rsplit("password: ", 1)[1]
        assert len(password) >= 12
        assert user.check_password(password)
    assert "password" not in _load()


def test_in_debug_the_demo_password_setting_is_used_and_not_printed(debug):
    debug.DEMO_PASSWORD = "a-demo-password-from-the-env"
    output = _load()

    assert User.objects.get(username="editor").check_password(
        "a-demo-password-from-the-env"
    )
    assert User.objects.get(username="moderator").check_password(
        "a-demo-password-from-the-env"
    )
    assert "a-demo-password-from-the-env" not in output


def test_a_second_run_keeps_an_account_password_someone_changed(debug):
    _load()
    editor = User.objects.get(username="editor")
    editor.set_password("changed-by-the-editor")
    editor.save()

    _load()

    assert User.objects.get(username="editor").check_password("changed-by-the-editor")


def test_without_debug_it_creates_no_accounts(settings):
    settings.DEBUG = False
    output = _load()

    assert not User.objects.filter(username__in=["editor", "moderator"]).exists()
    assert "password" not in output
    assert Comment.objects.exists()


def test_removed_comment_event_names_the_moderator_in_debug(debug):
    _load()
    event = ModerationEvent.objects.get(comment__status=Status.REMOVED)
    assert event.actor == User.objects.get(username="moderator")
    assert event.from_status == Status.APPROVED


# The data files -------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    return tmp_path


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The demo files in tmp_path, with `old` replaced by `new` once in `name`."""
    directory = _copy(tmp_path)
    text = (directory / name).read_text()
    assert old in text, f"{old!r} is not in {name}"
    (directory / name).write_text(text.replace(old, new, 1))
    return directory


def test_the_shipped_files_read_cleanly_and_so_does_a_copy(tmp_path):
    # The error tests below edit a copy; an untouched copy must read cleanly,
    # or they could pass for the wrong reason.
    shipped = read_demo_content()
    assert len(shipped.articles) == 30
    assert len(shipped.comments) == 30
    assert read_demo_content(_copy(tmp_path)) == shipped


@pytest.mark.parametrize(
    ("name", "old", "new", "words"),
    [
        (
            "articles.toml",
            'dek = "Negotiators return',
            'standfirst = "Negotiators return',
            ["[[articles]] #1 (number = 1)", "unknown field 'standfirst'"],
        ),
        (
            "articles.toml",
            'title = "Coastal cities brace for record storm surge as typhoon nears"\n',
            "",
            ["[[articles]] #2 (number = 2)", "missing field 'title'"],
        ),
        (
            "articles.toml",
            "days_ago = 24.1",
            'days_ago = "last month"',
            ["[[articles]] #3 (number = 3)", "days_ago: expected a number"],
        ),
        (
            "articles.toml",
            'source = "reuters"',
            'source = "reuter"',
            ["[[articles]] #1 (number = 1)", "quotes.source: 'reuter' is not one of"],
        ),
        (
            "comments.toml",
            'status = "held"',
            'status = "pending"',
            ["[[comments]] #5 (key = '5')", "status: 'pending' is not one of"],
        ),
        (
            "comments.toml",
            'hold_detail = "No Akismet key is configured; held for a moderator."\n',
            "",
            ["[[comments]] #5 (key = '5')", "needs hold_reason and hold_detail"],
        ),
        (
            "comments.toml",
            'parent = "1"',
            'parent = "99"',
            ["[[comments]] #2 (key = '2')", "no earlier comment has key '99'"],
        ),
        (
            "newsroom.toml",
            "[authors.daniel-brandt]\nname",
            "[authors.daniel-brandt]\nfull_name",
            ["[authors.daniel-brandt]", "unknown field 'full_name'"],
        ),
        (
            "comments.toml",
            "[[comments]]",
            "[[comments]",
            ["not valid TOML", "line"],
        ),
    ],
)
def test_a_malformed_entry_is_an_error_naming_the_file_and_the_entry(
    tmp_path, name, old, new, words
):
    directory = _copy_with(tmp_path, name, old, new)

    with pytest.raises(DemoDataError) as error:
        read_demo_content(directory)

    message = str(error.value)
    assert message.startswith(f"{directory / name}: ")
    for word in words:
        assert word in message
