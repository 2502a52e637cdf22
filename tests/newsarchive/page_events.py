"""
The events that must end cached pages, shared by the in-process tests and
the two-server tests (which run them in a third process via `manage.py
shell`). Each event names a page, text it shows before and after, and a page
that must stay cached, where a narrower scope makes that true.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Author, Section, Source, Tag
from articles.services import article_publish, article_unpublish
from comments import moderation
from comments.models import Comment, Status
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_quote,
    make_section,
    make_source,
    make_tag,
)


@dataclass(frozen=True)
class Event:
    name: str
    page: str  # a key of seed()'s urls
    before: str | None  # shown before the event (None: not checked)
    after: str | None  # shown after it
    gone: str | None  # no longer shown after it
    untouched: str | None = None  # a page that stays cached


BUSY_THREAD = 'Busy thread</a> <span class="most-commented__count">'
EVENTS = [
    Event("comment approved", "feature", None, "Held until a moderator", None, "other"),
    Event(
        "comment removed",
        "feature",
        "Seen on every page",
        None,
        "Seen on every page",
        "other",
    ),
    # A reply link's page (?replytocom=) is shared by every reader too.
    Event(
        "reply page: comment approved",
        "feature_reply",
        None,
        "Held for the reply page",
        None,
        "other",
    ),
    Event(
        "reply page: comment removed",
        "feature_reply",
        "Seen on the reply page",
        None,
        "Seen on the reply page",
        "other",
    ),
    # The home page's most commented list counts every article's comments.
    Event(
        "most commented: comment removed",
        "home",
        f"{BUSY_THREAD}2 comments",
        f"{BUSY_THREAD}1 comment<",
        f"{BUSY_THREAD}2 comments",
    ),
    Event("article published", "home", None, "Draft goes out", None),
    Event("article edited", "edited", "Old headline", "New headline", "Old headline"),
    Event("article unpublished", "home", "Pulled story", None, "Pulled story"),
    Event("tag renamed", "feature", "Ports", "Harbours and ports", None),
    Event("author renamed", "home", "Ada Byline", "Ada Lovelace-Byline", "Ada Byline"),
    Event("section renamed", "home", "Waterfront", "Seafront", "Waterfront"),
    Event("source renamed", "feature", "Wire One", "Wire Two", "Wire One"),
]
SCHEDULED_TITLE = "Goes live on its own"


def seed() -> dict:
    section = make_section(name="Waterfront", slug="waterfront")
    tag = make_tag(name="Ports", slug="ports")
    author = make_author(name="Ada Byline", slug="ada-byline")
    source = make_source(name="Wire One", slug="wire-one")
    feature = make_article(
        title="Storm wall approved",
        section=section,
        tags=[tag],
        authors=[author],
        published_at=timezone.now() - timedelta(hours=1),
    )
    make_quote(article=feature, source=source, text="It will hold.")
    seen = make_comment(article=feature, body="Seen on every page.")
    make_comment(article=feature, body="Seen on the reply page.")
    make_comment(article=feature, body="Held for the reply page.", status=Status.HELD)
    busy = make_article(title="Busy thread", section=section)
    make_comment(article=busy, body="Busy one.")
    make_comment(article=busy, body="Busy two.")
    make_comment(article=feature, body="Held until a moderator.", status=Status.HELD)
    other = make_article(title="Ferry timetable", section=section)
    make_comment(article=other, body="A comment elsewhere.")
    make_article(title="Draft goes out", status=Article.Status.DRAFT, slug="draft-out")
    edited = make_article(title="Old headline", slug="old-headline")
    make_article(title="Pulled story", slug="pulled-story")
    make_article(
        title=SCHEDULED_TITLE,
        slug="goes-live",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    return {
        "home": "/",
        "feature": feature.get_absolute_url(),
        "feature_reply": f"{feature.get_absolute_url()}?replytocom={seen.pk}",
        "other": other.get_absolute_url(),
        "edited": edited.get_absolute_url(),
    }


def run(name: str) -> None:
    """Make the named event happen, as an editor or moderator would."""
    if name == "comment approved":
        moderation.approve(Comment.objects.get(body_html__contains="Held until"))
    elif name == "comment removed":
        moderation.remove(Comment.objects.get(body_html__contains="Seen on every"))
    elif name == "reply page: comment approved":
        moderation.approve(
            Comment.objects.get(body_html__contains="Held for the reply")
        )
    elif name == "reply page: comment removed":
        moderation.remove(Comment.objects.get(body_html__contains="Seen on the reply"))
    elif name == "most commented: comment removed":
        moderation.remove(Comment.objects.get(body_html__contains="Busy two"))
    elif name == "article published":
        article_publish(article=Article.objects.get(slug="draft-out"))
    elif name == "article edited":
        article = Article.objects.get(slug="old-headline")
        article.title = "New headline"
        article.save()
    elif name == "article unpublished":
        article_unpublish(article=Article.objects.get(slug="pulled-story"))
    elif name == "tag renamed":
        tag = Tag.objects.get(slug="ports")
        tag.name = "Harbours and ports"
        tag.save()
    elif name == "author renamed":
        author = Author.objects.get(slug="ada-byline")
        author.name = "Ada Lovelace-Byline"
        author.save()
    elif name == "section renamed":
        section = Section.objects.get(slug="waterfront")
        section.name = "Seafront"
        section.save()
    elif name == "source renamed":
        source = Source.objects.get(slug="wire-one")
        source.name = "Wire Two"
        source.save()
    else:
        raise ValueError(name)


def schedule_soon(seconds: float) -> None:
    """The scheduled article moves to `seconds` from now (a write), after
    which only time passes."""
    article = Article.objects.get(slug="goes-live")
    article_publish(article=article, at=timezone.now() + timedelta(seconds=seconds))
